/**
 * Terminal output frames on the wire, read by a client that parses WebSocket frames itself (so it sees
 * each frame's opcode and RSV1, the permessage-deflate bit): binary output when the upgrade URL asks
 * for it (and then no permessage-deflate: the portal compresses such frames itself), JSON otherwise;
 * compressed, either way, only while the reader's link is behind.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { constants, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WS_COMPRESS_THRESHOLD_BYTES } from '../lib/realtime/connections';
import { BINARY_FRAME, decodeBinaryFrame } from '../lib/realtime/protocol';
import { startPortal, type Portal } from './harness';
import { addSshdDevice, startSshd, type RealSshd } from './sshd';

const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const DEFLATE_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const PROMPT = /[$#] $/;
const HIGH = 256 * 1024;
const TAIL_CHARS = 4096;

interface WireFrame {
  opcode: number;
  /** Compressed: RSV1 (permessage-deflate), or a binary frame of kind BINARY_FRAME.deflatedOutput. */
  compressed: boolean;
  /** Payload bytes on the wire. */
  wireBytes: number;
  /** The payload, inflated when permessage-deflate compressed it. */
  data: Buffer;
  /** The output text it carries, if it is an output frame. */
  text?: string;
}

/** A WebSocket client on a raw TCP socket that offers permessage-deflate and keeps every frame. */
class RawSocket {
  readonly frames: WireFrame[] = [];
  /** Text of the output frames (binary or JSON) in pieces: `output` joins them, `tail` is the end. */
  private pieces: string[] = [];
  tail = '';
  private pending: Buffer = Buffer.alloc(0);
  private waiters = new Set<() => void>();
  /** Binary frames the browser's decoder would refuse, and why. */
  readonly unreadable: string[] = [];

  private constructor(
    readonly socket: net.Socket,
    /** The server agreed to permessage-deflate. */
    readonly deflate: boolean,
  ) {}

