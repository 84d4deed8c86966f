/**
 * A telnet connection of a simulated device: negotiates options, runs the device's own login (unless it
 * is a console line), then hands a channel to the same CLI session SSH uses. The protocol decisions live
 * in ./telnet and ./login; this file only moves bytes between them and the socket.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

import type { TelnetLogin } from './login';
import type { ShellStream } from './shell';
import { TelnetNegotiator, TelnetParser, escapeIac, type WindowSize } from './telnet';

/** How long a telnet client may sit at the login prompts before the device hangs up (IOS: 30 s). */
export const TELNET_LOGIN_TIMEOUT_MS = 60_000;

/**
 * The CLI's side of a telnet connection, shaped like an ssh2 channel: `write` escapes 0xFF, 'data' is
 * the client's input with telnet commands removed, 'resize' follows NAWS.
 */
export class TelnetChannel extends EventEmitter implements ShellStream {
  /** Window size from the client's NAWS, if it sent one. */
  window: WindowSize | undefined;
  terminalType: string | undefined;

  constructor(private readonly socket: Socket) {
    super();
    socket.on('close', () => this.emit('close'));
    socket.on('finish', () => this.emit('finish'));
    socket.on('end', () => this.emit('end'));
    socket.on('drain', () => this.emit('drain'));
    // The socket already has an error listener; the channel reports errors only to its own listeners.
    socket.on('error', (err) => {
      if (this.listenerCount('error') > 0) this.emit('error', err);
    });
  }

  get rows(): number | undefined {
    return this.window?.rows || undefined;
  }

  write(data: Buffer): boolean {
    if (this.socket.destroyed || !this.socket.writable) return false;
    return this.socket.write(escapeIac(data));
  }

  /** Raw telnet bytes (negotiation), not escaped. */
  writeRaw(data: Buffer): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(data);
  }

  end(): void {
    this.socket.end();
  }

  /** Telnet has no exit status. */
  exit(): void {}
}

export interface TelnetServeOptions {
  /** The device's own login; absent on a console line, which reaches the CLI at once. */
  login?: TelnetLogin;
  /** Login succeeded (or there is none): start the CLI on `channel`. */
  onSession(channel: TelnetChannel, username: string | undefined): void;
  loginTimeoutMs?: number;
}

/** Serves one telnet connection on `socket`. */
export function serveTelnet(socket: Socket, opts: TelnetServeOptions): TelnetChannel {
  const channel = new TelnetChannel(socket);
  const parser = new TelnetParser();
  const negotiator = new TelnetNegotiator();
  const login = opts.login;
  let phase: 'login' | 'cli' | 'done' = login ? 'login' : 'cli';
  /** The CR that ended the password came last in its packet: the LF / NUL after it is not input. */
  let skipLineFeed = false;
  let timer: NodeJS.Timeout | undefined;

  const endLogin = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  socket.on('close', () => {
    phase = 'done';
    endLogin();
  });

  const toCli = (data: Buffer): void => {
    let input = data;
    if (skipLineFeed) {
      skipLineFeed = false;
      if (input[0] === 0x0a || input[0] === 0x00) input = input.subarray(1);
    }
    if (input.length > 0) channel.emit('data', input);
  };

  const onData = (data: Buffer): void => {
    if (phase === 'cli') return toCli(data);
    if (phase !== 'login' || !login) return;
    const step = login.feed(data);
    if (step.write) channel.write(Buffer.from(step.write, 'latin1'));
    if (step.outcome === 'refused') {
      phase = 'done';
      endLogin();
      socket.end();
    } else if (step.outcome === 'accepted') {
      phase = 'cli';
      endLogin();
      skipLineFeed = login.pendingCr && (step.rest?.length ?? 0) === 0;
      opts.onSession(channel, step.username);
      if (step.rest && step.rest.length > 0) toCli(step.rest);
    }
  };

  socket.on('data', (chunk: Buffer) => {
    for (const event of parser.feed(chunk)) {
      if (event.type === 'data') onData(event.data);
      else if (event.type === 'interrupt') onData(Buffer.from([0x03]));
      else {
        const step = negotiator.handle(event);
        if (step.reply) channel.writeRaw(step.reply);
        if (step.terminalType !== undefined) channel.terminalType = step.terminalType;
        if (step.window) {
          channel.window = step.window;
          channel.emit('resize', step.window);
        }
      }
    }
  });

  channel.writeRaw(negotiator.opening());
  if (login) {
    channel.write(Buffer.from(login.start(), 'latin1'));
    timer = setTimeout(() => {
      timer = undefined;
      if (phase === 'login') socket.end();
    }, opts.loginTimeoutMs ?? TELNET_LOGIN_TIMEOUT_MS);
    // A login left at the prompt must not keep a test run or the runner's process alive.
    timer.unref();
  } else {
    opts.onSession(channel, undefined);
  }
  return channel;
}
