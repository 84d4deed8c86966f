import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { credentialContext } from '../lib/devices/credentials';
import { generateEd25519KeyPair } from '../lib/devices/keys';
import { freePort, waitForPort } from './ports';
import type { Portal } from './harness';

export const SSHD_BINARY = '/usr/sbin/sshd';

export interface RealSshd {
  host: string;
  port: number;
  username: string;
  /** OpenSSH-format private key authorised for `username`. */
  privateKey: string;
  close(): Promise<void>;
}

/**
 * Debian's OpenSSH sshd on a loopback port with its own config, host key and authorised key for
 * the current user. Started by the test; `.ci/run` installs openssh-server.
 */
export async function startSshd(
  opts: {
    /** Extra sshd_config lines (e.g. a legacy-only algorithm set). */
    config?: string[];
    hostKeyType?: 'ed25519' | 'rsa';
  } = {},
): Promise<RealSshd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-sshd-'));
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    opts.hostKeyType ?? 'ed25519',
    '-N',
    '',
    '-f',
    path.join(dir, 'host_key'),
  ]);
  const keys = generateEd25519KeyPair();
  writeFileSync(path.join(dir, 'authorized_keys'), `${keys.public}\n`, { mode: 0o600 });
  const port = await freePort();
  const username = userInfo().username;
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${path.join(dir, 'host_key')}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    `AllowUsers ${username}`,
    'StrictModes no',
    'UsePAM no',
    'PrintMotd no',
    'PrintLastLog no',
    'LogLevel ERROR',
    ...(opts.config ?? []),
  ].join('\n');
  writeFileSync(path.join(dir, 'sshd_config'), `${config}\n`);
  mkdirSync('/run/sshd', { recursive: true }); // privilege separation directory
  const child = spawn(SSHD_BINARY, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  try {
    await waitForPort(port, child, 'sshd', 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}: ${stderr}`);
  }
  return {
    host: '127.0.0.1',
    port,
    username,
    privateKey: keys.private,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface SshdDeviceOptions {
  name: string;
  /** The vendor stored in the inventory (a test of detection may store a wrong one on purpose). */
  vendor: string;
  /** Users granted the device. */
  grantTo: string[];
}

/** Puts `sshd` in the portal's inventory as a key-login device; returns its id. */
export async function addSshdDevice(
  portal: Pick<Portal, 'db' | 'vault'>,
  sshd: RealSshd,
  opts: SshdDeviceOptions,
): Promise<string> {
  const id = randomUUID();
  await portal.db.device.create({
    data: {
      id,
      name: opts.name,
      host: sshd.host,
      port: sshd.port,
      vendor: opts.vendor,
      username: sshd.username,
      authType: 'key',
      secretEnc: portal.vault.seal(sshd.privateKey, credentialContext(id, 'secret')),
      grants: { create: opts.grantTo.map((userId) => ({ userId })) },
    },
  });
  return id;
}
