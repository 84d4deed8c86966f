import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { matchChannel } from './channels';
import {
  BINARY_FRAME,
  decodeBinaryFrame,
  encodeOutputFrame,
  ERROR_CODES,
  monitorClientMessage,
  outputFramingOf,
  parseFrame,
  terminalClientMessage,
} from './protocol';
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

const deflate = (b: Uint8Array) => deflateRawSync(b, { level: 1 });

describe('binary output frames', () => {
  const texts = [
    '',
    'display clock\r\n<sw-01>',
    '\x1b[31mred\x1b[0m\r\n\x07\x00\x7f',
    'héllo wörld', // two bytes a character
    '接口 GigabitEthernet0/0/1 状态 up', // three
    'ok 😀 then 𠀀', // surrogate pairs: four
    `${'x'.repeat(70_000)}中`, // past the one-byte-per-unit first pass at the very end
  ];

  it('carry the text as UTF-8 after one kind byte, and read back as the output message', () => {
    for (const text of texts) {
      const frame = encodeOutputFrame(text);
      expect(frame[0]).toBe(BINARY_FRAME.output);
      expect(Buffer.from(frame.subarray(1)).equals(Buffer.from(text, 'utf8')), text.slice(0, 40)).toBe(true);
      expect(decodeBinaryFrame(frame)).toEqual({ ok: true, message: { type: 'output', data: text } });
    }
  });

  it('compressed (raw DEFLATE) when asked and smaller, read back at once or through the web streams', async () => {
    const log = Array.from({ length: 500 }, (_, i) => `接口 Gi0/0/${i % 48} 状态 up seq=${i}\r\n`).join('');
    const frame = encodeOutputFrame(log, deflate);
    expect(frame[0]).toBe(BINARY_FRAME.deflatedOutput);
    expect(frame.length).toBeLessThan(Buffer.byteLength(log) / 4);
    const expected = { ok: true, message: { type: 'output', data: log } };
    expect(decodeBinaryFrame(frame, inflateRawSync)).toEqual(expected);
    // the browser's way: asynchronous (DecompressionStream), so the result is a promise
    const later = decodeBinaryFrame(frame);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toEqual(expected);
    // what compression would not shrink goes as it is
    expect(encodeOutputFrame('ok\r\n', deflate)[0]).toBe(BINARY_FRAME.output);
  });

  it('cost one byte per control character where JSON costs six', () => {
    const escapes = '\x1b[0m\r\n'.repeat(1000);
    expect(encodeOutputFrame(escapes).length).toBe(1 + escapes.length);
    expect(JSON.stringify({ type: 'output', data: escapes }).length).toBeGreaterThan(2 * escapes.length);
  });

  it('refuse what they cannot read with a value, never a throw', async () => {
    expect(decodeBinaryFrame(new Uint8Array(0))).toMatchObject({ ok: false });
    expect(decodeBinaryFrame(Uint8Array.of(0x7f, 0x41))).toMatchObject({ ok: false, error: /kind 127/ });
    const corrupt = Uint8Array.of(BINARY_FRAME.deflatedOutput, 0xff, 0xff, 0xff);
    expect(decodeBinaryFrame(corrupt, inflateRawSync)).toMatchObject({ ok: false, error: /not readable/ });
    expect(await decodeBinaryFrame(corrupt)).toMatchObject({ ok: false, error: /not readable/ });
  });

  it('are used only when the upgrade URL asks for them', () => {
    expect(outputFramingOf('/ws/terminal/d1?output=binary')).toBe('binary');
    expect(outputFramingOf('/ws/terminal/d1?token=x&output=binary')).toBe('binary');
    for (const url of [
      '/ws/terminal/d1',
      '/ws/terminal/d1?output=json',
      '/ws/terminal/d1?output=BIN',
      undefined,
    ])
      expect(outputFramingOf(url), String(url)).toBe('json');
  });
});
