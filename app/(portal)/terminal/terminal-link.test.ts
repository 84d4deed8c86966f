import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { encodeOutputFrame } from '@/lib/realtime/protocol';
import {
  chunkInput,
  INPUT_CHUNK_CHARS,
  TerminalLink,
  type LinkHandlers,
  type LinkStatus,
} from './terminal-link';

describe('chunkInput (large pastes)', () => {
  it('keeps typing whole and cuts a paste into frames that fit the server limit', () => {
    expect(chunkInput('display clock\r')).toEqual(['display clock\r']);
    const paste = 'x'.repeat(INPUT_CHUNK_CHARS * 2 + 5);
    const chunks = chunkInput(paste);
    expect(chunks.map((c) => c.length)).toEqual([INPUT_CHUNK_CHARS, INPUT_CHUNK_CHARS, 5]);
    expect(chunks.join('')).toBe(paste);
    // the worst case for JSON (a control character becomes \u001b: six bytes) still fits 64 KiB
    expect(JSON.stringify({ type: 'input', data: '\x1b'.repeat(INPUT_CHUNK_CHARS) }).length).toBeLessThan(
      64 * 1024,
    );
  });

  it('never splits a surrogate pair (emoji, rare CJK)', () => {
    const text = 'a' + '😀'.repeat(10); // each emoji is two UTF-16 units
    const chunks = chunkInput(text, 4);
    expect(chunks.join('')).toBe(text);
    for (const c of chunks) expect(c).toBe(String.fromCodePoint(...[...c].map((x) => x.codePointAt(0)!)));
    expect(chunks.every((c) => !/[\ud800-\udbff]$/.test(c))).toBe(true);
  });
});

/** A browser WebSocket stand-in: records what the link sends; the test plays the server. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  bufferedAmount = 0;
  sent: Record<string, unknown>[] = [];
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) } as MessageEvent);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text) as Record<string, unknown>);
  }
  close() {
    this.readyState = 3;
  }
  connects() {
    return this.sent.filter((f) => f.type === 'connect');
  }
}

/** Each test of the suite gets FakeSocket as the browser's WebSocket. */
function withFakeSockets() {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.stubGlobal('location', { protocol: 'http:', host: 'portal.test' });
  });
  afterEach(() => vi.unstubAllGlobals());
}

/** Link handlers that ignore everything but what a test gives. */
function handlers(over: Partial<LinkHandlers> = {}): LinkHandlers {
  const none = () => {};
  return {
    onOutput: none,
    onInputLost: none,
    onInputRefused: none,
    onPasteStopped: none,
    onStatus: none,
    onSession: none,
    onFrame: none,
    onRtt: none,
    ...over,
  };
}

describe('Reconnect (finding 18: it needed two clicks)', () => {
  withFakeSockets();

  function link() {
    const statuses: LinkStatus[] = [];
    const l = new TerminalLink(
      'dev1',
      null,
      () => ({ cols: 80, rows: 24 }),
      handlers({ onStatus: (s) => statuses.push(s) }),
    );
    l.start();
    const first = FakeSocket.all[0]!;
    first.open();
    first.receive({ type: 'terminal_connected', device_id: 'dev1', session_id: 's1', message: 'Connected' });
    return { l, first, statuses };
  }

  it('one click after the device dropped the session opens a new one', () => {
    const { l, first, statuses } = link();
    first.receive({ type: 'terminal_closed', reason: 'The device ended the session.' });
    expect(statuses.at(-1)).toBe('closed');
    l.reconnect();
    const second = FakeSocket.all[1]!;
    second.open();
    expect(second.connects()).toEqual([{ type: 'connect', cols: 80, rows: 24 }]); // no stale session id
    second.receive({ type: 'terminal_connected', device_id: 'dev1', session_id: 's2', message: 'Connected' });
    expect(statuses.at(-1)).toBe('connected');
    l.dispose();
  });

  it('one click when the session ended while the tab was away: asked to resume, it opens a new one', () => {
    const { l, first, statuses } = link();
    l.reconnect(); // e.g. after "Lost the connection to the portal"
    const second = FakeSocket.all[1]!;
    second.open();
    expect(second.connects()).toEqual([{ type: 'connect', cols: 80, rows: 24, session_id: 's1' }]);
    second.receive({ type: 'terminal_error', code: 'session_expired', error: 'That session has ended.' });
    expect(second.connects()).toEqual([
      { type: 'connect', cols: 80, rows: 24, session_id: 's1' },
      { type: 'connect', cols: 80, rows: 24 },
    ]);
    expect(statuses.at(-1)).not.toBe('closed');
    expect(first).not.toBe(second);
    l.dispose();
  });

  it('a new session that cannot open says why instead of staying on "Connecting…"', () => {
    const { l, first, statuses } = link();
    first.receive({ type: 'terminal_closed', reason: 'The connection to the device was lost.' });
    l.reconnect();
    const second = FakeSocket.all[1]!;
    second.open();
    second.receive({ type: 'terminal_error', code: 'unreachable', error: 'Cannot reach the device.' });
    expect(statuses.at(-1)).toBe('error');
    l.dispose();
  });
});

