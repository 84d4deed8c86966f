import net from 'node:net';
import type { Duplex } from 'node:stream';
import { CLI_PTY_COLS, CLI_PTY_ROWS, seen, type CliTransport } from './cli';
import type { VendorDriver } from './drivers';
import { createDecoder, encodeInput, type DeviceEncoding } from './encoding';

/*
 * Telnet (RFC 854) to devices that offer nothing else: old switches, console servers.
 *
 * The option negotiation is our own small state machine rather than an npm package. Of the
 * candidates, `telnet-stream` (the only parser-level library) is AGPL-3.0, which a self-hosted
 * product cannot take on lightly, has had one release since 2021, and only parses: the part that
 * matters here (which options to accept, answering each state change once per RFC 1143, capping a
 * hostile server) would still be ours. `telnet-client` is an expect-style wrapper that refuses every
 * option (no NAWS, so no resize) and only looks for IAC at the start of a chunk. Negotiation is a
 * few dozen lines; having it here keeps it testable byte for byte.
 */

/** Tunables for telnet connections (see README). */
export const TELNET_CONNECT_TIMEOUT_MS = 15_000;
export const TELNET_LOGIN_TIMEOUT_MS = 15_000;
/**
 * After the TCP connect, how long the connection waits for the server's opening negotiation to go
 * quiet when no text arrives (a console-server line may say nothing until Enter is pressed).
 */
export const TELNET_SETTLE_MS = 300;
/** Telnet commands (option requests, subnegotiations) in a row without any text before we give up. */
export const TELNET_MAX_NEGOTIATION_COMMANDS = 200;
/** Bytes of telnet commands in a row without any text before we give up. */
export const TELNET_MAX_NEGOTIATION_BYTES = 64 * 1024;
/** A subnegotiation (IAC SB … IAC SE) longer than this is ignored (ours are a few bytes). */
export const TELNET_MAX_SUBNEGOTIATION_BYTES = 1024;
/** Output held while nobody listens (between the login and the CLI session); beyond it reading pauses. */
export const TELNET_HOLD_MAX_BYTES = 1024 * 1024;
/** Silence at the start of a login after which Enter is pressed once (lines that wait for a key). */
export const TELNET_LOGIN_NUDGE_MS = 2_000;

// RFC 854 commands
const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const SB = 250;
const SE = 240;
const CR = 13;
const LF = 10;
const NUL = 0;

/** Options we take part in. Everything else is refused. */
export const TELNET_OPTION = {
  BINARY: 0, // RFC 856
  ECHO: 1, // RFC 857
  SGA: 3, // RFC 858, suppress go-ahead
  TTYPE: 24, // RFC 1091, terminal type
  NAWS: 31, // RFC 1073, window size
} as const;
const TTYPE_IS = 0;
const TTYPE_SEND = 1;

/**
 * The server may do these (server echo and no go-ahead make a character-at-a-time session, as every
 * device expects; binary keeps 8-bit encodings such as GBK and UTF-8 untouched).
 */
const ACCEPT_THEM = new Set<number>([TELNET_OPTION.ECHO, TELNET_OPTION.SGA, TELNET_OPTION.BINARY]);
/** We do these when asked. */
const ACCEPT_US = new Set<number>([TELNET_OPTION.NAWS, TELNET_OPTION.TTYPE, TELNET_OPTION.BINARY]);

export type TelnetTerm = 'vt100' | 'xterm';

export type TelnetFailureCode =
  'unreachable' | 'timeout' | 'closed' | 'negotiation' | 'auth_failed' | 'no_prompt';

/** An expected telnet failure: a code and a message a user can act on. */
export class TelnetError extends Error {
  constructor(
    public readonly code: TelnetFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'TelnetError';
  }
}

/** What `TelnetProtocol.receive` made of one chunk from the server. */
export interface TelnetReceived {
  /** Text for the user, telnet commands removed (`IAC IAC` is one 0xFF byte). */
  data: Buffer;
  /** Our answers to the server's negotiation, to be sent as they are. */
  reply: Buffer;
  /** Set once the server exceeded the negotiation caps; nothing is parsed after it. */
  error: string | null;
}

