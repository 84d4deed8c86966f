import { describe, expect, it } from 'vitest';
import { ciscoIos, generic, huaweiVrp } from './drivers';
import { TelnetLoginDialog, TelnetProtocol, TELNET_OPTION, type TelnetReceived } from './telnet';

const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const SB = 250;
const SE = 240;
const NOP = 241;
const GA = 249;
const { BINARY, ECHO, SGA, TTYPE, NAWS } = TELNET_OPTION;
const NEW_ENVIRON = 39;
const AUTHENTICATION = 37;

const bytes = (...b: number[]) => Buffer.from(b);
/** Option commands: `neg([DO, NAWS], [WILL, ECHO])` is IAC DO NAWS IAC WILL ECHO. */
const neg = (...commands: [number, number][]) =>
  Buffer.from(commands.flatMap(([verb, opt]) => [IAC, verb, opt]));
const proto = (over: Partial<ConstructorParameters<typeof TelnetProtocol>[0]> = {}) =>
  new TelnetProtocol({ term: 'xterm', cols: 80, rows: 24, ...over });

/** Feed chunks; return all text and all answers. */
function feed(p: TelnetProtocol, ...chunks: (Buffer | string)[]): TelnetReceived {
  const data: Buffer[] = [];
  const reply: Buffer[] = [];
  let error: string | null = null;
  for (const c of chunks) {
    const r = p.receive(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
    data.push(r.data);
    reply.push(r.reply);
    error = r.error;
  }
  return { data: Buffer.concat(data), reply: Buffer.concat(reply), error };
}

/** Every single-byte split of a buffer (the worst a TCP stream can do). */
function byteByByte(b: Buffer): Buffer[] {
  return [...b].map((x) => bytes(x));
}

describe('TelnetProtocol: text', () => {
  it('passes text through and removes IAC commands', () => {
    const r = feed(
      proto(),
      Buffer.concat([Buffer.from('Hello '), bytes(IAC, NOP, IAC, GA), Buffer.from('world')]),
    );
    expect(r.data.toString()).toBe('Hello world');
    expect(r.reply.length).toBe(0);
  });

  it('turns IAC IAC into one 0xFF byte, also when split across chunks', () => {
    const whole = feed(proto(), bytes(0x41, IAC, IAC, 0x42));
    expect([...whole.data]).toEqual([0x41, 0xff, 0x42]);
    const split = feed(proto(), bytes(0x41, IAC), bytes(IAC, 0x42));
    expect([...split.data]).toEqual([0x41, 0xff, 0x42]);
  });

  it('keeps 8-bit text (GBK, UTF-8) intact', () => {
    const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]); // 你好 in GBK
    const utf8 = Buffer.from('交换机', 'utf8');
    expect(feed(proto(), gbk, utf8).data).toEqual(Buffer.concat([gbk, utf8]));
  });

  it("drops the NUL of an NVT bare CR (CR NUL), also across chunks, but not in the server's binary mode", () => {
    expect(feed(proto(), bytes(0x61, 13, 0, 0x62)).data).toEqual(bytes(0x61, 13, 0x62));
    expect(feed(proto(), bytes(0x61, 13), bytes(0, 0x62)).data).toEqual(bytes(0x61, 13, 0x62));
    expect(feed(proto(), bytes(0x61, 0, 0x62)).data).toEqual(bytes(0x61, 0, 0x62)); // a NUL alone is text
    const p = proto();
    feed(p, bytes(IAC, WILL, BINARY));
    expect(feed(p, bytes(13, 0)).data).toEqual(bytes(13, 0));
  });
});

