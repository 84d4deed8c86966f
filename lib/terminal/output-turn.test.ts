import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { SessionTap } from '../recordings/recorder';
import { fakeConnection, fakeShell } from './fake-shell';
import type { TerminalOutput } from './output';
import type { ScreenModel } from './screen';
import { OUTPUT_ECHO_MAX_CHARS, OUTPUT_FRAME_MAX_CHARS, TerminalSession } from './session';

/**
 * What one event-loop turn of device output becomes: a pty hands sshd 4 KB at a time, so bulk output
 * arrives as many chunks; the session joins them once and the same string goes to the reader (one
 * frame), the recording (one event), the screen model (one write) and the scrollback.
 */
function session() {
  const { shell, device } = fakeShell();
  const connection = fakeConnection('huawei_vrp');
  /** Everything the consumers were handed, in order, tagged by consumer. */
  const log: string[] = [];
  const tap: SessionTap = {
    output: (t) => void log.push(`rec:o:${t}`),
    input: (t) => void log.push(`rec:i:${t}`),
    resize: (c, r) => void log.push(`rec:r:${c}x${r}`),
    command: (l) => void log.push(`rec:m:${l}`),
    close: async () => void log.push('rec:close'),
  };
  const screen = {
    write: (t: string) => void log.push(`screen:${t}`),
    resize: (c: number, r: number) => void log.push(`screen:resize:${c}x${r}`),
    close: () => {},
    available: false,
  } as unknown as ScreenModel;
  const port: TerminalOutput = {
    output: (d) => void log.push(`port:${d}`),
    closed: () => {},
    notice: () => {},
    bufferedAmount: () => 0,
  };
  const s = new TerminalSession({
    userId: 'u1',
    connection,
    shell,
    timers: { resumeGraceMs: 60_000, idleTimeoutMs: 3_600_000 },
    events: { onCommand: () => {}, onClosed: () => {} },
    tap,
    screen,
  });
  return { s, log, port, device };
}

const of = (log: string[], who: string) => log.filter((l) => l.startsWith(`${who}:`));

describe('output of one event-loop turn', () => {
  it('goes to the reader, the recording, the screen model and the scrollback as one string', async () => {
    const t = session();
    await t.s.attach(t.port);
    const chunks = Array.from(
      { length: 12 },
      (_, i) => `${String(i).padStart(3, '0')} ${'x'.repeat(400)}\r\n`,
    );
    for (const c of chunks) t.device(c);
    // nothing has gone anywhere yet but nothing is lost: it goes at the end of the turn
    await nextTurn();
    const all = chunks.join('');
    expect(of(t.log, 'port')).toEqual([`port:${all}`]);
    expect(of(t.log, 'rec')).toEqual([`rec:o:${all}`]);
    expect(of(t.log, 'screen')).toEqual([`screen:${all}`]);
    // the reader first (an echo before anything else)
    expect(t.log[0]).toBe(`port:${all}`);
    t.s.close('test over');
  });

  it('a short first chunk (an echo) goes at once, the rest of the turn together after it', async () => {
    const t = session();
    await t.s.attach(t.port);
    t.device('d');
    expect(of(t.log, 'port')).toEqual(['port:d']);
    expect(of(t.log, 'rec')).toEqual(['rec:o:d']);
    t.device('x'.repeat(OUTPUT_ECHO_MAX_CHARS + 1));
    t.device('y'.repeat(10));
    expect(of(t.log, 'port')).toEqual(['port:d']);
    await nextTurn();
    expect(of(t.log, 'port')).toEqual([
      'port:d',
      `port:${'x'.repeat(OUTPUT_ECHO_MAX_CHARS + 1)}${'y'.repeat(10)}`,
    ]);
    t.s.close('test over');
  });

  it('a turn larger than a frame goes out in frames of OUTPUT_FRAME_MAX_CHARS, in order, to every consumer', async () => {
    const t = session();
    await t.s.attach(t.port);
    const piece = 'z'.repeat(4096 - 2) + '\r\n';
    const count = Math.ceil((2.5 * OUTPUT_FRAME_MAX_CHARS) / piece.length);
    for (let i = 0; i < count; i++) t.device(piece);
    await nextTurn();
    const frames = of(t.log, 'port').map((l) => l.slice('port:'.length));
    expect(frames.length).toBe(3);
    expect(frames.every((f) => f.length <= OUTPUT_FRAME_MAX_CHARS + piece.length)).toBe(true);
    expect(frames.join('')).toBe(piece.repeat(count));
    expect(of(t.log, 'rec').map((l) => l.slice('rec:o:'.length))).toEqual(frames);
    expect(of(t.log, 'screen').map((l) => l.slice('screen:'.length))).toEqual(frames);
    t.s.close('test over');
  });

  it('a command marker, a resize or closing comes after the output that arrived before it in the same turn', async () => {
    const t = session();
    await t.s.attach(t.port);
    t.device('<sw1>');
    t.device('x'.repeat(OUTPUT_ECHO_MAX_CHARS + 1)); // waits for the end of the turn…
    t.s.resize(100, 30); // …unless something that must follow it comes first
    expect(of(t.log, 'rec')).toEqual([
      'rec:o:<sw1>',
      `rec:o:${'x'.repeat(OUTPUT_ECHO_MAX_CHARS + 1)}`,
      'rec:r:100x30',
    ]);
    expect(of(t.log, 'screen')).toEqual([
      'screen:<sw1>',
      `screen:${'x'.repeat(OUTPUT_ECHO_MAX_CHARS + 1)}`,
      'screen:resize:100x30',
    ]);
    t.device('y'.repeat(OUTPUT_ECHO_MAX_CHARS + 1));
    t.s.close('test over');
    expect(of(t.log, 'rec').slice(-2)).toEqual([
      `rec:o:${'y'.repeat(OUTPUT_ECHO_MAX_CHARS + 1)}`,
      'rec:close',
    ]);
    // and nothing goes anywhere after the session closed
    t.device('late');
    await nextTurn();
    expect(t.log.some((l) => l.includes('late'))).toBe(false);
  });

  it('a tab attaching in the middle of a turn gets the turn after its screen, once', async () => {
    const t = session();
    t.device('<sw1>'); // nobody attached: scrollback only (and the recording)
    t.device('a'.repeat(OUTPUT_ECHO_MAX_CHARS + 1));
    await t.s.attach(t.port); // the scrollback so far: only the first chunk
    await nextTurn();
    const frames = of(t.log, 'port').map((l) => l.slice('port:'.length));
    expect(frames.join('')).toBe(`<sw1>${'a'.repeat(OUTPUT_ECHO_MAX_CHARS + 1)}`);
    t.s.close('test over');
  });
});
