import { createHash } from 'node:crypto';
import net from 'node:net';
import ssh2, { type Client, type ConnectConfig } from 'ssh2';

// ssh2 is CommonJS: take the class from the default export (named imports fail under Node's ESM loader).
const { Client: SshClient } = ssh2;
import type { DeviceCredentials } from './credentials';

/** Tunables for device connections (see README). */
export const SSH_READY_TIMEOUT_MS = 15_000;
export const SSH_KEEPALIVE_INTERVAL_MS = 15_000;
export const SSH_KEEPALIVE_COUNT_MAX = 3;

export type SshFailureCode =
  | 'unreachable'
  | 'timeout'
  | 'auth_failed'
  | 'host_key_mismatch'
  | 'host_key_unapproved'
  | 'closed'
  | 'protocol';

/** An expected connection failure: a code and a message a user can act on. */
export class SshError extends Error {
  constructor(
    public readonly code: SshFailureCode,
    message: string,
    public readonly details: {
      expectedFingerprint?: string;
      offeredFingerprint?: string;
      offeredKey?: string;
    } = {},
  ) {
    super(message);
    this.name = 'SshError';
  }
}

/** OpenSSH-style fingerprint of a raw public key blob: `SHA256:<base64 without padding>`. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export interface HostKeyPolicy {
  /** The trusted fingerprint for this device, or null to trust on first use. */
  knownFingerprint: string | null;
  /**
   * The device moved to a new address: no key is trusted on first use, every key is refused
   * (before authentication, so no secret is sent) until a person accepts the offered one.
   */
  approvalRequired?: boolean;
  /**
   * Called once the first connection to an unknown device has authenticated. Atomic: when another
   * connection stored a different key first, the answer names it and this connection is refused.
   */
  trust(fingerprint: string, keyBase64: string): Promise<{ ok: true } | { ok: false; trusted: string }>;
}

function mismatchError(label: string, known: string, offered: string, offeredKey: string): SshError {
  return new SshError(
    'host_key_mismatch',
    `The host key of ${label} has changed: expected ${known}, the device offered ${offered}. ` +
      'This can mean the device was replaced or someone is intercepting the connection; an operator of the device must accept the new key on the device page.',
    { expectedFingerprint: known, offeredFingerprint: offered, offeredKey },
  );
}

export interface SshTarget {
  host: string;
  port: number;
  name?: string;
}

export interface SshConnectOptions {
  hostKeys: HostKeyPolicy;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  signal?: AbortSignal;
}

export interface SshConnection {
  client: Client;
  socket: net.Socket;
  fingerprint: string;
  firstUse: boolean;
  /** The server's identification line (`SSH-2.0-Cisco-1.25`), evidence of the vendor. */
  serverIdent: string;
  /** The banner the server showed during authentication, if any. */
  authBanner: string;
}

function authConfig(creds: DeviceCredentials): Partial<ConnectConfig> {
  return creds.privateKey
    ? { privateKey: creds.privateKey, passphrase: creds.passphrase }
    : { password: creds.password, tryKeyboard: true };
}

/**
 * Open an authenticated SSH connection to a device. Our own TCP socket (no-delay: without it
 * Nagle adds ~40 ms to every echoed keystroke; keepalive), SSH keepalives, and a host-key check:
 * trusted on first use, refused with both fingerprints when it changes.
 */