export interface TelnetProtocolOptions {
  term: TelnetTerm;
  cols: number;
  rows: number;
  maxCommands?: number;
  maxBytes?: number;
  maxSubnegotiationBytes?: number;
}

/** Parser states. */
const S = { Data: 0, Iac: 1, Option: 2, SbOption: 3, Sb: 4, SbIac: 5 } as const;

/**
 * The telnet protocol for one client connection, without I/O: bytes in, text and answers out.
 *
 * Options follow RFC 1143's rules: a request for a state already in effect is not acknowledged, a
 * change of state is answered exactly once, a refused request is answered with a refusal each time
 * it is made. We never initiate a request, so the WANTYES/WANTNO states of the Q method do not
 * arise and each side of an option is simply on or off. A server that keeps negotiating without
 * sending text is cut off after `maxCommands` commands or `maxBytes` bytes.
 */
export class TelnetProtocol {
  private state: number = S.Data;
  private verb = 0;
  private sbOption = 0;
  private sb: number[] = [];
  private sbOverflow = false;
  /** Options in effect on our side (we WILL) and on the server's (it WILL). */
  private readonly us = new Set<number>();
  private readonly them = new Set<number>();
  private commands = 0;
  private bytes = 0;
  /** The last text byte was a CR: a NUL after it is the NVT's bare-CR padding, not text. */
  private afterCr = false;
  private cols: number;
  private rows: number;
  private readonly term: string;
  private readonly maxCommands: number;
  private readonly maxBytes: number;
  private readonly maxSb: number;
  error: string | null = null;

  constructor(opts: TelnetProtocolOptions) {
    this.term = opts.term.toUpperCase();
    this.cols = clampSize(opts.cols);
    this.rows = clampSize(opts.rows);
    this.maxCommands = opts.maxCommands ?? TELNET_MAX_NEGOTIATION_COMMANDS;
    this.maxBytes = opts.maxBytes ?? TELNET_MAX_NEGOTIATION_BYTES;
    this.maxSb = opts.maxSubnegotiationBytes ?? TELNET_MAX_SUBNEGOTIATION_BYTES;
  }

  /** Which options are in effect (for Test connection and logs). */
  get options(): { echo: boolean; sga: boolean; binary: boolean; naws: boolean; ttype: boolean } {
    return {
      echo: this.them.has(TELNET_OPTION.ECHO),
      sga: this.them.has(TELNET_OPTION.SGA),
      binary: this.us.has(TELNET_OPTION.BINARY) || this.them.has(TELNET_OPTION.BINARY),
      naws: this.us.has(TELNET_OPTION.NAWS),
      ttype: this.us.has(TELNET_OPTION.TTYPE),
    };
  }