describe('TelnetProtocol: options', () => {
  it("accepts the server's ECHO and SGA, and acknowledges each once (RFC 1143)", () => {
    const p = proto();
    expect([...feed(p, bytes(IAC, WILL, ECHO, IAC, WILL, SGA)).reply]).toEqual([IAC, DO, ECHO, IAC, DO, SGA]);
    // already in effect: no answer, so a server that repeats itself gets no echo to repeat
    expect(feed(p, bytes(IAC, WILL, ECHO, IAC, WILL, SGA)).reply.length).toBe(0);
    expect(p.options).toMatchObject({ echo: true, sga: true });
    // switched off: acknowledged once, then silence
    expect([...feed(p, bytes(IAC, WONT, ECHO)).reply]).toEqual([IAC, DONT, ECHO]);
    expect(feed(p, bytes(IAC, WONT, ECHO)).reply.length).toBe(0);
    expect(p.options.echo).toBe(false);
  });

  it('refuses options it does not do, each time it is asked, and never answers a refusal', () => {
    const p = proto();
    expect(feed(p, neg([DO, NEW_ENVIRON], [WILL, AUTHENTICATION])).reply).toEqual(
      neg([WONT, NEW_ENVIRON], [DONT, AUTHENTICATION]),
    );
    expect([...feed(p, bytes(IAC, DO, NEW_ENVIRON)).reply]).toEqual([IAC, WONT, NEW_ENVIRON]);
    expect(feed(p, bytes(IAC, DONT, NEW_ENVIRON, IAC, WONT, AUTHENTICATION)).reply.length).toBe(0);
  });

  it('answers DO NAWS with WILL NAWS and the window size, split byte by byte', () => {
    const p = proto({ cols: 132, rows: 43 });
    const r = feed(p, ...byteByByte(bytes(IAC, DO, NAWS)));
    expect([...r.reply]).toEqual([IAC, WILL, NAWS, IAC, SB, NAWS, 0, 132, 0, 43, IAC, SE]);
    expect(p.options.naws).toBe(true);
  });

  it('sends the new size on resize once NAWS is on, and doubles a 255 byte in it', () => {
    const p = proto();
    expect(p.resize(100, 30)).toBeNull(); // the server never asked
    feed(p, bytes(IAC, DO, NAWS));
    expect([...p.resize(255, 0x1ff)!]).toEqual([IAC, SB, NAWS, 0, IAC, IAC, 1, IAC, IAC, IAC, SE]);
    expect([...p.resize(-5, 70_000)!]).toEqual([IAC, SB, NAWS, 0, 0, IAC, IAC, IAC, IAC, IAC, SE]);
    // the server turned NAWS off: acknowledged, and resizes stay quiet
    expect([...feed(p, bytes(IAC, DONT, NAWS)).reply]).toEqual([IAC, WONT, NAWS]);
    expect(p.resize(80, 24)).toBeNull();
  });

  it('answers TTYPE SEND with the configured terminal type', () => {
    const p = proto({ term: 'xterm' });
    expect([...feed(p, bytes(IAC, DO, TTYPE)).reply]).toEqual([IAC, WILL, TTYPE]);
    const send = bytes(IAC, SB, TTYPE, 1, IAC, SE);
    const r = feed(p, ...byteByByte(send));
    expect([...r.reply]).toEqual([IAC, SB, TTYPE, 0, ...Buffer.from('XTERM'), IAC, SE]);
    const vt = proto({ term: 'vt100' });
    expect(
      feed(vt, bytes(IAC, DO, TTYPE), send)
        .reply.subarray(3)
        .toString('latin1'),
    ).toBe('\xff\xfa\x18\x00VT100\xff\xf0');
  });

  it('does not answer TTYPE SEND before TTYPE was agreed', () => {
    expect(feed(proto(), bytes(IAC, SB, TTYPE, 1, IAC, SE)).reply.length).toBe(0);
  });

  it('reads IAC IAC inside a subnegotiation as data and text after it normally', () => {
    const r = feed(proto(), bytes(IAC, SB, 99, 1, IAC, IAC, 2, IAC, SE), Buffer.from('ok'));
    expect(r.data.toString()).toBe('ok');
    expect(r.reply.length).toBe(0);
  });

  it('ignores an oversized subnegotiation and carries on', () => {
    const p = proto({ maxSubnegotiationBytes: 16 });
    feed(p, bytes(IAC, DO, TTYPE));
    const big = Buffer.concat([bytes(IAC, SB, TTYPE, 1), Buffer.alloc(100, 0x41), bytes(IAC, SE)]);
    const r = feed(p, big, Buffer.from('after'));
    expect(r.reply.length).toBe(0);
    expect(r.data.toString()).toBe('after');
    expect(r.error).toBeNull();
  });

  it('ends a subnegotiation the server forgot to close at the next command', () => {
    const r = feed(proto(), bytes(IAC, SB, TTYPE, 1, IAC, DO, NEW_ENVIRON), Buffer.from('text'));
    expect([...r.reply]).toEqual([IAC, WONT, NEW_ENVIRON]);
    expect(r.data.toString()).toBe('text');
  });

  it('accepts BINARY both ways; in our binary mode a CR goes out as it is', () => {
    const p = proto();
    expect(p.encode(Buffer.from('ls\r'))).toEqual(Buffer.from('ls\r\0'));
    expect(feed(p, neg([DO, BINARY], [WILL, BINARY])).reply).toEqual(neg([WILL, BINARY], [DO, BINARY]));
    expect(p.encode(Buffer.from('ls\r'))).toEqual(Buffer.from('ls\r'));
  });

  it('the negotiation a real telnetd opens with gets one answer each, and its acknowledgements none', () => {
    // what inetutils-telnetd sends on connect
    // prettier-ignore
    const opening = neg(
      [DO, TTYPE], [DO, 32], [DO, 35], [DO, NEW_ENVIRON], [DO, 36], [WILL, SGA], [DO, ECHO], [DO, 34],
      [DO, NAWS], [DO, 33], [WILL, 5], [WILL, ECHO], [DO, 6], [DO, BINARY],
    );
    const p = proto();
    const r = feed(p, opening);
    expect(r.reply).toEqual(
      Buffer.concat([
        neg([WILL, TTYPE], [WONT, 32], [WONT, 35], [WONT, NEW_ENVIRON], [WONT, 36], [DO, SGA]),
        neg([WONT, ECHO], [WONT, 34], [WILL, NAWS]),
        bytes(IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE),
        neg([WONT, 33], [DONT, 5], [DO, ECHO], [WONT, 6], [WILL, BINARY]),
      ]),
    );
    // a server acknowledging our acknowledgements (repeating what it asked) gets nothing back
    const accepted = neg([DO, TTYPE], [WILL, SGA], [DO, NAWS], [WILL, ECHO], [DO, BINARY]);
    for (let round = 0; round < 5; round++) expect(feed(p, accepted).reply.length).toBe(0);
  });
});

