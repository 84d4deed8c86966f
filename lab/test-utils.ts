/**
 * Helpers for driving lab devices with a real ssh2 client (or a small telnet client) in tests: connect,
 * open a shell, wait for output matching a pattern (with a timeout that fails), run an exec command.
 */
import { EventEmitter } from 'node:events';
import { connect as tcpConnect, type Socket } from 'node:net';

import iconv from 'iconv-lite';
import ssh2 from 'ssh2';
import type { Client, ClientChannel, ConnectConfig, PseudoTtyOptions } from 'ssh2';

import {
  TELNET_OPT,
  TTYPE_IS,
  TTYPE_SEND,
  TelnetParser,
  escapeIac,
  nawsPayload,
  telnetCommand,
  telnetSub,
  type TelnetVerb,
} from './telnet';
import type { LabEncoding, RunningLabDevice } from './types';

const { Client: SshClient } = ssh2;

export const DEFAULT_WAIT_MS = 5000;

export function connectTo(
  device: Pick<RunningLabDevice, 'host' | 'port' | 'username' | 'password'>,
  extra: Partial<ConnectConfig> = {},
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new SshClient();
    let ready = false;
    client.once('ready', () => {
      ready = true;
      resolve(client);
    });
    // After login, errors (connection reset by a fault, ...) surface as 'close'; never let them throw.
    client.on('error', (err) => {
      if (!ready) reject(err);
    });
    client.connect({
      host: device.host,
      port: device.port,
      username: device.username,
      password: device.password,
      readyTimeout: 5000,
      ...extra,
    });
  });
}

/** What OutputReader needs of a channel: an ssh2 ClientChannel or a TelnetClient. */
export interface ReaderChannel {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  once(event: 'close', listener: () => void): unknown;
  write(data: string | Buffer): unknown;
}

/** Accumulates a channel's output; `waitFor` matches from the end of the previous match onwards. */
export class OutputReader<C extends ReaderChannel = ClientChannel> {
  readonly chunks: Buffer[] = [];
  private decoded = '';
  private cursor = 0;
  private waiters: (() => void)[] = [];
  private readonly decoder: { write(b: Buffer): string };
  closed = false;