  receive(chunk: Buffer): TelnetReceived {
    const data = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    const reply: number[] = [];
    if (this.error) return { data: data.subarray(0, 0), reply: Buffer.alloc(0), error: this.error };
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.state === S.Data) {
        if (b === IAC) {
          this.state = S.Iac;
          this.bytes++;
        } else {
          if (!(b === NUL && this.afterCr && !this.them.has(TELNET_OPTION.BINARY))) data[n++] = b;
          this.afterCr = b === CR;
          this.commands = 0;
          this.bytes = 0;
        }
        continue;
      }
      this.bytes++;
      switch (this.state) {
        case S.Iac:
          if (b === IAC) {
            // an escaped 0xFF: text
            this.state = S.Data;
            data[n++] = IAC;
            this.afterCr = false;
            this.commands = 0;
            this.bytes = 0;
          } else this.command(b);
          break;
        case S.Option:
          this.state = S.Data;
          this.negotiate(this.verb, b, reply);
          this.commands++;
          break;
        case S.SbOption:
          this.sbOption = b;
          this.sb = [];
          this.sbOverflow = false;
          this.state = S.Sb;
          break;
        case S.Sb:
          if (b === IAC) this.state = S.SbIac;
          else this.sbByte(b);
          break;
        case S.SbIac:
          if (b === IAC) {
            this.sbByte(IAC);
            this.state = S.Sb;
          } else if (b === SE) {
            this.state = S.Data;
            this.commands++;
            if (!this.sbOverflow) this.subnegotiation(this.sbOption, this.sb, reply);
            this.sb = [];
          } else {
            // IAC <command> inside a subnegotiation: the server forgot IAC SE; end it, keep the command
            this.sb = [];
            this.command(b);
          }
          break;
      }
      if (this.commands > this.maxCommands || this.bytes > this.maxBytes) {
        this.error =
          this.commands > this.maxCommands
            ? `sent more than ${this.maxCommands} telnet negotiation commands without any text`
            : `sent more than ${this.maxBytes} bytes of telnet negotiation without any text`;
        break;
      }
    }
    return { data: data.subarray(0, n), reply: Buffer.from(reply), error: this.error };
  }

  /** The byte after IAC, other than IAC (an escaped 0xFF, which is text). */
  private command(b: number): void {
    if (b === WILL || b === WONT || b === DO || b === DONT) {
      this.verb = b;
      this.state = S.Option;
    } else if (b === SB) {
      this.state = S.SbOption;
    } else {
      // NOP, GA, DM, AYT, BRK …: nothing to answer
      this.state = S.Data;
      this.commands++;
    }
  }

  private sbByte(b: number): void {
    if (this.sb.length < this.maxSb) this.sb.push(b);
    else this.sbOverflow = true;
  }

  private negotiate(verb: number, opt: number, reply: number[]): void {
    switch (verb) {
      case WILL:
        if (this.them.has(opt)) return; // already in effect: no answer (RFC 1143)
        if (ACCEPT_THEM.has(opt)) {
          this.them.add(opt);
          reply.push(IAC, DO, opt);
        } else reply.push(IAC, DONT, opt);
        return;
      case WONT:
        if (!this.them.has(opt)) return;
        this.them.delete(opt);
        reply.push(IAC, DONT, opt);
        return;
      case DO:
        if (this.us.has(opt)) return;
        if (ACCEPT_US.has(opt)) {
          this.us.add(opt);
          reply.push(IAC, WILL, opt);
          if (opt === TELNET_OPTION.NAWS) reply.push(...this.naws());
        } else reply.push(IAC, WONT, opt);
        return;
      case DONT:
        if (!this.us.has(opt)) return;
        this.us.delete(opt);
        reply.push(IAC, WONT, opt);
        return;
    }
  }

  private subnegotiation(opt: number, body: number[], reply: number[]): void {
    if (opt === TELNET_OPTION.TTYPE && body[0] === TTYPE_SEND && this.us.has(TELNET_OPTION.TTYPE)) {
      reply.push(IAC, SB, TELNET_OPTION.TTYPE, TTYPE_IS, ...Buffer.from(this.term, 'ascii'), IAC, SE);
    }
  }

  private naws(): number[] {
    const out = [IAC, SB, TELNET_OPTION.NAWS];
    for (const v of [this.cols >> 8, this.cols & 0xff, this.rows >> 8, this.rows & 0xff]) {
      out.push(v);
      if (v === IAC) out.push(IAC);
    }
    out.push(IAC, SE);
    return out;
  }

  /** The window changed: the bytes to tell the server, or null when it did not ask for NAWS. */
  resize(cols: number, rows: number): Buffer | null {
    this.cols = clampSize(cols);
    this.rows = clampSize(rows);
    return this.us.has(TELNET_OPTION.NAWS) && !this.error ? Buffer.from(this.naws()) : null;
  }

  /**
   * Text for the server: IAC doubled, and outside binary mode a CR that is not the start of CR LF
   * sent as CR NUL (RFC 854's bare carriage return; what BSD telnet and libtelnet send for Enter).
   */
  encode(text: Buffer): Buffer {
    const binary = this.us.has(TELNET_OPTION.BINARY);
    let extra = 0;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === IAC || (!binary && text[i] === CR && text[i + 1] !== LF)) extra++;
    }
    if (extra === 0) return text;
    const out = Buffer.allocUnsafe(text.length + extra);
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const b = text[i]!;
      out[n++] = b;
      if (b === IAC) out[n++] = IAC;
      else if (!binary && b === CR && text[i + 1] !== LF) out[n++] = NUL;
    }
    return out;
  }
}

function clampSize(v: number): number {
  return Number.isFinite(v) ? Math.min(0xffff, Math.max(0, Math.floor(v))) : 0;
}