describe('binary output frames', () => {
  withFakeSockets();

  it('asks for them and keeps every frame in its place, a compressed one (read asynchronously) too', async () => {
    const outputs: string[] = [];
    const statuses: LinkStatus[] = [];
    const l = new TerminalLink(
      'dev1',
      null,
      () => ({ cols: 80, rows: 24 }),
      handlers({ onOutput: (data) => outputs.push(data), onStatus: (st) => statuses.push(st) }),
    );
    l.start();
    const s = FakeSocket.all[0]! as FakeSocket & { binaryType?: string };
    expect(s.url).toBe('ws://portal.test/ws/terminal/dev1?output=binary');
    expect(s.binaryType).toBe('arraybuffer');
    s.open();
    s.receive({ type: 'terminal_connected', device_id: 'dev1', session_id: 's1', message: 'Connected' });
    const binary = (frame: Uint8Array) => s.onmessage?.({ data: frame.slice().buffer } as MessageEvent);
    binary(encodeOutputFrame('接口 \x1b[32mup\x1b[0m\r\n'));
    expect(outputs).toEqual(['接口 \x1b[32mup\x1b[0m\r\n']); // a plain frame is read at once
    const bulk = 'Gi0/0/1 changed state to up\r\n'.repeat(200);
    binary(encodeOutputFrame(bulk, (b) => deflateRawSync(b)));
    binary(Uint8Array.of(0x7f, 0x41)); // an unknown kind: dropped, in its turn
    s.receive({ type: 'output', data: '<sw-01>' });
    s.receive({ type: 'terminal_closed', reason: 'The device ended the session.' });
    await vi.waitFor(() => expect(statuses.at(-1)).toBe('closed'));
    expect(outputs).toEqual(['接口 \x1b[32mup\x1b[0m\r\n', bulk, '<sw-01>']);
    l.dispose();
  });
});

describe('a long paste under the guard rails', () => {
  withFakeSockets();

  function connected() {
    const refused: [string, number][] = [];
    const stopped: number[] = [];
    const l = new TerminalLink(
      'dev1',
      null,
      () => ({ cols: 80, rows: 24 }),
      handlers({
        onInputRefused: (reason, dropped) => refused.push([reason, dropped]),
        onPasteStopped: () => stopped.push(1),
      }),
    );
    l.start();
    const s = FakeSocket.all[0]!;
    s.open();
    s.receive({ type: 'terminal_connected', device_id: 'dev1', session_id: 's1', message: 'Connected' });
    const inputs = () => s.sent.filter((f) => f.type === 'input').map((f) => f.data as string);
    return { l, s, inputs, refused, stopped };
  }

  it('stops sending while the session holds keys behind a line, and goes on when told', () => {
    const { l, s, inputs } = connected();
    const paste = 'display clock\r'.repeat(2000); // 28,000 characters: 4 frames
    s.receive({ type: 'input_flow', paused: true });
    l.send({ type: 'input', data: paste });
    expect(inputs()).toEqual([]);
    s.receive({ type: 'input_flow', paused: false });
    expect(inputs().join('')).toBe(paste);
    // paused again part-way: what is left waits, in order
    s.receive({ type: 'input_flow', paused: true });
    l.send({ type: 'input', data: 'a' });
    l.send({ type: 'input', data: 'b' });
    expect(inputs().join('')).toBe(paste);
    s.receive({ type: 'input_flow', paused: false });
    expect(inputs().join('')).toBe(`${paste}ab`);
    l.dispose();
  });

  it('Ctrl+C stops a paste: the rest is dropped and the interrupt goes at once, paused or not', () => {
    const { l, s, inputs, stopped } = connected();
    const paste = 'display clock\r'.repeat(2000);
    s.receive({ type: 'input_flow', paused: true });
    l.send({ type: 'input', data: paste });
    l.send({ type: 'input', data: '\x03' });
    expect(inputs()).toEqual(['\x03']);
    expect(stopped).toHaveLength(1);
    s.receive({ type: 'input_flow', paused: false });
    expect(inputs()).toEqual(['\x03']); // the paste is gone, not resumed
    // held by the session only (nothing left here): the interrupt still jumps the pause
    s.receive({ type: 'input_flow', paused: true });
    l.send({ type: 'input', data: '\x03' });
    expect(inputs()).toEqual(['\x03', '\x03']);
    expect(stopped).toHaveLength(2);
    // Ctrl+C with no paste in flight is a key like any other: no notice
    s.receive({ type: 'input_flow', paused: false });
    l.send({ type: 'input', data: '\x03' });
    expect(inputs()).toEqual(['\x03', '\x03', '\x03']);
    expect(stopped).toHaveLength(2);
    l.dispose();
  });

  it('a new socket starts unpaused (the session says again if keys still wait)', () => {
    const { l, s, inputs } = connected();
    s.receive({ type: 'input_flow', paused: true });
    l.reconnect();
    const second = FakeSocket.all[1]!;
    second.open();
    l.send({ type: 'input', data: 'x' });
    expect(second.sent.filter((f) => f.type === 'input')).toEqual([{ type: 'input', data: 'x' }]);
    expect(inputs()).toEqual([]);
    l.dispose();
  });

  it('refused input drops the rest of the paste and says so once, not once per key', () => {
    const { l, s, inputs, refused } = connected();
    s.receive({ type: 'input_flow', paused: true });
    l.send({ type: 'input', data: 'y'.repeat(20_000) });
    const why = 'Too much typed while a line is being checked; wait a moment.';
    s.receive({ type: 'terminal_error', code: 'busy', error: why });
    expect(refused).toEqual([[why, 20_000]]);
    s.receive({ type: 'input_flow', paused: false });
    expect(inputs()).toEqual([]); // nothing after the refused piece
    // keys typed into a session that refuses them: said once
    for (const k of 'abc') {
      l.send({ type: 'input', data: k });
      s.receive({
        type: 'terminal_error',
        code: 'busy',
        error: 'A command is running in command mode; wait for it to finish.',
      });
    }
    expect(refused).toHaveLength(2);
    expect(refused[1]).toEqual(['A command is running in command mode; wait for it to finish.', 0]);
    l.dispose();
  });
});
