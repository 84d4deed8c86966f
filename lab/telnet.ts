/**
 * The telnet protocol (RFC 854) as the lab's devices speak it: command and option codes, a byte parser
 * that separates data from commands and keeps its state across packets, the server's option negotiation
 * (ECHO, SUPPRESS-GO-AHEAD, NAWS, TERMINAL-TYPE) and output escaping. Pure: no sockets here.
 */

/** Telnet command bytes (RFC 854). */
export const TELNET_CMD = {
  SE: 240,
  NOP: 241,
  DM: 242,
  BRK: 243,
  IP: 244,
  AO: 245,
  AYT: 246,
  EC: 247,
  EL: 248,
  GA: 249,
  SB: 250,
  WILL: 251,
  WONT: 252,
  DO: 253,
  DONT: 254,
  IAC: 255,
} as const;

/** Telnet options the lab knows by name. */
export const TELNET_OPT = {
  BINARY: 0,
  ECHO: 1,
  SGA: 3,
  TTYPE: 24,
  NAWS: 31,
} as const;

/** TERMINAL-TYPE subnegotiation codes (RFC 1091). */
export const TTYPE_IS = 0;
export const TTYPE_SEND = 1;

/** Longest subnegotiation payload kept; anything longer is cut (a broken or hostile client). */
export const TELNET_MAX_SB_BYTES = 256;

const { IAC, SB, SE, WILL, WONT, DO, DONT, IP } = TELNET_CMD;

export type TelnetVerb = 'WILL' | 'WONT' | 'DO' | 'DONT';

export type TelnetEvent =
  | { type: 'data'; data: Buffer }
  | { type: 'option'; verb: TelnetVerb; option: number }
  | { type: 'sub'; option: number; payload: Buffer }
  /** IAC IP: the client's "interrupt process" (its Ctrl+C when it is in line mode). */
  | { type: 'interrupt' };

const VERB_OF: Record<number, TelnetVerb> = { [WILL]: 'WILL', [WONT]: 'WONT', [DO]: 'DO', [DONT]: 'DONT' };
const VERB_CODE: Record<TelnetVerb, number> = { WILL, WONT, DO, DONT };

type ParseState = 'data' | 'iac' | 'verb' | 'sb-option' | 'sb' | 'sb-iac';

/**
 * Splits a telnet byte stream into data and commands. IAC IAC is one 0xFF data byte; a command or a
 * subnegotiation split across packets is still recognised.
 */
export class TelnetParser {
  private state: ParseState = 'data';
  private verb = 0;
  private sbOption = 0;
  private sb: number[] = [];

  feed(chunk: Buffer): TelnetEvent[] {
    const events: TelnetEvent[] = [];
    let data: number[] = [];
    const flush = (): void => {
      if (data.length > 0) events.push({ type: 'data', data: Buffer.from(data) });
      data = [];
    };
    for (const byte of chunk) {
      switch (this.state) {
        case 'data':
          if (byte === IAC) this.state = 'iac';
          else data.push(byte);
          break;
        case 'iac':
          if (byte === IAC) {
            data.push(IAC);
            this.state = 'data';
          } else if (byte in VERB_OF) {
            this.verb = byte;
            this.state = 'verb';
          } else if (byte === SB) {
            this.state = 'sb-option';
          } else {
            if (byte === IP) {
              flush();
              events.push({ type: 'interrupt' });
            }
            // NOP, GA, AYT, EC, EL, DM, BRK, a stray SE: nothing the lab acts on.
            this.state = 'data';
          }
          break;
        case 'verb':
          flush();
          events.push({ type: 'option', verb: VERB_OF[this.verb], option: byte });
          this.state = 'data';
          break;
        case 'sb-option':
          this.sbOption = byte;
          this.sb = [];
          this.state = 'sb';
          break;
        case 'sb':
          if (byte === IAC) this.state = 'sb-iac';
          else if (this.sb.length < TELNET_MAX_SB_BYTES) this.sb.push(byte);
          break;
        case 'sb-iac':
          if (byte === SE) {
            flush();
            events.push({ type: 'sub', option: this.sbOption, payload: Buffer.from(this.sb) });
            this.state = 'data';
          } else {
            // IAC IAC inside a subnegotiation is a 0xFF payload byte.
            if (byte === IAC && this.sb.length < TELNET_MAX_SB_BYTES) this.sb.push(IAC);
            this.state = 'sb';
          }
          break;
      }
    }
    flush();
    return events;
  }
}

/** Doubles every 0xFF so data bytes are never read as IAC. */
export function escapeIac(data: Buffer): Buffer {
  if (!data.includes(IAC)) return data;
  const out: number[] = [];
  for (const b of data) {
    out.push(b);
    if (b === IAC) out.push(IAC);
  }
  return Buffer.from(out);
}

export function telnetCommand(verb: TelnetVerb, option: number): Buffer {
  return Buffer.from([IAC, VERB_CODE[verb], option]);
}

