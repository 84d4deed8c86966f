/**
 * Interactive terminal session of a simulated device on an ssh2 shell channel: line editing with echo,
 * backspace, Ctrl+C / Ctrl+Z, type-ahead, the vendor pager, device encoding (UTF-8 or GBK) and per-command
 * latency. Also the one-shot `exec` request and the fault modes that replace a normal shell.
 */
import { StringDecoder } from 'node:string_decoder';

import iconv from 'iconv-lite';

import { isWideChar, iosLogTime, vrpLogTime, type CliMachine, type CliResult } from './model';
import type { LabEncoding, LabVendor } from './types';

/** The part of an ssh2 ServerChannel the session uses (also lets tests use a fake stream). */
export interface ShellStream {
  write(data: Buffer): boolean;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'close' | 'finish' | 'end', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
  end(): unknown;
  exit(status: number): unknown;
}

export interface ShellOptions {
  encoding?: LabEncoding;
  latencyMs?: number;
  /** Terminal rows (pty request); default 24. */
  rows?: number;
  /** Called once when the session ends because of the CLI (quit/exit/logout), after the channel ended. */
  onExit?: () => void;
}

export const SHELL_DEFAULT_ROWS = 24;

interface TextCodec {
  encode(text: string): Buffer;
  decoder(): { write(buf: Buffer): string };
}

export function codecFor(encoding: LabEncoding = 'utf-8'): TextCodec {
  if (encoding === 'gbk') {
    return {
      encode: (text) => iconv.encode(text, 'gbk'),
      decoder: () => {
        const d = iconv.getDecoder('gbk');
        return { write: (buf) => d.write(buf) };
      },
    };
  }
  return {
    encode: (text) => Buffer.from(text, 'utf8'),
    decoder: () => {
      const d = new StringDecoder('utf8');
      return { write: (buf) => d.write(buf) };
    },
  };
}

/** Keys after terminal decoding: printable characters and the few control keys the CLIs react to. */
export type Key =
  { t: 'char'; ch: string } | { t: 'enter' } | { t: 'backspace' } | { t: 'interrupt' } | { t: 'suspend' };

/**
 * Turns decoded terminal input into keys: CR, LF or CRLF is one Enter, 0x7f/0x08 backspace, 0x03 Ctrl+C,
 * 0x1a Ctrl+Z; ANSI escape sequences (arrow keys, function keys) and other control characters are dropped.
 * Keeps its state across chunks, so a sequence split between two packets is still recognised.
 */
export class KeyDecoder {
  private esc: 'none' | 'esc' | 'csi' | 'ss3' = 'none';
  private lastCr = false;

  feed(text: string, out: Key[]): void {
    for (const ch of text) {
      const code = ch.codePointAt(0) ?? 0;
      if (this.esc === 'esc') {
        this.esc = ch === '[' ? 'csi' : ch === 'O' ? 'ss3' : 'none';
        continue;
      }
      if (this.esc === 'csi') {
        if (code >= 0x40 && code <= 0x7e) this.esc = 'none';
        continue;
      }
      if (this.esc === 'ss3') {
        this.esc = 'none';
        continue;
      }
      const wasCr = this.lastCr;
      this.lastCr = false;
      if (ch === '\r') {
        this.lastCr = true;
        out.push({ t: 'enter' });
      } else if (ch === '\n') {
        if (!wasCr) out.push({ t: 'enter' });
      } else if (code === 0x1b) {
        this.esc = 'esc';
      } else if (code === 0x7f || code === 0x08) {
        out.push({ t: 'backspace' });
      } else if (code === 0x03) {
        out.push({ t: 'interrupt' });
      } else if (code === 0x1a) {
        out.push({ t: 'suspend' });
      } else if (code >= 0x20) {
        out.push({ t: 'char', ch });
      }
    }
  }
}

type Mode = 'edit' | 'busy' | 'pager' | 'closed';

interface PagerState {
  lines: string[];
  pos: number;
  pageSize: number;
  result: CliResult;
}

/** One interactive shell: create, then `start()`. */
export class LabShellSession {
  private readonly codec: TextCodec;
  private readonly decoder: { write(buf: Buffer): string };
  private readonly keyDecoder = new KeyDecoder();
  private readonly keys: Key[] = [];
  private line: string[] = [];
  private mode: Mode = 'edit';
  private prompt: string;
  private secret = false;
  private pagerState: PagerState | undefined;
  private timer: NodeJS.Timeout | undefined;
  private rows: number;
  private readonly latencyMs: number;

