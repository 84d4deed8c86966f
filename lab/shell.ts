/**
 * Interactive terminal session of a simulated device on an ssh2 shell channel: line editing with echo,
 * backspace, Ctrl+C / Ctrl+Z, type-ahead, the vendor pager, device encoding (UTF-8 or GBK) and per-command
 * latency. Also the one-shot `exec` request and the fault modes that replace a normal shell.
 */
import { StringDecoder } from 'node:string_decoder';

import iconv from 'iconv-lite';

import {
  isWideChar,
  iosLogTime,
  vrpLogTime,
  type CliMachine,
  type CliResult,
  type PagerStyle,
} from './model';
import { completeLine, helpFor } from './match';
import type { DropMoment, LabEncoding, LabFaults, LabVendor } from './types';

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
  /** The faults that act inside a session. */
  faults?: SessionFaults;
  /** Cuts the connection abruptly (the server destroys the TCP socket); without it the channel is ended. */
  drop?: () => void;
  /**
   * What the session writes when it starts: 'banner' (default) the CLI's banner and prompt; 'prompt' the
   * prompt alone (the banner was shown before a telnet login); 'none' nothing until the user presses
   * Enter, like a console line whose device has been sitting at its prompt.
   */
  greeting?: ShellGreeting;
}

export type ShellGreeting = 'banner' | 'prompt' | 'none';

export type SessionFaults = Pick<LabFaults, 'dropAfterEnable' | 'dropOnCommand' | 'promptOverride'>;

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
  | { t: 'char'; ch: string }
  | { t: 'enter' }
  | { t: 'backspace' }
  | { t: 'interrupt' }
  | { t: 'suspend' }
  | { t: 'tab' }
  | { t: 'up' }
  | { t: 'down' }
  | { t: 'left' }
  | { t: 'right' }
  | { t: 'home' }
  | { t: 'end' }
  | { t: 'kill-left' };

type MoveKey = 'up' | 'down' | 'left' | 'right' | 'home' | 'end';
const CSI_KEYS: Record<string, MoveKey> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  '1~': 'home',
  '4~': 'end',
};
const SS3_KEYS: Record<string, MoveKey> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };

/**
 * Turns decoded terminal input into keys: CR, LF or CRLF is one Enter, 0x7f/0x08 backspace, 0x03 Ctrl+C,
 * 0x1a Ctrl+Z, Tab, Up/Down (arrow keys in either cursor mode, or Ctrl+P / Ctrl+N) for history, and the
 * line-editing keys of IOS and VRP: Left/Right (Ctrl+B / Ctrl+F), Home/End (Ctrl+A / Ctrl+E), Ctrl+U or
 * Ctrl+X to erase left of the cursor; other escape sequences (function keys) and control characters are
 * dropped.
 * Keeps its state across chunks, so a sequence split between two packets is still recognised.
 */
export class KeyDecoder {
  private esc: 'none' | 'esc' | 'csi' | 'ss3' = 'none';
  private csi = '';
  private lastCr = false;

  feed(text: string, out: Key[]): void {
    for (const ch of text) {
      const code = ch.codePointAt(0) ?? 0;
      if (this.esc === 'esc') {
        this.esc = ch === '[' ? 'csi' : ch === 'O' ? 'ss3' : 'none';
        this.csi = '';
        continue;
      }
      if (this.esc === 'csi') {
        this.csi += ch;
        if (code >= 0x40 && code <= 0x7e) {
          this.esc = 'none';
          // only the plain keys: ESC [ A / ESC [ B (not ESC [ 1 ; 5 A, Ctrl+Up)
          const k = CSI_KEYS[this.csi];
          if (k) out.push({ t: k });
        }
        continue;
      }
      if (this.esc === 'ss3') {
        this.esc = 'none';
        const k = SS3_KEYS[ch];
        if (k) out.push({ t: k });
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
      } else if (code === 0x09) {
        out.push({ t: 'tab' });
      } else if (code === 0x01) {
        out.push({ t: 'home' });
      } else if (code === 0x05) {
        out.push({ t: 'end' });
      } else if (code === 0x02) {
        out.push({ t: 'left' });
      } else if (code === 0x06) {
        out.push({ t: 'right' });
      } else if (code === 0x15 || code === 0x18) {
        // Ctrl+U (IOS, Junos) and Ctrl+X (VRP, Comware, IOS too): erase from the cursor to the line's start
        out.push({ t: 'kill-left' });
      } else if (code === 0x10) {
        out.push({ t: 'up' });
      } else if (code === 0x0e) {
        out.push({ t: 'down' });
      } else if (code >= 0x20) {
        out.push({ t: 'char', ch });
      }
    }
  }
}

