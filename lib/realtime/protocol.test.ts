import { describe, expect, it } from 'vitest';
import { matchChannel } from './channels';
import { ERROR_CODES, monitorClientMessage, parseFrame, terminalClientMessage } from './protocol';
import { originAllowed, parseCookies } from './upgrade';

const TERMINAL_TYPES = terminalClientMessage.options.map((o) => o.shape.type.value);

describe('frame parsing', () => {
  it('accepts valid terminal messages', () => {
    expect(parseFrame(terminalClientMessage, '{"type":"input","data":"ls\\r"}', TERMINAL_TYPES)).toEqual({
      ok: true,
      message: { type: 'input', data: 'ls\r' },
    });
    expect(
      parseFrame(terminalClientMessage, '{"type":"resize","cols":120,"rows":40}', TERMINAL_TYPES).ok,
    ).toBe(true);
  });

  it('names what is wrong: JSON, shape, unknown type, field', () => {
    const cases: [string, string][] = [
      ['{not json', ERROR_CODES.badJson],
      ['[1,2]', ERROR_CODES.badFrame],
      ['"text"', ERROR_CODES.badFrame],
      ['{"data":"x"}', ERROR_CODES.badFrame],
      ['{"type":"rm -rf"}', ERROR_CODES.unknownType],
      ['{"type":"resize","cols":100000,"rows":10}', ERROR_CODES.badFrame],
      ['{"type":"resize","cols":-1,"rows":10}', ERROR_CODES.badFrame],
      ['{"type":"command","command":""}', ERROR_CODES.badFrame],
    ];
    for (const [text, code] of cases) {
      const r = parseFrame(terminalClientMessage, text, TERMINAL_TYPES);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.code, text).toBe(code);
    }
  });

  it('validates monitor subscriptions', () => {
    const types = ['subscribe_task', 'unsubscribe_task'];
    expect(parseFrame(monitorClientMessage, '{"type":"subscribe_task","task_id":"t1"}', types).ok).toBe(true);
    expect(parseFrame(monitorClientMessage, '{"type":"subscribe_task"}', types).ok).toBe(false);
  });
});

describe('channel routing', () => {
  it('maps the three channels and nothing else', () => {
    expect(matchChannel('/ws/terminal/abc-123')).toEqual({ channel: 'terminal', deviceId: 'abc-123' });
    expect(matchChannel('/ws/monitor/tasks')).toEqual({ channel: 'monitor' });
    expect(matchChannel('/ws/notifications/')).toEqual({ channel: 'notifications' });
    for (const p of [
      '/ws/',
      '/ws/terminal',
      '/ws/terminal/a/b',
      '/ws/terminal/../x',
      '/ws/nope',
      '/api/x',
      '/ws/terminal/' + 'x'.repeat(65),
    ]) {
      expect(matchChannel(p), p).toBeNull();
    }
  });
});

describe('upgrade helpers', () => {
  it('accepts only the same host or an explicitly allowed origin', () => {
    expect(originAllowed('http://127.0.0.1:3000', '127.0.0.1:3000', [])).toBe(true);
    expect(originAllowed('http://evil.example', '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('http://127.0.0.1:3001', '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed(undefined, '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('null', '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('https://portal.example', 'internal:3000', ['https://portal.example/'])).toBe(true);
  });

  it('parses a cookie header', () => {
    expect(parseCookies('a=1; next-auth.session-token=x%2Fy; broken; =v')).toEqual({
      a: '1',
      'next-auth.session-token': 'x/y',
    });
  });
});
