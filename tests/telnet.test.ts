/**
 * The telnet transport (lib/devices/telnet.ts) against Debian's inetutils-telnetd (a server nobody
 * here wrote: /bin/login, PAM, bash on a pty) and against hostile servers that only negotiate or
 * never show a prompt. Each failure must be the right code, say what happened, and come in time.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceCli } from '../lib/devices/cli';
import { driverFor } from '../lib/devices/drivers';
import {
  connectTelnet,
  telnetLogin,
  TelnetError,
  type TelnetConnection,
  type TelnetConnectOptions,
} from '../lib/devices/telnet';
import { freePort } from './ports';
import { startTelnetd, type RealTelnetd } from './telnetd';

const generic = driverFor('generic');
let telnetd: RealTelnetd;
const open: TelnetConnection[] = [];
const servers: net.Server[] = [];

beforeAll(async () => {
  telnetd = await startTelnetd();
});
afterAll(async () => {
  for (const c of open) c.close();
  for (const s of servers) s.close();
  await telnetd?.close();
});

async function connect(opts: Partial<TelnetConnectOptions> = {}): Promise<TelnetConnection> {
  const conn = await connectTelnet({ host: telnetd.host, port: telnetd.port, ...opts });
  open.push(conn);
  return conn;
}

async function login(opts: Partial<TelnetConnectOptions> = {}): Promise<TelnetConnection> {
  const conn = await connect(opts);
  await telnetLogin(conn, { username: telnetd.username, password: telnetd.password, driver: generic });
  return conn;
}

/** Send a line and wait until the output matches. */
function expectOutput(
  conn: TelnetConnection,
  line: string,
  want: RegExp,
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      stop();
      reject(
        new Error(
          `no ${want} within ${timeoutMs} ms after ${JSON.stringify(line)}; got ${JSON.stringify(out)}`,
        ),
      );
    }, timeoutMs);
    const stop = conn.onData((chunk) => {
      out += chunk.toString('utf8');
      if (want.test(out)) {
        clearTimeout(timer);
        stop();
        resolve(out);
      }
    });
    conn.write(`${line}\r`);
  });
}

async function failure(p: Promise<unknown>): Promise<{ err: TelnetError; ms: number }> {
  const t0 = Date.now();
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(TelnetError);
    return { err: err as TelnetError, ms: Date.now() - t0 };
  }
  throw new Error('expected a TelnetError');
}