describe('TelnetProtocol: a server that only negotiates', () => {
  it('fails after the command cap without text, and stops answering', () => {
    const p = proto({ maxCommands: 200 });
    const flood = Buffer.concat(
      Array.from({ length: 300 }, (_, i) => bytes(IAC, i % 2 ? DO : WILL, 100 + (i % 50))),
    );
    const r = feed(p, flood);
    expect(r.error).toMatch(/more than 200 telnet negotiation commands without any text/);
    // it answered at most the 201 it read before giving up, not the whole flood
    expect(r.reply.length).toBeLessThanOrEqual(201 * 3);
    const after = feed(p, bytes(IAC, DO, 120), Buffer.from('text'));
    expect(after.reply.length).toBe(0);
    expect(after.data.length).toBe(0);
    expect(after.error).not.toBeNull();
  });

  it('counts the cap from the last text: a chatty but real server is fine', () => {
    const p = proto({ maxCommands: 200 });
    const some = Buffer.concat(Array.from({ length: 150 }, () => bytes(IAC, DO, 120)));
    const r = feed(p, some, Buffer.from('x'), some, Buffer.from('y'), some);
    expect(r.error).toBeNull();
    expect(r.data.toString()).toBe('xy');
  });

  it('fails on the byte cap for one endless subnegotiation', () => {
    const p = proto({ maxBytes: 4096 });
    const r = feed(p, bytes(IAC, SB, TTYPE), ...Array.from({ length: 10 }, () => Buffer.alloc(1000, 0x41)));
    expect(r.error).toMatch(/more than 4096 bytes of telnet negotiation/);
  });
});

describe('TelnetProtocol: encode', () => {
  it('doubles IAC and sends a bare CR as CR NUL outside binary mode, CR LF as it is', () => {
    const p = proto();
    expect([...p.encode(bytes(0x61, 0xff, 0x62))]).toEqual([0x61, 0xff, 0xff, 0x62]);
    expect(p.encode(Buffer.from('a\r\nb\r'))).toEqual(Buffer.from('a\r\nb\r\0'));
    const plain = Buffer.from('show version');
    expect(p.encode(plain)).toBe(plain); // nothing to escape: the same buffer
  });
});