  constructor(
    private readonly stream: ShellStream,
    private readonly machine: CliMachine,
    private readonly opts: ShellOptions = {},
  ) {
    this.codec = codecFor(opts.encoding);
    this.decoder = this.codec.decoder();
    this.rows = normaliseRows(opts.rows);
    this.latencyMs = Math.max(0, opts.latencyMs ?? 0);
    this.prompt = machine.prompt;
  }

  /** Writes the login banner and first prompt, then starts reading keys. */
  start(): void {
    this.stream.on('data', (data: Buffer) => this.onData(data));
    this.stream.on('close', () => this.shutdown());
    this.stream.on('error', () => this.shutdown());
    const banner = this.machine.banner();
    this.write(banner.map((l) => `${l}\r\n`).join('') + this.prompt);
  }

  setRows(rows: number | undefined): void {
    this.rows = normaliseRows(rows);
  }

  get closed(): boolean {
    return this.mode === 'closed';
  }

  private shutdown(): void {
    this.mode = 'closed';
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.keys.length = 0;
  }

  private write(text: string): void {
    if (this.mode === 'closed' || text === '') return;
    this.stream.write(this.codec.encode(text));
  }

  private onData(data: Buffer): void {
    if (this.mode === 'closed') return;
    this.keyDecoder.feed(this.decoder.write(data), this.keys);
    this.pump();
  }

  /** Processes queued keys until a command is in progress (latency) or the queue is empty. */
  private pump(): void {
    while (this.keys.length > 0 && (this.mode === 'edit' || this.mode === 'pager')) {
      const key = this.keys.shift() as Key;
      if (this.mode === 'pager') this.pagerKey(key);
      else this.editKey(key);
    }
  }

  private editKey(key: Key): void {
    switch (key.t) {
      case 'char':
        this.line.push(key.ch);
        if (!this.secret) this.write(key.ch);
        return;
      case 'backspace': {
        const ch = this.line.pop();
        if (ch !== undefined && !this.secret) this.write(isWideChar(ch) ? '\b\b  \b\b' : '\b \b');
        return;
      }
      case 'interrupt':
      case 'suspend': {
        this.line = [];
        const res = key.t === 'interrupt' ? this.machine.interrupt() : this.machine.toTop();
        this.write(`${res.echo ?? ''}\r\n`);
        this.finish(res);
        return;
      }
      case 'enter': {
        const text = this.line.join('');
        this.line = [];
        this.write('\r\n');
        const column = this.prompt.length;
        if (text.trim() === '' && !this.secret) {
          this.finish(this.machine.execute(text, { column }));
          return;
        }
        this.mode = 'busy';
        const run = (): void => {
          this.timer = undefined;
          if (this.mode === 'closed') return;
          this.deliver(this.machine.execute(text, { column }));
        };
        if (this.latencyMs > 0) this.timer = setTimeout(run, this.latencyMs);
        else run();
        return;
      }
    }
  }

  private deliver(res: CliResult): void {
    const pageSize = res.pageable ? this.machine.pageSize(this.rows) : 0;
    if (pageSize > 0 && res.lines.length > pageSize) {
      this.pagerState = { lines: res.lines, pos: 0, pageSize, result: res };
      this.mode = 'pager';
      this.showMore(pageSize);
      return;
    }
    this.write(res.lines.map((l) => `${l}\r\n`).join(''));
    this.finish(res);
  }

  private showMore(count: number): void {
    const p = this.pagerState as PagerState;
    const chunk = p.lines.slice(p.pos, p.pos + count);
    p.pos += chunk.length;
    const text = chunk.map((l) => `${l}\r\n`).join('');
    if (p.pos < p.lines.length) {
      this.write(text + this.machine.pager.prompt);
      return;
    }
    this.write(text);
    this.pagerState = undefined;
    this.finish(p.result);
  }