  static async open(portal: Portal, path: string, userId: string): Promise<RawSocket> {
    const url = new URL(portal.wsBase + path);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write(
      [
        `GET ${url.pathname}${url.search} HTTP/1.1`,
        `Host: ${url.host}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits',
        `Origin: ${portal.origin}`,
        `Cookie: ${await portal.cookieFor(userId)}`,
        '',
        '',
      ].join('\r\n'),
    );
    let head = Buffer.alloc(0);
    return new Promise<RawSocket>((resolve, reject) => {
      const onData = (d: Buffer) => {
        head = Buffer.concat([head, d]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const response = head.subarray(0, end).toString('latin1');
        if (!/^HTTP\/1\.1 101/.test(response)) return reject(new Error(`upgrade refused: ${response}`));
        const client = new RawSocket(socket, /sec-websocket-extensions: permessage-deflate/i.test(response));
        socket.on('data', (chunk: Buffer) => client.feed(chunk));
        client.feed(head.subarray(end + 4));
        resolve(client);
      };
      socket.on('data', onData);
      socket.once('error', reject);
    });
  }

  private feed(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const b = this.pending;
      if (b.length < 2) break;
      let length = b[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) break;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) break;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) break;
      const payload = b.subarray(offset, offset + length);
      this.pending = b.subarray(offset + length);
      // the server sends whole messages, each in one frame, and never masks
      expect(b[0]! & 0x80, 'FIN').toBe(0x80);
      const rsv1 = (b[0]! & 0x40) !== 0;
      const frame: WireFrame = {
        opcode: b[0]! & 0x0f,
        compressed: rsv1,
        wireBytes: length,
        data: rsv1
          ? inflateRawSync(Buffer.concat([payload, DEFLATE_TAIL]), { finishFlush: constants.Z_SYNC_FLUSH })
          : Buffer.from(payload),
      };
      if (frame.opcode === OP_BINARY) {
        frame.compressed ||= frame.data[0] === BINARY_FRAME.deflatedOutput;
        const decoded = decodeBinaryFrame(frame.data, inflateRawSync);
        if (decoded.ok) frame.text = decoded.message.data;
        else this.unreadable.push(decoded.error);
      } else if (frame.opcode === OP_TEXT) {
        const f = JSON.parse(frame.data.toString('utf8')) as { type: string; data?: string };
        if (f.type === 'output') frame.text = f.data!;
      }
      this.frames.push(frame);
      if (frame.text !== undefined) this.took(frame.text);
    }
    for (const w of [...this.waiters]) w();
  }

  private took(text: string): void {
    this.pieces.push(text);
    this.tail = (this.tail + text.slice(-TAIL_CHARS)).slice(-TAIL_CHARS);
  }

  /** All output so far. */
  get output(): string {
    if (this.pieces.length > 1) this.pieces = [this.pieces.join('')];
    return this.pieces[0] ?? '';
  }

  /** The JSON text frames received. */
  json(): { type: string; [k: string]: unknown }[] {
    return this.frames
      .filter((f) => f.opcode === OP_TEXT)
      .map((f) => JSON.parse(f.data.toString('utf8')) as { type: string });
  }

  /** Output frames, binary or JSON, in order. */
  outputFrames(from = 0): WireFrame[] {
    return this.frames.slice(from).filter((f) => f.text !== undefined);
  }

  /** A masked text frame, as clients must send. */
  send(frame: object): void {
    const payload = Buffer.from(JSON.stringify(frame));
    const mask = randomBytes(4);
    const n = payload.length;
    const head = n < 126 ? Buffer.from([0x81, 0x80 | n]) : Buffer.from([0x81, 0x80 | 126, n >> 8, n & 0xff]);
    for (let i = 0; i < n; i++) payload[i]! ^= mask[i & 3]!;
    this.socket.write(Buffer.concat([head, mask, payload]));
  }

  waitUntil(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pred()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(`timed out waiting for ${what}; output tail ${JSON.stringify(this.tail.slice(-200))}`),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

let portal: Portal;
let sshd: RealSshd;
let deviceId: string;

beforeAll(async () => {
  sshd = await startSshd();
  portal = await startPortal({ lab: [], waterMarks: { highBytes: HIGH, lowBytes: 64 * 1024 } });
  deviceId = await addSshdDevice(portal, sshd, {
    name: 'debian-openssh',
    vendor: 'generic',
    grantTo: [portal.users.operator],
  });
});
afterAll(async () => {
  await portal?.close();
  await sshd?.close();
});

/** UTF-8 of several widths, colours and a bell, printed from octal escapes (the typed line stays ASCII). */
const PRINTF = `printf 'h\\303\\251llo \\344\\270\\255\\346\\226\\207 \\033[31mred\\033[0m\\007 \\360\\237\\230\\200\\n'\r`;
const PRINTED = 'héllo 中文 \x1b[31mred\x1b[0m\x07 😀\r\n';

describe('terminal output framing', () => {
  it('output comes as binary frames when the URL asks (JSON otherwise), the same text either way', async () => {
    const raw = await RawSocket.open(portal, `/ws/terminal/${deviceId}?output=binary`, portal.users.operator);
    // a browser would compress each keystroke it sends if this were agreed
    expect(raw.deflate).toBe(false);
    raw.send({ type: 'connect', cols: 120, rows: 40 });
    await raw.waitUntil(() => PROMPT.test(raw.tail), 'the prompt');
    raw.send({ type: 'input', data: PRINTF });
    await raw.waitUntil(() => raw.tail.includes(PRINTED), 'the printed line');
    const outputs = raw.outputFrames();
    expect(outputs.length).toBeGreaterThan(0);
    for (const f of outputs) {
      expect(f.opcode).toBe(OP_BINARY);
      expect(f.data[0]).toBe(BINARY_FRAME.output);
    }
    // every other frame stays JSON text
    expect(raw.json().map((f) => f.type)).toContain('terminal_connected');
    raw.send({ type: 'ping', ts: 42 });
    await raw.waitUntil(() => raw.json().some((f) => f.type === 'pong' && f.ts === 42), 'the pong');

    // a reattach gets the screen as it was, binary too
    const sessionId = raw.json().find((f) => f.type === 'terminal_connected')!.session_id as string;
    raw.close();
    const back = await RawSocket.open(
      portal,
      `/ws/terminal/${deviceId}?output=binary`,
      portal.users.operator,
    );
    back.send({ type: 'connect', session_id: sessionId, cols: 120, rows: 40 });
    await back.waitUntil(() => back.tail.includes('red'), 'the screen again');
    expect(back.outputFrames().every((f) => f.opcode === OP_BINARY)).toBe(true);
    back.send({ type: 'close' });
    back.close();

    // an API client that does not ask gets JSON output frames with the same text
    const api = await RawSocket.open(portal, `/ws/terminal/${deviceId}`, portal.users.operator);
    expect(api.deflate).toBe(true);
    api.send({ type: 'connect' });
    await api.waitUntil(() => PROMPT.test(api.tail), 'the prompt');
    api.send({ type: 'input', data: PRINTF });
    await api.waitUntil(() => api.tail.includes(PRINTED), 'the printed line');
    expect(api.outputFrames().every((f) => f.opcode === OP_TEXT)).toBe(true);
    expect(raw.unreadable.concat(back.unreadable)).toEqual([]);
    api.send({ type: 'close' });
    api.close();
  });

  it.each([
    ['binary', '?output=binary'],
    ['JSON', ''],
  ])('%s output frames are compressed only while the reader is behind', async (_framing, query) => {
    const raw = await RawSocket.open(portal, `/ws/terminal/${deviceId}${query}`, portal.users.operator);
    raw.send({ type: 'connect', cols: 120, rows: 40 });
    await raw.waitUntil(() => PROMPT.test(raw.tail), 'the prompt');
    const sessionId = raw.json().find((f) => f.type === 'terminal_connected')!.session_id as string;
    const session = portal.terminals.find(sessionId, portal.users.operator, deviceId)!;

    // ~340 KB read as it comes: the socket never holds a frame's worth, nothing is compressed
    let from = raw.frames.length;
    raw.send({ type: 'input', data: 'seq 1 50000; echo FAST""_DONE\r' });
    await raw.waitUntil(() => /FAST_DONE\r\n[^\n]*[$#] $/.test(raw.tail), 'the fast output and the prompt');
    const fast = raw.outputFrames(from);
    expect(fast.some((f) => f.text!.length >= WS_COMPRESS_THRESHOLD_BYTES)).toBe(true);
    expect(fast.filter((f) => f.compressed).length).toBe(0);
    expect(raw.output).toContain('\r\n49999\r\n50000\r\n');

    // the reader stops reading: output piles up until the device is paused
    raw.socket.pause();
    from = raw.frames.length;
    const start = raw.output.length;
    raw.send({ type: 'input', data: 'seq 1 2000000; echo SLOW""_DONE\r' });
    await vi.waitFor(() => expect(session.isPaused).toBe(true), { timeout: 30_000, interval: 20 });
    raw.socket.resume();
    await raw.waitUntil(() => raw.tail.includes('SLOW_DONE\r\n'), 'the slow output', 60_000);

    const compressed = raw.outputFrames(from).filter((f) => f.compressed);
    expect(compressed.length).toBeGreaterThan(0);
    // what was compressed crossed the link in a fraction of its size
    const wire = compressed.reduce((n, f) => n + f.wireBytes, 0);
    const text = compressed.reduce((n, f) => n + f.text!.length, 0);
    expect(wire).toBeLessThan(text / 2);
    // and every line arrived, in order, compressed or not
    expect(raw.unreadable).toEqual([]);
    const printed = raw.output.slice(start);
    // the numbers start after the echoed command line (and bash's bracketed-paste reset)
    const first = printed.search(/[\r\n]1\r\n/) + 1;
    const lines = printed.slice(first, printed.indexOf('SLOW_DONE')).split('\r\n');
    expect(lines.length).toBe(2_000_000 + 1); // and the empty rest after the last line's \r\n
    for (let i = 0; i < 2_000_000; i++) if (lines[i] !== String(i + 1)) expect(lines[i]).toBe(String(i + 1));

    raw.send({ type: 'close' });
    await raw.waitUntil(() => raw.json().some((f) => f.type === 'terminal_closed'), 'the session to close');
    raw.close();
  });
});