  constructor(
    readonly channel: C,
    encoding: LabEncoding = 'utf-8',
  ) {
    const d = iconv.getDecoder(encoding === 'gbk' ? 'gbk' : 'utf8');
    this.decoder = { write: (b) => d.write(b) };
    channel.on('data', (data: Buffer) => {
      this.chunks.push(data);
      this.decoded += this.decoder.write(data);
      this.notify();
    });
    channel.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Everything received so far, decoded. */
  get text(): string {
    return this.decoded;
  }

  /** Text received after the last match (or mark). */
  get pending(): string {
    return this.decoded.slice(this.cursor);
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Skips everything received so far. */
  mark(): void {
    this.cursor = this.decoded.length;
  }

  write(text: string | Buffer): void {
    this.channel.write(text);
  }

  /**
   * Resolves with the text from the previous cursor to the end of the first match of `re`, and moves the
   * cursor past it; rejects after `timeoutMs` with what was received.
   */
  waitFor(re: RegExp, timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const pending = this.decoded.slice(this.cursor);
        const m = re.exec(pending);
        if (!m) return false;
        const end = this.cursor + m.index + m[0].length;
        const consumed = this.decoded.slice(this.cursor, end);
        this.cursor = end;
        resolve(consumed);
        return true;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== onData);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${re}; got: ${JSON.stringify(this.pending)}`,
          ),
        );
      }, timeoutMs);
      const onData = (): void => {
        if (check()) {
          clearTimeout(timer);
          return;
        }
        if (this.closed) {
          clearTimeout(timer);
          reject(new Error(`channel closed while waiting for ${re}; got: ${JSON.stringify(this.pending)}`));
          return;
        }
        this.waiters.push(onData);
      };
      this.waiters.push(onData);
    });
  }

  /** Resolves when the channel has closed (rejects after the timeout). */
  waitClosed(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return resolve();
      const timer = setTimeout(() => reject(new Error('channel did not close')), timeoutMs);
      this.channel.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export function openShell(
  client: Client,
  encoding: LabEncoding = 'utf-8',
  window: Partial<PseudoTtyOptions> = { rows: 24, cols: 120, term: 'vt100' },
): Promise<OutputReader> {
  return new Promise((resolve, reject) => {
    client.shell(window, (err, channel) => {
      if (err) return reject(err);
      resolve(new OutputReader(channel, encoding));
    });
  });
}

export function execCommand(
  client: Client,
  command: string,
): Promise<{ stdout: Buffer; code: number | undefined }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(err);
      const chunks: Buffer[] = [];
      let code: number | undefined;
      channel.on('data', (d: Buffer) => chunks.push(d));
      channel.on('exit', (c: number | null) => {
        code = c ?? undefined;
      });
      channel.on('close', () => resolve({ stdout: Buffer.concat(chunks), code }));
    });
  });
}

/** The running lab device called `name`; throws when there is none. */
export function deviceNamed(devices: readonly RunningLabDevice[], name: string): RunningLabDevice {
  const d = devices.find((x) => x.name === name);
  if (!d) throw new Error(`no device ${name}`);
  return d;
}

/** The first line a TCP server on 127.0.0.1 sends (an SSH server's identification string). */
export function firstLineFrom(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      const at = buf.indexOf('\r\n');
      if (at >= 0) {
        socket.destroy();
        resolve(buf.slice(0, at));
      }
    });
    socket.on('error', reject);
  });
}

export interface TelnetClientOptions {
  /** Window size sent with NAWS when the server asks (DO NAWS); default 120 x 24. */
  cols?: number;
  rows?: number;
  /** Answered to SB TTYPE SEND; default 'VT100'. */
  terminalType?: string;
  /** Refuse NAWS (WONT) instead of sending a size. */
  refuseNaws?: boolean;
}

/**
 * A minimal telnet client, like the one in a terminal program: agrees to the server's ECHO and SGA,
 * answers DO NAWS with the window size and DO TTYPE with a terminal type, strips commands from the
 * output and escapes 0xFF in what it sends. `received` lists every option command the server sent.
 */
export class TelnetClient extends EventEmitter {
  readonly received: { verb: TelnetVerb; option: number }[] = [];
  readonly subs: { option: number; payload: Buffer }[] = [];
  private readonly parser = new TelnetParser();
  private cols: number;
  private rows: number;

  constructor(
    readonly socket: Socket,
    private readonly opts: TelnetClientOptions = {},
  ) {
    super();
    this.cols = opts.cols ?? 120;
    this.rows = opts.rows ?? 24;
    socket.on('data', (chunk: Buffer) => this.onChunk(chunk));
    socket.on('close', () => this.emit('close'));
    socket.on('error', () => {});
  }

  private onChunk(chunk: Buffer): void {
    for (const event of this.parser.feed(chunk)) {
      if (event.type === 'data') this.emit('data', event.data);
      else if (event.type === 'option') {
        this.received.push({ verb: event.verb, option: event.option });
        this.answer(event.verb, event.option);
      } else if (event.type === 'sub') {
        this.subs.push({ option: event.option, payload: event.payload });
        if (event.option === TELNET_OPT.TTYPE && event.payload[0] === TTYPE_SEND) {
          const name = Buffer.from(this.opts.terminalType ?? 'VT100', 'latin1');
          this.socket.write(telnetSub(TELNET_OPT.TTYPE, [TTYPE_IS, ...name]));
        }
      }
    }
  }

  private answer(verb: TelnetVerb, option: number): void {
    const send = (v: TelnetVerb): void => {
      this.socket.write(telnetCommand(v, option));
    };
    if (verb === 'WILL') send(option === TELNET_OPT.ECHO || option === TELNET_OPT.SGA ? 'DO' : 'DONT');
    else if (verb === 'DO' && option === TELNET_OPT.NAWS) {
      if (this.opts.refuseNaws) return send('WONT');
      send('WILL');
      this.socket.write(telnetSub(TELNET_OPT.NAWS, nawsPayload(this.cols, this.rows)));
    } else if (verb === 'DO' && option === TELNET_OPT.TTYPE) send('WILL');
    else if (verb === 'DO') send('WONT');
  }

  /** Sends data bytes (0xFF escaped). */
  write(data: string | Buffer): void {
    this.socket.write(escapeIac(typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
  }

  /** Sends protocol bytes as they are. */
  writeRaw(data: Buffer): void {
    this.socket.write(data);
  }

  /** The window changed: a new NAWS subnegotiation. */
  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.socket.write(telnetSub(TELNET_OPT.NAWS, nawsPayload(cols, rows)));
  }

  end(): void {
    this.socket.end();
  }
}

/** Connects a TelnetClient to a lab device; the reader sees the data bytes (decoded in `encoding`). */
export function connectTelnet(
  device: Pick<RunningLabDevice, 'host' | 'port'>,
  opts: TelnetClientOptions & { encoding?: LabEncoding } = {},
): Promise<OutputReader<TelnetClient>> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: device.host, port: device.port });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(new OutputReader(new TelnetClient(socket, opts), opts.encoding));
    });
  });
}

/** Types a telnet login (username, password) the way a user would, each line ended by CR NUL or CR LF. */
export async function telnetLogin(
  sh: OutputReader<TelnetClient>,
  prompts: { username: RegExp; password: RegExp },
  creds: { username: string; password: string },
): Promise<void> {
  await sh.waitFor(prompts.username);
  sh.write(`${creds.username}\r\0`);
  await sh.waitFor(prompts.password);
  sh.write(`${creds.password}\r\n`);
}