export interface TelnetConnectOptions {
  host: string;
  port: number;
  /** How messages name the device (default `host:port`). */
  name?: string;
  cols?: number;
  rows?: number;
  /** The terminal type answered to TTYPE (`VT100` or `XTERM`). */
  term?: TelnetTerm;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * An already open byte stream to the device instead of a TCP connection of our own: the channel a
   * jump host forwarded (`direct-tcpip`). The telnet protocol runs over it unchanged.
   */
  stream?: Duplex;
}

type DataListener = (chunk: Buffer) => void;

/**
 * An open telnet connection. Text arrives with telnet commands removed, as Buffers (the caller
 * decodes with the device's encoding). Text that arrives while nobody listens is held and handed
 * to the next listener, so a login step can hand the session over to a CLI or terminal without a
 * byte lost.
 */
export class TelnetConnection {
  private readonly listeners = new Set<DataListener>();
  private readonly closeListeners: (() => void)[] = [];
  private hold: Buffer[] = [];
  private holdBytes = 0;
  private heldPaused = false;
  private userPaused = false;
  private closed = false;
  private sawText = false;
  private reason: TelnetError | null = null;
  /** Called on every chunk from the server (connect's settle wait). */
  private progress: (() => void) | null = null;

  constructor(
    private readonly socket: Duplex,
    private readonly protocol: TelnetProtocol,
    /** How messages name the device. */
    readonly label: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => {}); // 'close' follows and says it
    // The server ended its side: end ours, so the connection closes. A TCP socket does this itself; a
    // jump host's forwarded channel is half-open until we do (sshd closes the channel after both EOFs).
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      this.closed = true;
      for (const l of this.closeListeners.splice(0)) l();
    });
  }

  /** Why the connection ended, when it was our decision (a server that only negotiates). */
  get closeReason(): TelnetError | null {
    return this.reason;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Whether any text (not only negotiation) has come from the server yet. */
  get receivedText(): boolean {
    return this.sawText;
  }

  /** The options in effect: server echo, suppress go-ahead, binary, window size, terminal type. */
  get options() {
    return this.protocol.options;
  }

  private receive(chunk: Buffer): void {
    const r = this.protocol.receive(chunk);
    if (r.reply.length > 0 && !this.socket.destroyed) this.socket.write(r.reply);
    if (r.data.length > 0) {
      this.sawText = true;
      this.hold.push(r.data);
      this.holdBytes += r.data.length;
      this.drain();
    }
    if (r.error && !this.reason) {
      this.reason = new TelnetError(
        'negotiation',
        `${this.label} ${r.error}; it does not behave like a telnet server (is this its telnet port?).`,
      );
      this.socket.destroy();
    }
    this.progress?.();
  }

  private drain(): void {
    while (this.hold.length > 0 && this.listeners.size > 0) {
      const chunk = this.hold.shift()!;
      this.holdBytes -= chunk.length;
      for (const l of [...this.listeners]) l(chunk);
    }
    const over = this.holdBytes > TELNET_HOLD_MAX_BYTES;
    if (over !== this.heldPaused) {
      this.heldPaused = over;
      this.applyPause();
    }
  }

  private applyPause(): void {
    if (this.heldPaused || this.userPaused) this.socket.pause();
    else this.socket.resume();
  }

  /** Send text (a string is sent as UTF-8; encode with the device's encoding first). */
  write(data: Buffer | string): void {
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(this.protocol.encode(typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
  }

  /** Listen to text from the server; returns the way to stop listening. Held text comes first. */
  onData(listener: DataListener): () => void {
    this.listeners.add(listener);
    // not from inside the caller's own set-up (a constructor may still be running)
    queueMicrotask(() => this.drain());
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Fires once when the connection is gone, for whatever reason (at once if it already is). */
  onClose(listener: () => void): void {
    if (this.closed) queueMicrotask(listener);
    else this.closeListeners.push(listener);
  }

  /**
   * Give text back to the connection: the next listener gets it before anything newer (the login
   * hands what came after the password, the banner and the first prompt, to the CLI session).
   */
  unshift(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.hold.unshift(chunk);
    this.holdBytes += chunk.length;
    queueMicrotask(() => this.drain());
  }

  /** The terminal's window changed; the server hears it if it asked for NAWS. */
  resize(cols: number, rows: number): void {
    const bytes = this.protocol.resize(cols, rows);
    if (bytes && !this.closed && !this.socket.destroyed) this.socket.write(bytes);
  }

  /** Flow control: stop and restart reading from the device. */
  pause(): void {
    this.userPaused = true;
    this.applyPause();
  }

  resume(): void {
    this.userPaused = false;
    this.applyPause();
  }

  close(): void {
    if (this.closed || this.socket.destroyed) return;
    // telnet has no close handshake: half-close, and cut it if the server does not follow
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  /** @internal connect's settle wait */
  setProgress(fn: (() => void) | null): void {
    this.progress = fn;
  }

  /** @internal a login that failed: end the connection with its reason */
  fail(err: TelnetError): void {
    this.reason ??= err;
    this.socket.destroy();
  }

  /** The connection as the CLI session's transport (lib/devices/cli.ts). */
  toCliTransport(): CliTransport {
    return {
      write: (data) => this.write(data),
      onData: (listener) => {
        this.onData(listener);
      },
      onClose: (listener) => this.onClose(listener),
      close: () => this.close(),
    };
  }
}

function seconds(ms: number): string {
  return ms < 9_950 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 1000)} s`;
}

function socketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is telnet enabled on the device, and is this its telnet port?)';
    case 'EHOSTUNREACH':
      return 'host unreachable (check the address and the route to it)';
    case 'ENETUNREACH':
      return 'network unreachable (check the address and the route to it)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve (check the address)';
    case 'ECONNRESET':
      return 'the connection was reset (an access list on the device may refuse this address)';
    default:
      return err.message;
  }
}

/**
 * Open a telnet connection to a device: TCP (no-delay, keepalive), then the server's opening option
 * negotiation. Resolves at the first text from the server, or once the negotiation has been quiet
 * for `TELNET_SETTLE_MS` (a console line that waits for Enter); a server that only negotiates fails
 * with `negotiation`.
 */
export function connectTelnet(opts: TelnetConnectOptions): Promise<TelnetConnection> {
  const label = opts.name ?? `${opts.host}:${opts.port}`;
  const timeoutMs = opts.timeoutMs ?? TELNET_CONNECT_TIMEOUT_MS;
  const protocol = new TelnetProtocol({
    term: opts.term ?? 'vt100',
    cols: opts.cols ?? CLI_PTY_COLS,
    rows: opts.rows ?? CLI_PTY_ROWS,
  });
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted)
      return reject(new TelnetError('closed', `Connection to ${label} was cancelled.`));
    const socket: Duplex = opts.stream ?? net.connect({ host: opts.host, port: opts.port });
    if (socket instanceof net.Socket) {
      socket.setNoDelay(true); // without it Nagle delays every echoed keystroke by ~40 ms
      socket.setKeepAlive(true, 30_000);
    }
    let conn: TelnetConnection | null = null;
    let settle: NodeJS.Timeout | null = null;
    let done = false;
    const finish = (err: TelnetError | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (settle) clearTimeout(settle);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off('close', onEarlyClose);
      conn?.setProgress(null);
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve(conn!);
    };
    const onAbort = () => finish(new TelnetError('closed', `Connection to ${label} was cancelled.`));
    const onError = (err: NodeJS.ErrnoException) =>
      finish(new TelnetError('unreachable', `Cannot reach ${label}: ${socketError(err)}.`));
    const onEarlyClose = () =>
      finish(
        conn?.closeReason ??
          new TelnetError(
            'closed',
            `${label} closed the connection during telnet negotiation (the device may allow no more sessions, or refuse this address).`,
          ),
      );
    const timer = setTimeout(
      () =>
        finish(
          conn
            ? new TelnetError(
                'timeout',
                `${label} did not finish telnet negotiation within ${seconds(timeoutMs)}.`,
              )
            : new TelnetError(
                'timeout',
                `${label} did not answer on TCP port ${opts.port} within ${seconds(timeoutMs)} (a firewall may be dropping the connection, or the address is wrong).`,
              ),
        ),
      timeoutMs,
    );
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('close', onEarlyClose);
    const connected = () => {
      const c = new TelnetConnection(socket, protocol, label);
      conn = c;
      const armSettle = () => {
        if (settle) clearTimeout(settle);
        settle = setTimeout(() => finish(null), TELNET_SETTLE_MS);
      };
      c.setProgress(() => {
        if (c.closeReason) return finish(c.closeReason);
        if (c.receivedText) return finish(null);
        armSettle();
      });
      armSettle();
    };
    if (opts.stream) connected();
    else socket.once('connect', connected);
  });
}

// ---- login -------------------------------------------------------------------------------------

/** `Username:`, `login:`, `vm login:`, `User name:`, `User Name:` at the very end of the output. */
const USERNAME_PROMPT = /(?:^|\s)(?:user ?name|login)[ \t]{0,4}:[ \t]{0,4}$/i;
/** `Password:` at the very end of the output. */
const PASSWORD_PROMPT = /(?:^|\s)password[ \t]{0,4}:[ \t]{0,4}$/i;
/**
 * What devices answer to a wrong login: Linux `Login incorrect`, IOS `% Authentication failed`,
 * `% Login invalid` (local users) and `% Bad passwords` (line password), VRP `Error: Failed to
 * authenticate`.
 */
const LOGIN_REFUSED =
  /(?:^|[\r\n])[ \t]{0,4}(?:Login incorrect|% ?Authentication failed|% ?Login invalid|% ?Bad passwords|Error: ?Failed to authenticate)/i;
const TAIL_CHARS = 512;
/** What the login hands to the CLI session: what came after the password (banner, first prompt). */
const REPLAY_MAX_BYTES = 64 * 1024;

export type TelnetLoginStep = 'start' | 'username_sent' | 'password_sent';

export type TelnetLoginAction =
  | { kind: 'send_username' }
  | { kind: 'send_password' }
  | { kind: 'done' }
  | { kind: 'refused'; why: 'refused' | 'asked_again' | 'username_needed' | 'password_needed' };

/**
 * The login dialog, decided from the output alone: answer the username and password prompts once
 * each, succeed on a prompt of the driver, fail on the device's refusal or a prompt asked again.
 */
export class TelnetLoginDialog {
  step: TelnetLoginStep = 'start';
  private buf = '';

  constructor(
    private readonly driver: VendorDriver,
    private readonly has: { username: boolean; password: boolean },
  ) {}

  feed(text: string): TelnetLoginAction | null {
    this.buf = (this.buf + text).slice(-TAIL_CHARS);
    const b = this.buf;
    if (this.step !== 'start' && LOGIN_REFUSED.test(b)) return { kind: 'refused', why: 'refused' };
    if (USERNAME_PROMPT.test(b)) {
      if (this.step !== 'start') return { kind: 'refused', why: 'asked_again' };
      if (!this.has.username) return { kind: 'refused', why: 'username_needed' };
      return this.advance('username_sent', { kind: 'send_username' });
    }
    if (PASSWORD_PROMPT.test(b)) {
      if (this.step === 'password_sent') return { kind: 'refused', why: 'asked_again' };
      if (!this.has.password) return { kind: 'refused', why: 'password_needed' };
      return this.advance('password_sent', { kind: 'send_password' });
    }
    if (this.driver.prompt.test(b)) return { kind: 'done' };
    return null;
  }

  private advance(step: TelnetLoginStep, action: TelnetLoginAction): TelnetLoginAction {
    this.step = step;
    this.buf = '';
    return action;
  }
}

export interface TelnetLoginOptions {
  /** Empty or absent: a console line, nothing to log in to (unless a password alone is asked). */
  username?: string | null;
  password?: string | null;
  driver: VendorDriver;
  encoding?: DeviceEncoding;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Silence before Enter is pressed once to wake the line (default `TELNET_LOGIN_NUDGE_MS`). */
  nudgeMs?: number;
}

/**
 * Log in over telnet the way an engineer would: wait for the username prompt, send the username,
 * wait for `Password:`, send the password, and succeed once a prompt of the driver ends the output.
 * A line with only a password (`line vty` `password`) is answered from the password alone; with no
 * username and no password (a console line) nothing is done. What came after the password (the
 * banner and the prompt) is left on the connection for the CLI session or terminal. On failure the
 * connection is closed.
 */
export function telnetLogin(conn: TelnetConnection, opts: TelnetLoginOptions): Promise<void> {
  const username = opts.username ?? '';
  const password = opts.password ?? '';
  if (!username && !password) return Promise.resolve();
  const label = conn.label;
  const timeoutMs = opts.timeoutMs ?? TELNET_LOGIN_TIMEOUT_MS;
  const encoding = opts.encoding ?? 'utf-8';
  const decoder = createDecoder(encoding);
  const dialog = new TelnetLoginDialog(opts.driver, { username: !!username, password: !!password });
  return new Promise<void>((resolve, reject) => {
    if (opts.signal?.aborted) {
      conn.close();
      return reject(new TelnetError('closed', `Telnet login to ${label} was cancelled.`));
    }
    if (conn.isClosed) {
      return reject(
        conn.closeReason ?? new TelnetError('closed', `${label} had closed the connection before the login.`),
      );
    }
    let tail = '';
    let settled = false;
    let gotText = false;
    /** What came since the password was sent (or since the start): handed on at the end. */
    let replay: Buffer[] = [];
    let replayBytes = 0;
    const end = () => {
      settled = true;
      clearTimeout(timer);
      clearTimeout(nudge);
      opts.signal?.removeEventListener('abort', onAbort);
      stop();
    };
    const fail = (err: TelnetError) => {
      if (settled) return;
      end();
      conn.fail(err);
      reject(err);
    };
    const who = username ? ` for user "${username}"` : '';
    const onData = (chunk: Buffer) => {
      if (settled) return;
      gotText = true;
      replay.push(chunk);
      replayBytes += chunk.length;
      while (replayBytes > REPLAY_MAX_BYTES && replay.length > 1) replayBytes -= replay.shift()!.length;
      const text = decoder.write(chunk);
      tail = (tail + text).slice(-TAIL_CHARS);
      const action = dialog.feed(text);
      if (!action) return;
      switch (action.kind) {
        case 'send_username':
          conn.write(encodeInput(encoding, `${username}\r`));
          return;
        case 'send_password':
          replay = [];
          replayBytes = 0;
          conn.write(encodeInput(encoding, `${password}\r`));
          return;
        case 'done':
          end();
          // the prompt (and the banner before it) belongs to whoever uses the session next
          conn.unshift(Buffer.concat(replay));
          return resolve();
        case 'refused': {
          const messages = {
            refused: `${label} refused the telnet login${who}: it answered ${seen(tail)}. Check the device's username and password.`,
            asked_again: `${label} asked for the ${USERNAME_PROMPT.test(tail) ? 'username' : 'password'} again after the password was sent${who}, so it refused the login; it last sent ${seen(tail)}. Check the device's username and password.`,
            username_needed: `${label} asks for a username, but none is stored for the device; it last sent ${seen(tail)}.`,
            password_needed: `${label} asks for a password, but none is stored for the device; it last sent ${seen(tail)}.`,
          } as const;
          return fail(new TelnetError('auth_failed', messages[action.why]));
        }
      }
    };
    const stop = conn.onData(onData);
    const onAbort = () => fail(new TelnetError('closed', `Telnet login to ${label} was cancelled.`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    conn.onClose(() => {
      if (settled) return;
      fail(
        conn.closeReason ??
          new TelnetError(
            'closed',
            `${label} closed the connection during the telnet login${who}; it last sent ${seen(tail)}.`,
          ),
      );
    });
    const waitingFor = () =>
      dialog.step === 'start'
        ? 'login prompt (Username:, login: or Password:)'
        : dialog.step === 'username_sent'
          ? 'Password: prompt after the username was sent'
          : `${opts.driver.label} prompt after the password was sent`;
    const timer = setTimeout(
      () =>
        fail(
          new TelnetError(
            'no_prompt',
            `No ${waitingFor()} from ${label} within ${seconds(timeoutMs)}; it last sent ${seen(tail)}.`,
          ),
        ),
      timeoutMs,
    );
    // a line that waits for a key before it says anything
    const nudge = setTimeout(() => {
      if (!gotText && !settled) conn.write('\r');
    }, opts.nudgeMs ?? TELNET_LOGIN_NUDGE_MS);
  });
}