type Mode = 'edit' | 'busy' | 'pager' | 'closed';

/** Lines Up/Down can recall (IOS keeps 10 by default, VRP 10; the lab keeps a few more). */
export const HISTORY_MAX_LINES = 20;

interface PagerState {
  lines: string[];
  pos: number;
  pageSize: number;
  result: CliResult;
  /** The pager prompt on screen, whose erase sequence the next key writes. */
  style: PagerStyle;
  /** Characters of output (lines and line breaks) written so far, and in all. */
  shownChars: number;
  totalChars: number;
}

/** One interactive shell: create, then `start()`. */
export class LabShellSession {
  private readonly codec: TextCodec;
  private readonly decoder: { write(buf: Buffer): string };
  /**
   * While keys that arrived together are handled, what they write is collected and goes out as one
   * write, as a device echoes a pasted line: one SSH packet per key made a 120 KB paste 120,000
   * packets to encrypt and compress, which held the event loop (the portal's, with the built-in lab)
   * for seconds.
   */
  private batch: string[] | null = null;
  private readonly keyDecoder = new KeyDecoder();
  private readonly keys: Key[] = [];
  private line: string[] = [];
  /** Where the cursor is in `line` (Left/Right, Ctrl+A/E move it; typing inserts there). */
  private cursor = 0;
  /** Lines entered (newest last) and, while Up/Down browse them, the one shown and the line left behind. */
  private readonly history: string[] = [];
  private historyAt = -1;
  private draft = '';
  private mode: Mode = 'edit';
  private prompt: string;
  private secret = false;
  /** The prompt is a question (`[Y/N]:`): its answer is not a command and stays out of the history. */
  private asking = false;
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
    this.prompt = opts.faults?.promptOverride ?? machine.prompt;
  }

  /** Writes the login banner and first prompt, then starts reading keys. */
  start(): void {
    this.stream.on('data', (data: Buffer) => this.onData(data));
    this.stream.on('close', () => this.shutdown());
    this.stream.on('error', () => this.shutdown());
    const greeting = this.opts.greeting ?? 'banner';
    if (greeting === 'none') return;
    const banner = greeting === 'banner' ? this.machine.banner() : [];
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
    if (this.batch) this.batch.push(text);
    else this.stream.write(this.codec.encode(text));
  }

  /** What the keys handled together wrote, as one write (see `batch`). */
  private flushBatch(): void {
    const out = this.batch;
    this.batch = null;
    if (out && out.length > 0 && this.mode !== 'closed') this.stream.write(this.codec.encode(out.join('')));
  }

  private onData(data: Buffer): void {
    if (this.mode === 'closed') return;
    this.keyDecoder.feed(this.decoder.write(data), this.keys);
    this.pump();
  }

  /** Processes queued keys until a command is in progress (latency) or the queue is empty. */
  private pump(): void {
    const outer = this.batch === null;
    if (outer) this.batch = [];
    try {
      while (this.keys.length > 0 && (this.mode === 'edit' || this.mode === 'pager')) {
        const key = this.keys.shift() as Key;
        if (this.mode === 'pager') this.pagerKey(key);
        else this.editKey(key);
      }
    } finally {
      if (outer) this.flushBatch();
    }
  }

  private editKey(key: Key): void {
    switch (key.t) {
      case 'char': {
        if (key.ch === '?' && !this.secret && this.machine.commandsNow) return this.help();
        const rest = this.line.slice(this.cursor);
        this.line.splice(this.cursor, 0, key.ch);
        this.cursor++;
        // inserted inside the line: what follows is drawn again and the cursor put back
        if (!this.secret) this.write(key.ch + rest.join('') + '\b'.repeat(width(rest)));
        return;
      }
      case 'tab': {
        const done =
          this.secret || !this.machine.commandsNow
            ? null
            : completeLine(this.machine.commandsNow(), this.line.join(''));
        if (done !== null) this.replaceLine(done);
        return;
      }
      case 'left':
        if (this.cursor > 0 && !this.secret) this.write('\b'.repeat(width([this.line[--this.cursor]!])));
        return;
      case 'right':
        if (this.cursor < this.line.length && !this.secret) this.write(this.line[this.cursor++]!);
        return;
      case 'home':
        if (!this.secret) this.write('\b'.repeat(width(this.line.slice(0, this.cursor))));
        this.cursor = 0;
        return;
      case 'end':
        if (!this.secret) this.write(this.line.slice(this.cursor).join(''));
        this.cursor = this.line.length;
        return;
      case 'kill-left': {
        const gone = width(this.line.slice(0, this.cursor));
        const rest = this.line.slice(this.cursor);
        this.line = rest;
        this.cursor = 0;
        if (!this.secret && gone > 0)
          this.write('\b'.repeat(gone) + rest.join('') + ' '.repeat(gone) + '\b'.repeat(gone + width(rest)));
        return;
      }
      case 'up':
      case 'down':
        if (!this.secret) this.recall(key.t);
        return;
      case 'backspace': {
        if (this.cursor === 0) return;
        const [ch] = this.line.splice(--this.cursor, 1);
        const rest = this.line.slice(this.cursor);
        const w = width([ch!]);
        if (!this.secret)
          this.write('\b'.repeat(w) + rest.join('') + ' '.repeat(w) + '\b'.repeat(w + width(rest)));
        return;
      }
      case 'interrupt':
      case 'suspend': {
        this.line = [];
        this.cursor = 0;
        const res = key.t === 'interrupt' ? this.machine.interrupt() : this.machine.toTop();
        this.write(`${res.echo ?? ''}\r\n`);
        this.finish(res);
        return;
      }
      case 'enter': {
        const text = this.line.join('');
        this.line = [];
        this.cursor = 0;
        this.historyAt = -1;
        if (!this.secret && !this.asking && text.trim() !== '' && this.history.at(-1) !== text) {
          this.history.push(text);
          if (this.history.length > HISTORY_MAX_LINES) this.history.shift();
        }
        this.write('\r\n');
        // The caret of an error marker counts from the start of the prompt's last line.
        const column = this.prompt.length - (this.prompt.lastIndexOf('\n') + 1);
        // An empty line answers at once (no latency), but its output still counts: a question's default
        // answer (`copy` destination, Comware file name) or Junos' blank line.
        if (text.trim() === '' && !this.secret) {
          this.deliver(this.machine.execute(text, { column }));
          return;
        }
        const drop = this.dropMomentFor(text);
        if (drop === 'before-output') {
          this.dropConnection();
          return;
        }
        this.mode = 'busy';
        const run = (): void => {
          this.timer = undefined;
          if (this.mode === 'closed') return;
          const wasPrivileged = this.machine.privileged ?? false;
          const res = this.machine.execute(text, { column });
          if (this.opts.faults?.dropAfterEnable && !wasPrivileged && this.machine.privileged) {
            this.dropConnection();
            return;
          }
          this.deliver(res, drop);
        };
        if (this.latencyMs > 0) this.timer = setTimeout(run, this.latencyMs);
        else run();
        return;
      }
    }
  }

  /** `?`: the words the line may continue with, then the prompt and the line again (as IOS and VRP do). */
  private help(): void {
    const text = this.line.join('');
    const words = helpFor(this.machine.commandsNow?.() ?? [], text);
    const list = words.length > 0 ? words.map((w) => `  ${w}`) : ['% Unrecognized command'];
    this.write(`?\r\n${list.join('\r\n')}\r\n\r\n${this.prompt}${text}`);
  }

  /** Up / Down: the previous or next line entered; past the newest, the line that was being typed. */
  private recall(direction: 'up' | 'down'): void {
    if (this.history.length === 0) return;
    if (direction === 'up') {
      if (this.historyAt === -1) {
        this.draft = this.line.join('');
        this.historyAt = this.history.length - 1;
      } else if (this.historyAt > 0) this.historyAt--;
      else return;
      this.replaceLine(this.history[this.historyAt]!);
      return;
    }
    if (this.historyAt === -1) return;
    this.historyAt++;
    if (this.historyAt >= this.history.length) {
      this.historyAt = -1;
      this.replaceLine(this.draft);
    } else this.replaceLine(this.history[this.historyAt]!);
  }

  /** Erase the typed line on screen and show `text` in its place, the cursor at its end. */
  private replaceLine(text: string): void {
    const all = width(this.line);
    const before = width(this.line.slice(0, this.cursor));
    this.write('\b'.repeat(before) + ' '.repeat(all) + '\b'.repeat(all) + text);
    this.line = [...text];
    this.cursor = this.line.length;
  }

  /** The `dropOnCommand` moment when this line is the fault's command. */
  private dropMomentFor(text: string): DropMoment | undefined {
    const fault = this.opts.faults?.dropOnCommand;
    return fault && !this.secret && text.trim() === fault.command.trim() ? fault.when : undefined;
  }

  /** Fault: the connection goes away without a goodbye; nothing more is written. */
  private dropConnection(): void {
    if (this.mode === 'closed') return;
    this.flushBatch(); // what it echoed before the fault went out
    this.shutdown();
    if (this.opts.drop) this.opts.drop();
    else endChannel(this.stream, 0);
  }

  private deliver(res: CliResult, drop?: DropMoment): void {
    const pageSize = res.pageable ? this.machine.pageSize(this.rows) : 0;
    if (pageSize > 0 && res.lines.length > pageSize) {
      const totalChars = res.lines.reduce((n, l) => n + l.length + 2, 0);
      const style = this.machine.pager;
      this.pagerState = { lines: res.lines, pos: 0, pageSize, result: res, style, shownChars: 0, totalChars };
      this.mode = 'pager';
      if (drop === 'mid-output') return this.dropMidOutput(res.lines.slice(0, pageSize));
      this.showMore(pageSize);
      if (drop === 'mid-pager') this.dropConnection();
      return;
    }
    if (drop === 'mid-output') return this.dropMidOutput(res.lines);
    this.write(res.lines.map((l) => `${l}\r\n`).join(''));
    if (drop === 'mid-pager') return this.dropConnection();
    this.finish(res);
  }

  /** Fault 'mid-output': the first half of the lines (at least one), then the connection is gone. */
  private dropMidOutput(lines: string[]): void {
    const half = lines.slice(0, Math.max(1, Math.ceil(lines.length / 2)));
    this.write(half.map((l) => `${l}\r\n`).join(''));
    this.dropConnection();
  }

  private showMore(count: number): void {
    const p = this.pagerState as PagerState;
    const chunk = p.lines.slice(p.pos, p.pos + count);
    p.pos += chunk.length;
    const text = chunk.map((l) => `${l}\r\n`).join('');
    p.shownChars += text.length;
    if (p.pos < p.lines.length) {
      p.style = this.machine.pagerAt?.(p.shownChars, p.totalChars) ?? this.machine.pager;
      this.write(text + p.style.prompt);
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
      this.write(p.style.erase);
      this.pagerState = undefined;
      this.finish(p.result);
    } else if (key.t === 'char' && key.ch === ' ') {
      this.write(p.style.erase);
      this.showMore(p.pageSize);
    } else if (key.t === 'enter') {
      this.write(p.style.erase);
      this.showMore(1);
    }
    // Other keys are ignored while the pager waits.
  }

  /** Shows the prompt after a command, or ends the session when the CLI says so. */
  private finish(res: CliResult): void {
    if (this.mode === 'closed') return;
    if (res.close) {
      this.flushBatch();
      this.shutdown();
      endChannel(this.stream, 0);
      this.opts.onExit?.();
      return;
    }
    const override = this.opts.faults?.promptOverride;
    this.prompt = override !== undefined && !res.question ? override : res.prompt;
    this.asking = res.question ?? false;
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
  opts: Pick<ShellOptions, 'encoding' | 'latencyMs' | 'faults' | 'drop'> = {},
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
  const fault = opts.faults?.dropOnCommand;
  const drop = fault && command.trim() === fault.command.trim() ? fault.when : undefined;
  const run = (): void => {
    if (closed) return;
    if (drop === 'before-output') return dropOrEnd(stream, opts.drop);
    const res = machine.execute(command, { column: 0 });
    // There is no pager on an exec channel: 'mid-pager' cuts the output in the middle too.
    const lines = drop ? res.lines.slice(0, Math.max(1, Math.ceil(res.lines.length / 2))) : res.lines;
    const text = lines.map((l) => `${l}\r\n`).join('');
    if (text) stream.write(codec.encode(text));
    if (drop) dropOrEnd(stream, opts.drop);
    else endChannel(stream, 0);
  };
  const latency = Math.max(0, opts.latencyMs ?? 0);
  if (latency > 0) timer = setTimeout(run, latency);
  else run();
}

