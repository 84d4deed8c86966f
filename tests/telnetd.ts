import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freePort, waitForPort } from './ports';
import path from 'node:path';

export const TELNETD_BINARY = '/usr/sbin/telnetd';
export const INETD_BINARY = '/usr/sbin/inetutils-inetd';
/** The system user the tests log in as (created on first use; tests run as root on a throwaway machine). */
export const TELNET_TEST_USER = 'sbtelnet';
export const TELNET_TEST_PASSWORD = 'Sb-telnet-test-1';

export interface RealTelnetd {
  host: string;
  port: number;
  username: string;
  password: string;
  close(): Promise<void>;
}

function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The test user with its known password; idempotent, and safe when two test files race to create it. */
export function ensureTelnetUser(): void {
  if (!userExists(TELNET_TEST_USER)) {
    try {
      execFileSync('useradd', ['-m', '-s', '/bin/bash', TELNET_TEST_USER], { stdio: 'pipe' });
    } catch (err) {
      if (!userExists(TELNET_TEST_USER)) throw err;
    }
  }
  execFileSync('chpasswd', [], {
    input: `${TELNET_TEST_USER}:${TELNET_TEST_PASSWORD}\n`,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
}

/**
 * Debian's telnet server (inetutils-telnetd, logging in through /bin/login and PAM) on a loopback
 * port, run by inetutils-inetd in the foreground with a one-line config of its own, the way a
 * device's inetd would. Started by the test; `.ci/run` installs inetutils-telnetd and inetutils-inetd.
 */
export async function startTelnetd(): Promise<RealTelnetd> {
  ensureTelnetUser();
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-telnetd-'));
  const port = await freePort();
  const conf = path.join(dir, 'inetd.conf');
  writeFileSync(conf, `127.0.0.1:${port} stream tcp nowait root ${TELNETD_BINARY} telnetd\n`);
  // -d: foreground (and a debug log on stderr); its own pid file, so several can run at once
  const child = spawn(INETD_BINARY, ['-d', `--pidfile=${path.join(dir, 'inetd.pid')}`, conf], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4096)));
  try {
    await waitForPort(port, child, 'inetutils-inetd', 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}: ${stderr}`);
  }
  return {
    host: '127.0.0.1',
    port,
    username: TELNET_TEST_USER,
    password: TELNET_TEST_PASSWORD,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