describe('TelnetLoginDialog', () => {
  const both = { username: true, password: true };

  it('logs in to Linux login(1)', () => {
    const d = new TelnetLoginDialog(generic, both);
    expect(d.feed('Linux 6.1 (localhost) (pts/0)\r\n\r\n')).toBeNull();
    expect(d.feed('vm login: ')).toEqual({ kind: 'send_username' });
    expect(d.feed('sbtelnet\r\n')).toBeNull();
    expect(d.feed('Password: ')).toEqual({ kind: 'send_password' });
    expect(d.feed('\r\nLast login: Mon Dec  1 10:00:00 on pts/1\r\n')).toBeNull();
    expect(d.feed('sbtelnet@vm:~$ ')).toEqual({ kind: 'done' });
  });

  it('logs in to Cisco IOS and Huawei VRP prompts', () => {
    const ios = new TelnetLoginDialog(ciscoIos, both);
    expect(ios.feed('\r\n\r\nUser Access Verification\r\n\r\nUsername: ')).toEqual({ kind: 'send_username' });
    expect(ios.feed('admin\r\nPassword: ')).toEqual({ kind: 'send_password' });
    expect(ios.feed('\r\n\r\nR1>')).toEqual({ kind: 'done' });
    const vrp = new TelnetLoginDialog(huaweiVrp, both);
    expect(vrp.feed('Login authentication\r\n\r\n\r\nUsername:')).toEqual({ kind: 'send_username' });
    expect(vrp.feed('admin\r\nPassword:')).toEqual({ kind: 'send_password' });
    expect(vrp.feed('\r\nInfo: The max number of VTY users is 5.\r\n<HUAWEI>')).toEqual({ kind: 'done' });
  });

  it.each(['User name:', 'User Name:', 'Username :', 'login:'])('recognises «%s»', (prompt) => {
    expect(new TelnetLoginDialog(generic, both).feed(`\r\n${prompt} `)).toEqual({ kind: 'send_username' });
  });

  it.each([
    'Login incorrect\r\nvm login: ',
    '\r\n% Authentication failed\r\n\r\nUsername: ',
    '\r\nError: Failed to authenticate.\r\n',
    '\r\n% Login invalid\r\n',
    '\r\n% Bad passwords\r\n',
  ])('a refusal after the password fails the login: %j', (answer) => {
    const d = new TelnetLoginDialog(generic, both);
    d.feed('Username: ');
    d.feed('Password: ');
    expect(d.feed(answer)).toEqual({ kind: 'refused', why: 'refused' });
  });

  it('the username or password asked again means refused', () => {
    const a = new TelnetLoginDialog(ciscoIos, both);
    a.feed('Username: ');
    a.feed('Password: ');
    expect(a.feed('\r\nUsername: ')).toEqual({ kind: 'refused', why: 'asked_again' });
    const b = new TelnetLoginDialog(ciscoIos, both);
    b.feed('Password: ');
    expect(b.feed('\r\nPassword: ')).toEqual({ kind: 'refused', why: 'asked_again' });
  });

  it('a line with only a password is answered from the password', () => {
    const d = new TelnetLoginDialog(ciscoIos, { username: false, password: true });
    expect(d.feed('\r\nUser Access Verification\r\n\r\nPassword: ')).toEqual({ kind: 'send_password' });
    expect(d.feed('\r\nSW1>')).toEqual({ kind: 'done' });
    expect(new TelnetLoginDialog(ciscoIos, { username: false, password: true }).feed('Username: ')).toEqual({
      kind: 'refused',
      why: 'username_needed',
    });
  });

  it('text that merely mentions a login is not a prompt', () => {
    const d = new TelnetLoginDialog(generic, both);
    expect(d.feed('Last login: Tue from 10.0.0.1\r\nPlease login: with your account\r\n')).toBeNull();
  });

  it('a device that needs no login is done at its prompt', () => {
    expect(new TelnetLoginDialog(ciscoIos, both).feed('\r\nSW1#')).toEqual({ kind: 'done' });
  });
});