function dropOrEnd(stream: ShellStream, drop: (() => void) | undefined): void {
  if (drop) drop();
  else endChannel(stream, 0);
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
    return `${floodLine(vendor, hostname, seq, new Date(base + seq * 37))}\r\n`;
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

/** One interface up/down log line as the vendor prints it on a monitoring terminal. */
function floodLine(vendor: LabVendor, hostname: string, seq: number, when: Date): string {
  const port = (seq % 24) + 1;
  const down = seq % 2 === 0;
  switch (vendor) {
    case 'huawei_vrp':
      return (
        `${vrpLogTime(when)} ${hostname} %%01IFNET/4/LINK_STATE(l)[${seq}]:The line protocol IP on the interface ` +
        `GigabitEthernet0/0/${port} has entered the ${down ? 'DOWN' : 'UP'} state.`
      );
    case 'h3c_comware':
      return (
        `%${vrpLogTime(when).replace(/ (\d{4}) (\S+)$/, ' $2:000 $1')} ${hostname} IFNET/3/PHY_UPDOWN: ` +
        `Physical state on the interface GigabitEthernet1/0/${port} changed to ${down ? 'down' : 'up'}.`
      );
    case 'juniper_junos':
      return (
        `${iosLogTime(when).slice(0, 15)}  ${hostname} mib2d[2114]: SNMP_TRAP_LINK_${down ? 'DOWN' : 'UP'}: ` +
        `ifIndex ${520 + port}, ifAdminStatus up(1), ifOperStatus ${down ? 'down(2)' : 'up(1)'}, ifName ge-0/0/${port - 1}`
      );
    case 'cisco_ios':
      return (
        `*${iosLogTime(when)}: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet1/0/${port}, ` +
        `changed state to ${down ? 'down' : 'up'}`
      );
  }
}

/** Columns the characters take on screen. */
function width(chars: readonly string[]): number {
  return chars.reduce((n, ch) => n + (isWideChar(ch) ? 2 : 1), 0);
}
