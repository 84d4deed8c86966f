import { describe, expect, it } from 'vitest';

import {
  TELNET_CMD,
  TELNET_OPT,
  TTYPE_IS,
  TTYPE_SEND,
  TelnetNegotiator,
  TelnetParser,
  escapeIac,
  nawsPayload,
  parseNaws,
  telnetCommand,
  telnetSub,
} from './telnet';

const { IAC, SB, SE, WILL, WONT, DO, DONT, IP, NOP } = TELNET_CMD;
const { ECHO, SGA, NAWS, TTYPE, BINARY } = TELNET_OPT;

describe('TelnetParser', () => {
  it('separates data from option commands and turns IAC IAC into one 0xFF byte', () => {
    const p = new TelnetParser();
    const events = p.feed(Buffer.from([0x61, IAC, DO, ECHO, 0x62, IAC, IAC, 0x63, IAC, NOP, 0x64]));
    expect(events).toEqual([
      { type: 'data', data: Buffer.from([0x61]) },
      { type: 'option', verb: 'DO', option: ECHO },
      { type: 'data', data: Buffer.from([0x62, 0xff, 0x63, 0x64]) },
    ]);
  });

  it('keeps its state when a command or a subnegotiation is split across packets', () => {
    const p = new TelnetParser();
    const bytes = [IAC, WILL, NAWS, IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE, 0x78];
    const events = bytes.flatMap((b) => p.feed(Buffer.from([b])));
    expect(events).toEqual([
      { type: 'option', verb: 'WILL', option: NAWS },
      { type: 'sub', option: NAWS, payload: Buffer.from([0, 80, 0, 24]) },
      { type: 'data', data: Buffer.from('x') },
    ]);
  });

  it('reads IAC IAC inside a subnegotiation as 0xFF (a 255-column NAWS) and reports IAC IP', () => {
    const p = new TelnetParser();
    const events = p.feed(Buffer.from([IAC, SB, NAWS, 0, IAC, IAC, 0, 40, IAC, SE, IAC, IP]));
    expect(events).toEqual([
      { type: 'sub', option: NAWS, payload: Buffer.from([0, 255, 0, 40]) },
      { type: 'interrupt' },
    ]);
  });

  it('caps an endless subnegotiation instead of growing without bound', () => {
    const p = new TelnetParser();
    p.feed(Buffer.from([IAC, SB, TTYPE]));
    p.feed(Buffer.alloc(100_000, 0x41));
    const [event] = p.feed(Buffer.from([IAC, SE]));
    expect(event.type).toBe('sub');
    expect(event.type === 'sub' && event.payload.length).toBe(256);
  });
});

describe('telnet encoding helpers', () => {
  it('escapes 0xFF in output and leaves other bytes (GBK text has none) untouched', () => {
    expect(escapeIac(Buffer.from([1, 0xff, 2]))).toEqual(Buffer.from([1, 0xff, 0xff, 2]));
    const plain = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]);
    expect(escapeIac(plain)).toBe(plain);
  });

  it('builds and reads NAWS: width then height, 16-bit big-endian, 0xFF escaped on the wire', () => {
    expect(parseNaws(nawsPayload(300, 50))).toEqual({ cols: 300, rows: 50 });
    expect(parseNaws(Buffer.from([0, 80]))).toBeUndefined();
    expect(telnetSub(NAWS, nawsPayload(255, 24))).toEqual(
      Buffer.from([IAC, SB, NAWS, 0, IAC, IAC, 0, 24, IAC, SE]),
    );
  });
});

describe('TelnetNegotiator', () => {
  it('opens with WILL ECHO, WILL SGA, DO NAWS, DO TTYPE', () => {
    expect(new TelnetNegotiator().opening()).toEqual(
      Buffer.from([IAC, WILL, ECHO, IAC, WILL, SGA, IAC, DO, NAWS, IAC, DO, TTYPE]),
    );
  });

  it('does not acknowledge answers to its own requests, and asks for the terminal type', () => {
    const n = new TelnetNegotiator();
    expect(n.handle({ type: 'option', verb: 'DO', option: ECHO })).toEqual({});
    expect(n.handle({ type: 'option', verb: 'DO', option: SGA })).toEqual({});
    expect(n.handle({ type: 'option', verb: 'WILL', option: NAWS })).toEqual({});
    expect(n.handle({ type: 'option', verb: 'WILL', option: TTYPE })).toEqual({
      reply: telnetSub(TTYPE, [TTYPE_SEND]),
    });
    // A second WILL TTYPE (a client repeating itself) does not start another round.
    expect(n.handle({ type: 'option', verb: 'WILL', option: TTYPE })).toEqual({});
    expect(n.echoing).toBe(true);
  });

  it('reports the window size and terminal type from subnegotiations', () => {
    const n = new TelnetNegotiator();
    expect(n.handle({ type: 'sub', option: NAWS, payload: nawsPayload(132, 43) })).toEqual({
      window: { cols: 132, rows: 43 },
    });
    const ttype = Buffer.concat([Buffer.from([TTYPE_IS]), Buffer.from('XTERM', 'latin1')]);
    expect(n.handle({ type: 'sub', option: TTYPE, payload: ttype })).toEqual({ terminalType: 'XTERM' });
  });

  it('refuses options it does not support, and accepts a refusal of its own without answering', () => {
    const n = new TelnetNegotiator();
    expect(n.handle({ type: 'option', verb: 'DO', option: BINARY })).toEqual({
      reply: telnetCommand('WONT', BINARY),
    });
    expect(n.handle({ type: 'option', verb: 'WILL', option: BINARY })).toEqual({
      reply: telnetCommand('DONT', BINARY),
    });
    expect(n.handle({ type: 'option', verb: 'WONT', option: NAWS })).toEqual({});
    expect(n.handle({ type: 'option', verb: 'DONT', option: ECHO })).toEqual({});
    expect(n.echoing).toBe(false);
    // Asked again later: agreed, and said so once.
    expect(n.handle({ type: 'option', verb: 'DO', option: ECHO })).toEqual({
      reply: telnetCommand('WILL', ECHO),
    });
    expect(n.handle({ type: 'option', verb: 'DO', option: ECHO })).toEqual({});
    expect(n.handle({ type: 'option', verb: 'WILL', option: NAWS })).toEqual({
      reply: telnetCommand('DO', NAWS),
    });
  });

  it('answers a client that turns an agreed option off', () => {
    const n = new TelnetNegotiator();
    n.handle({ type: 'option', verb: 'WILL', option: NAWS });
    expect(n.handle({ type: 'option', verb: 'WONT', option: NAWS })).toEqual({
      reply: telnetCommand('DONT', NAWS),
    });
    expect(n.handle({ type: 'option', verb: 'WONT', option: NAWS })).toEqual({});
    expect(WONT).toBe(252);
    expect(DONT).toBe(254);
  });
});
