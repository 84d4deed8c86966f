/**
 * Helpers for driving lab devices with a real ssh2 client in tests: connect, open a shell, wait for
 * output matching a pattern (with a timeout that fails), run an exec command.
 */
import { connect as tcpConnect } from 'node:net';

import iconv from 'iconv-lite';
import ssh2 from 'ssh2';
import type { Client, ClientChannel, ConnectConfig, PseudoTtyOptions } from 'ssh2';

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

/** Accumulates a channel's output; `waitFor` matches from the end of the previous match onwards. */
export class OutputReader {
  readonly chunks: Buffer[] = [];
  private decoded = '';
  private cursor = 0;
  private waiters: (() => void)[] = [];
  private readonly decoder: { write(b: Buffer): string };
  closed = false;

  constructor(
    readonly channel: ClientChannel,
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