/** IAC SB <option> <payload, 0xFF doubled> IAC SE. */
export function telnetSub(option: number, payload: Buffer | readonly number[]): Buffer {
  return Buffer.concat([
    Buffer.from([IAC, SB, option]),
    escapeIac(Buffer.from(payload)),
    Buffer.from([IAC, SE]),
  ]);
}

/** NAWS payload: width and height, 16 bits each, big-endian (RFC 1073). */
export function nawsPayload(cols: number, rows: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(cols & 0xffff, 0);
  b.writeUInt16BE(rows & 0xffff, 2);
  return b;
}

export interface WindowSize {
  cols: number;
  rows: number;
}

/** Reads a NAWS payload; undefined when it is not four bytes. Zero means "unknown" for either. */
export function parseNaws(payload: Buffer): WindowSize | undefined {
  if (payload.length !== 4) return undefined;
  return { cols: payload.readUInt16BE(0), rows: payload.readUInt16BE(2) };
}

/** What the server learnt from one negotiation event, and the bytes it answers with. */
export interface NegotiationStep {
  reply?: Buffer;
  window?: WindowSize;
  terminalType?: string;
}

/**
 * The device side of option negotiation (RFC 1143's rules, simplified): it opens with WILL ECHO,
 * WILL SGA, DO NAWS, DO TTYPE; an answer to its own request, or a request for the state an option is
 * already in, is not acknowledged (so two sides cannot loop); an option it does not support is refused;
 * WILL TTYPE is followed by SB TTYPE SEND; NAWS / TTYPE subnegotiations report window size and terminal
 * type.
 */
export class TelnetNegotiator {
  /** Options the server performs (its WILL acknowledged, or offered and not yet answered). */
  private readonly local = new Set<number>([TELNET_OPT.ECHO, TELNET_OPT.SGA]);
  /** Options the client performs (or was asked to with DO and has not answered). */
  private readonly remote = new Set<number>([TELNET_OPT.NAWS, TELNET_OPT.TTYPE]);
  /** Our own opening requests still waiting for an answer: the answer is not acknowledged (RFC 1143). */
  private readonly pending = new Set<string>([
    `L${TELNET_OPT.ECHO}`,
    `L${TELNET_OPT.SGA}`,
    `R${TELNET_OPT.NAWS}`,
    `R${TELNET_OPT.TTYPE}`,
  ]);
  private askedTtype = false;

  /** The server's opening negotiation. */
  opening(): Buffer {
    return Buffer.concat([
      telnetCommand('WILL', TELNET_OPT.ECHO),
      telnetCommand('WILL', TELNET_OPT.SGA),
      telnetCommand('DO', TELNET_OPT.NAWS),
      telnetCommand('DO', TELNET_OPT.TTYPE),
    ]);
  }

  /** True while the server echoes what the client types (WILL ECHO not refused). */
  get echoing(): boolean {
    return this.local.has(TELNET_OPT.ECHO);
  }

  handle(event: Exclude<TelnetEvent, { type: 'data' } | { type: 'interrupt' }>): NegotiationStep {
    if (event.type === 'sub') return this.sub(event.option, event.payload);
    const { verb, option } = event;
    const side = verb === 'DO' || verb === 'DONT' ? 'L' : 'R';
    const answered = this.pending.delete(`${side}${option}`);
    const supportedLocal = option === TELNET_OPT.ECHO || option === TELNET_OPT.SGA;
    const supportedRemote = option === TELNET_OPT.NAWS || option === TELNET_OPT.TTYPE;
    switch (verb) {
      case 'DO':
        if (this.local.has(option)) return {};
        if (!supportedLocal) return { reply: telnetCommand('WONT', option) };
        this.local.add(option);
        return { reply: telnetCommand('WILL', option) };
      case 'DONT':
        if (!this.local.has(option)) return {};
        this.local.delete(option);
        return answered ? {} : { reply: telnetCommand('WONT', option) };
      case 'WILL': {
        if (!supportedRemote) return { reply: telnetCommand('DONT', option) };
        const ack = this.remote.has(option) ? undefined : telnetCommand('DO', option);
        this.remote.add(option);
        if (option === TELNET_OPT.TTYPE && !this.askedTtype) {
          this.askedTtype = true;
          const send = telnetSub(TELNET_OPT.TTYPE, [TTYPE_SEND]);
          return { reply: ack ? Buffer.concat([ack, send]) : send };
        }
        return ack ? { reply: ack } : {};
      }
      case 'WONT':
        if (!this.remote.has(option)) return {};
        this.remote.delete(option);
        return answered ? {} : { reply: telnetCommand('DONT', option) };
    }
  }

  private sub(option: number, payload: Buffer): NegotiationStep {
    if (option === TELNET_OPT.NAWS) {
      const window = parseNaws(payload);
      return window ? { window } : {};
    }
    if (option === TELNET_OPT.TTYPE && payload[0] === TTYPE_IS) {
      return { terminalType: payload.subarray(1).toString('latin1') };
    }
    return {};
  }
}