/** A TCP server on loopback that treats each connection as `onSocket` says. */
async function hostile(onSocket: (s: net.Socket) => void): Promise<number> {
  const srv = net.createServer((s) => {
    s.on('error', () => {});
    onSocket(s);
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return (srv.address() as net.AddressInfo).port;
}

/**
 * Write `chunk` over and over until the peer goes away, yielding between writes (the server shares
 * this process's event loop with the client under test).
 */
function flood(s: net.Socket, chunk: Buffer): void {
  const burst = Buffer.concat(Array.from({ length: 64 }, () => chunk));
  const pump = (): void => {
    if (s.destroyed || !s.writable) return;
    if (s.write(burst)) setImmediate(pump);
    else s.once('drain', pump);
  };
  pump();
}

describe('telnet to a real telnetd (inetutils-telnetd, /bin/login)', () => {
  it('negotiates echo, suppress-go-ahead, window size and terminal type', async () => {
    const conn = await connect({ term: 'xterm' });
    await telnetLogin(conn, { username: telnetd.username, password: telnetd.password, driver: generic });
    expect(conn.options).toMatchObject({ echo: true, sga: true, naws: true, ttype: true });
    const out = await expectOutput(conn, 'echo "term=$TERM"', /term=\w+/);
    expect(out).toMatch(/term=xterm/i);
  });

  it('logs in, and the shell sees the window size sent by NAWS, and the new one after a resize', async () => {
    const conn = await login({ cols: 133, rows: 41 });
    expect(await expectOutput(conn, 'stty size', /\d+ \d+\r?\n/)).toMatch(/41 133/);
    conn.resize(97, 29);
    expect(await expectOutput(conn, 'stty size', /\d+ \d+\r?\n/)).toMatch(/29 97/);
  });

  it('carries an echo round trip', async () => {
    const conn = await login();
    const out = await expectOutput(conn, 'echo "sb-$((6*7))"', /sb-42/);
    expect(out).toContain('sb-42');
  });

  it('runs a command through the CLI session, which learns the shell prompt', async () => {
    const conn = await login({ term: 'vt100' });
    const cli = await DeviceCli.open(conn.toCliTransport(), generic, 'utf-8', { timeoutMs: 15_000 });
    try {
      expect(cli.currentPrompt).toMatch(/sbtelnet@[^\s:]+:~\$$/);
      const r = await cli.run({ command: 'echo hi' });
      expect(r).toMatchObject({ output: 'hi', status: 'success' });
      const r2 = await cli.run({ command: 'echo "x$((1+1))y"' });
      expect(r2.output).toBe('x2y');
    } finally {
      cli.close();
    }
  });

  it('a wrong password is auth_failed, quoting what the device said', async () => {
    const conn = await connect();
    const { err } = await failure(
      telnetLogin(conn, {
        username: telnetd.username,
        password: 'wrong-password',
        driver: generic,
        timeoutMs: 20_000,
      }),
    );
    expect(err.code).toBe('auth_failed');
    expect(err.message).toMatch(/refused the telnet login for user "sbtelnet".*Login incorrect/s);
    await new Promise((r) => setTimeout(r, 50));
    expect(conn.isClosed).toBe(true);
  });
});

describe('telnet failures', () => {
  it('a port with nothing listening is unreachable, at once', async () => {
    const port = await freePort();
    const { err, ms } = await failure(connectTelnet({ host: '127.0.0.1', port, name: 'sw-closed' }));
    expect(err.code).toBe('unreachable');
    expect(err.message).toMatch(/Cannot reach sw-closed: connection refused/);
    expect(ms).toBeLessThan(1_000);
  });

  it('a cancelled connect says so', async () => {
    const ac = new AbortController();
    ac.abort();
    const { err } = await failure(
      connectTelnet({ host: telnetd.host, port: telnetd.port, signal: ac.signal }),
    );
    expect(err.code).toBe('closed');
    expect(err.message).toMatch(/cancelled/);
  });

  it('a server that sends endless option negotiation fails with negotiation, quickly', async () => {
    const port = await hostile((s) => flood(s, Buffer.from([255, 253, 39, 255, 251, 37, 255, 253, 24])));
    const { err, ms } = await failure(connectTelnet({ host: '127.0.0.1', port, name: 'sw-chatty' }));
    expect(err.code).toBe('negotiation');
    expect(err.message).toMatch(/sw-chatty sent more than 200 telnet negotiation commands without any text/);
    expect(ms).toBeLessThan(500);
  });

  it('a server that starts negotiating endlessly after its banner fails the login with negotiation', async () => {
    const port = await hostile((s) => {
      s.write('Welcome\r\n');
      setTimeout(() => flood(s, Buffer.from([255, 251, 1, 255, 252, 1])), 100);
    });
    const conn = await connectTelnet({ host: '127.0.0.1', port });
    open.push(conn);
    const { err, ms } = await failure(
      telnetLogin(conn, { username: 'u', password: 'p', driver: generic, timeoutMs: 10_000 }),
    );
    expect(err.code).toBe('negotiation');
    expect(err.message).toMatch(/does not behave like a telnet server/);
    expect(ms).toBeLessThan(1_000);
  });

  it('a server that never shows a prompt fails with no_prompt at the timeout, quoting what it sent', async () => {
    const port = await hostile((s) =>
      s.write(Buffer.from('\xff\xfb\x01Welcome to the terminal server\r\n', 'latin1')),
    );
    const conn = await connectTelnet({ host: '127.0.0.1', port, name: 'cs-silent' });
    open.push(conn);
    const { err, ms } = await failure(
      telnetLogin(conn, { username: 'u', password: 'p', driver: generic, timeoutMs: 1_500, nudgeMs: 500 }),
    );
    expect(err.code).toBe('no_prompt');
    expect(err.message).toMatch(
      /No login prompt \(Username:, login: or Password:\) from cs-silent within 1\.5 s; it last sent «Welcome to the terminal server·?\n?»/,
    );
    expect(ms).toBeGreaterThanOrEqual(1_400);
    expect(ms).toBeLessThan(3_000);
  });

  it('a server that closes during the login says so at once', async () => {
    const port = await hostile((s) => {
      s.write('Username: ');
      s.once('data', () => s.end('\r\nGoodbye\r\n'));
    });
    const conn = await connectTelnet({ host: '127.0.0.1', port, name: 'sw-bye' });
    const { err, ms } = await failure(telnetLogin(conn, { username: 'u', password: 'p', driver: generic }));
    expect(err.code).toBe('closed');
    expect(err.message).toMatch(
      /sw-bye closed the connection during the telnet login for user "u"; it last sent .*Goodbye/s,
    );
    expect(ms).toBeLessThan(1_000);
  });

  it('a console line (no username, no password) skips the login and is handed to the CLI as is', async () => {
    const port = await hostile((s) => {
      s.on('data', (d) => {
        if (d.includes(13)) s.write('\r\nconsole-sw1# ');
      });
    });
    const conn = await connectTelnet({ host: '127.0.0.1', port });
    open.push(conn);
    await telnetLogin(conn, { username: '', password: '', driver: generic });
    const cli = await DeviceCli.open(conn.toCliTransport(), generic, 'utf-8', {
      timeoutMs: 5_000,
      quietMs: 200,
    });
    expect(cli.currentPrompt).toBe('console-sw1#');
    cli.close();
  });
});