  private pagerKey(key: Key): void {
    const p = this.pagerState as PagerState;
    const stop =
      key.t === 'interrupt' ||
      key.t === 'suspend' ||
      (key.t === 'char' && (key.ch === 'q' || key.ch === 'Q'));
    if (stop) {
      this.write(this.machine.pager.erase);
      this.pagerState = undefined;
      this.finish(p.result);
    } else if (key.t === 'char' && key.ch === ' ') {
      this.write(this.machine.pager.erase);
      this.showMore(p.pageSize);
    } else if (key.t === 'enter') {
      this.write(this.machine.pager.erase);
      this.showMore(1);
    }
    // Other keys are ignored while the pager waits.
  }

  /** Shows the prompt after a command, or ends the session when the CLI says so. */
  private finish(res: CliResult): void {
    if (this.mode === 'closed') return;
    if (res.close) {
      this.shutdown();
      endChannel(this.stream, 0);
      this.opts.onExit?.();
      return;
    }
    this.prompt = res.prompt;
    this.secret = res.secret ?? false;
    this.mode = 'edit';
    this.write(this.prompt);
    // The caller's loop (pump) continues with queued type-ahead; after latency we restart it here.
    queueMicrotask(() => this.pump());
  }
}

function normaliseRows(rows: number | undefined): number {
  return rows && Number.isFinite(rows) && rows > 1 ? Math.floor(rows) : SHELL_DEFAULT_ROWS;
}

function endChannel(stream: ShellStream, status: number): void {
  try {
    stream.exit(status);
    stream.end();
  } catch {
    // The channel may already be gone.
  }
}

/** Runs one command for the ssh2 `exec` request: no paging, output, exit status 0, end. */
export function runExecCommand(
  stream: ShellStream,
  machine: CliMachine,
  command: string,
  opts: Pick<ShellOptions, 'encoding' | 'latencyMs'> = {},
): void {
  const codec = codecFor(opts.encoding);
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  stream.on('close', () => {
    closed = true;
    if (timer) clearTimeout(timer);
  });
  stream.on('error', () => {
    closed = true;
  });
  // Input on an exec channel is read and discarded so the client's window never stalls.
  stream.on('data', () => {});
  const run = (): void => {
    if (closed) return;
    const res = machine.execute(command, { column: 0 });
    const text = res.lines.map((l) => `${l}\r\n`).join('');
    if (text) stream.write(codec.encode(text));
    endChannel(stream, 0);
  };
  const latency = Math.max(0, opts.latencyMs ?? 0);
  if (latency > 0) timer = setTimeout(run, latency);
  else run();
}

/** Fault 'hang: session': accepts the shell, reads and ignores input, never writes. */
export function runHungSession(stream: ShellStream): void {
  stream.on('data', () => {});
  stream.on('error', () => {});
}

/**
 * Fault 'flood': streams log lines endlessly, stopping while `write` reports backpressure and resuming
 * on 'drain'; stops for good when the channel closes.
 */
export function runFlood(
  stream: ShellStream,
  vendor: LabVendor,
  hostname: string,
  encoding: LabEncoding = 'utf-8',
): void {
  const codec = codecFor(encoding);
  let stopped = false;
  let seq = 0;
  const base = Date.now();
  const stop = (): void => {
    stopped = true;
  };
  stream.on('close', stop);
  stream.on('finish', stop);
  stream.on('error', stop);
  stream.on('data', () => {});

  const logLine = (): string => {
    seq++;
    const port = (seq % 24) + 1;
    const when = new Date(base + seq * 37);
    const down = seq % 2 === 0;
    if (vendor === 'huawei_vrp') {
      return (
        `${vrpLogTime(when)} ${hostname} %%01IFNET/4/LINK_STATE(l)[${seq}]:The line protocol IP on the interface ` +
        `GigabitEthernet0/0/${port} has entered the ${down ? 'DOWN' : 'UP'} state.\r\n`
      );
    }
    return (
      `*${iosLogTime(when)}: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet1/0/${port}, ` +
      `changed state to ${down ? 'down' : 'up'}\r\n`
    );
  };

  const pump = (): void => {
    for (let batch = 0; batch < 16; batch++) {
      if (stopped) return;
      let chunk = '';
      while (chunk.length < 16 * 1024) chunk += logLine();
      if (!stream.write(codec.encode(chunk))) {
        stream.once('drain', pump);
        return;
      }
    }
    // Yield to the event loop between bursts so other devices and sockets keep running.
    if (!stopped) setImmediate(pump);
  };
  pump();
}