export function connectSsh(
  target: SshTarget,
  creds: DeviceCredentials,
  opts: SshConnectOptions,
): Promise<SshConnection> {
  const readyTimeoutMs = opts.readyTimeoutMs ?? SSH_READY_TIMEOUT_MS;
  const label = target.name ?? `${target.host}:${target.port}`;
  return new Promise((resolve, reject) => {
    const client = new SshClient();
    const socket = net.connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    let settled = false;
    let offered: { fingerprint: string; key: string } | null = null;
    let mismatch: SshError | null = null;

    const fail = (err: SshError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      client.end();
      socket.destroy();
      reject(err);
    };
    const onAbort = () => fail(new SshError('closed', `Connection to ${label} was cancelled.`));
    const timer = setTimeout(
      () =>
        fail(
          new SshError(
            'timeout',
            `${label} did not complete the SSH login within ${Math.round(readyTimeoutMs / 1000)} s.`,
          ),
        ),
      readyTimeoutMs,
    );
    // after the timer exists: `fail` clears it, and the signal may already be aborted
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) return onAbort();

    socket.once('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'ECONNREFUSED'
          ? 'connection refused'
          : err.code === 'EHOSTUNREACH'
            ? 'host unreachable'
            : err.message;
      fail(new SshError('unreachable', `Cannot reach ${label}: ${why}.`));
    });

    // the identification line is the first line the server sends (RFC 4253 §4.2)
    let serverIdent = '';
    let identBuf = '';
    const readIdent = (chunk: Buffer) => {
      identBuf += chunk.toString('latin1');
      const m = /^SSH-[^\r\n]{1,250}/m.exec(identBuf);
      if (m || identBuf.length > 8192) {
        serverIdent = m?.[0] ?? '';
        socket.off('data', readIdent);
      }
    };
    socket.on('data', readIdent);
    let authBanner = '';
    client.on('banner', (message: string) => (authBanner = message.slice(0, 4096)));

    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      finish(prompts.map(() => creds.password ?? ''));
    });

    client.once('ready', () => {
      if (settled) return;
      const firstUse = opts.hostKeys.knownFingerprint === null;
      const done = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        resolve({ client, socket, fingerprint: offered!.fingerprint, firstUse, serverIdent, authBanner });
      };
      if (firstUse && offered) {
        const { fingerprint, key } = offered;
        opts.hostKeys.trust(fingerprint, key).then(
          (r) => (r.ok ? done() : fail(mismatchError(label, r.trusted, fingerprint, key))),
          (err: unknown) =>
            fail(
              new SshError('protocol', `Could not store the host key of ${label}: ${(err as Error).message}`),
            ),
        );
      } else done();
    });

    client.on('error', (err: Error & { level?: string }) => {
      if (mismatch) return fail(mismatch);
      if (err.level === 'client-authentication') {
        return fail(new SshError('auth_failed', `${label} refused the login for user "${creds.username}".`));
      }
      if (err.level === 'client-timeout')
        return fail(new SshError('timeout', `${label} did not answer in time.`));
      if (err.level === 'client-socket')
        return fail(new SshError('unreachable', `Connection to ${label} failed: ${err.message}.`));
      fail(new SshError('protocol', `SSH error from ${label}: ${err.message}`));
    });
    client.on('close', () =>
      fail(mismatch ?? new SshError('closed', `${label} closed the connection during login.`)),
    );

    socket.once('connect', () => {
      client.connect({
        sock: socket,
        username: creds.username,
        ...authConfig(creds),
        readyTimeout: readyTimeoutMs,
        keepaliveInterval: opts.keepaliveIntervalMs ?? SSH_KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: SSH_KEEPALIVE_COUNT_MAX,
        hostVerifier: (key: Buffer) => {
          const fingerprint = fingerprintOf(key);
          offered = { fingerprint, key: key.toString('base64') };
          const known = opts.hostKeys.knownFingerprint;
          if (opts.hostKeys.approvalRequired) {
            mismatch = new SshError(
              'host_key_unapproved',
              `${label} offers key ${fingerprint} at its new address (${target.host}:${target.port}); ` +
                'an operator of the device must accept it on the device page before the portal logs in there.',
              {
                expectedFingerprint: known ?? undefined,
                offeredFingerprint: fingerprint,
                offeredKey: offered.key,
              },
            );
            return false;
          }
          if (known === null || known === fingerprint) return true;
          mismatch = mismatchError(label, known, fingerprint, offered.key);
          return false;
        },
      });
    });
  });
}
