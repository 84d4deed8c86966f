import { createHash } from 'node:crypto';
import net from 'node:net';
import ssh2, { type Client, type ConnectConfig } from 'ssh2';

// ssh2 is CommonJS: take the class from the default export (named imports fail under Node's ESM loader).
const { Client: SshClient } = ssh2;
import type { Duplex } from 'node:stream';
import type { DeviceCredentials } from './credentials';
import { OfferRecorder, parseSshProfile, readServerHello, type NegotiatedAlgorithms } from './ssh-algorithms';

/** Tunables for device connections (see README). */
export const SSH_READY_TIMEOUT_MS = 15_000;
export const SSH_KEEPALIVE_INTERVAL_MS = 15_000;
export const SSH_KEEPALIVE_COUNT_MAX = 3;
/** How long a person has to answer a login question (a one-time token) in the terminal tab. */
export const ASK_USER_TIMEOUT_MS = 120_000;
/** A keyboard-interactive prompt that asks for the password (answered from the stored one). */
const PASSWORD_PROMPT = /pass(?:word|code|phrase)?|secret/i;

export type SshFailureCode =
  | 'unreachable'
  | 'timeout'
  | 'auth_failed'
  | 'host_key_mismatch'
  | 'host_key_unapproved'
  | 'closed'
  | 'algorithms'
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
  /**
   * Told the key the server offered as soon as the key exchange shows it, before authentication
   * (Test connection names it even when the login then fails).
   */
  offered?(fingerprint: string): void;
}

function mismatchError(label: string, known: string, offered: string, offeredKey: string): SshError {
  return new SshError(
    'host_key_mismatch',
    `The host key of ${label} has changed: expected ${known}, the device offered ${offered}. ` +
      'This can mean the device was replaced or someone is intercepting the connection; an operator of the device must accept the new key on the device page.',
    { expectedFingerprint: known, offeredFingerprint: offered, offeredKey },
  );
}

/** A keyboard-interactive question put to a person (`echo`: the answer may be shown as typed). */
export interface LoginQuestion {
  prompt: string;
  echo: boolean;
}

export interface SshTarget {
  host: string;
  port: number;
  name?: string;
}

export interface SshConnectOptions {
  hostKeys: HostKeyPolicy;
  /** The device's algorithm profile: `modern` (default), `legacy`, or a custom JSON list. */
  algorithmProfile?: string;
  /** Reach the device through this connection (a jump host): a forwarded channel, no local port. */
  via?: SshConnection;
  /**
   * Asks the person at the terminal a keyboard-interactive question the stored password cannot
   * answer (a one-time token); null: not answered. Without it such a login fails at once.
   */
  askUser?: (questions: LoginQuestion[], instructions: string) => Promise<string[] | null>;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  signal?: AbortSignal;
}

export interface SshConnection {
  client: Client;
  /** The TCP socket, or the jump host's forwarded channel. */
  socket: Duplex & { destroyed: boolean; writable: boolean; destroy(): void };
  fingerprint: string;
  firstUse: boolean;
  /** The server's identification line (`SSH-2.0-Cisco-1.25`), evidence of the vendor. */
  serverIdent: string;
  /** The banner the server showed during authentication, if any. */
  authBanner: string;
  /** What this login agreed on. */
  negotiated: NegotiatedAlgorithms | null;
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
export async function connectSsh(
  target: SshTarget,
  creds: DeviceCredentials,
  opts: SshConnectOptions,
): Promise<SshConnection> {
  const readyTimeoutMs = opts.readyTimeoutMs ?? SSH_READY_TIMEOUT_MS;
  const label = target.name ?? `${target.host}:${target.port}`;
  const profile = opts.algorithmProfile ?? 'modern';
  const algorithms = parseSshProfile(profile);
  if (!algorithms.ok) throw new SshError('algorithms', `${label}: ${algorithms.error}`);
  const started = Date.now();
  const socket = opts.via
    ? await forwardThrough(opts.via, target, label, readyTimeoutMs, opts.signal)
    : tcpSocket(target);
  return handshake(target, creds, opts, {
    socket,
    connected: !!opts.via,
    label,
    profile,
    algorithms: algorithms.algorithms,
    readyTimeoutMs: Math.max(1, readyTimeoutMs - (Date.now() - started)),
  });
}

function tcpSocket(target: SshTarget): net.Socket {
  const tcp = net.connect({ host: target.host, port: target.port });
  tcp.setNoDelay(true);
  tcp.setKeepAlive(true, 30_000);
  return tcp;
}

/** A channel from the jump host to the target (`direct-tcpip`): no port is opened on this machine. */
export function forwardThrough(
  via: SshConnection,
  target: SshTarget,
  label: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<SshConnection['socket']> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err: SshError | null, ch?: SshConnection['socket']) => {
      if (done) return ch?.destroy();
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(ch!);
    };
    const onAbort = () => finish(new SshError('closed', `Connection to ${label} was cancelled.`));
    const timer = setTimeout(
      () =>
        finish(
          new SshError(
            'timeout',
            `The jump host did not open a channel to ${label} within ${Math.round(timeoutMs / 1000)} s.`,
          ),
        ),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) return onAbort();
    via.client.forwardOut('127.0.0.1', 0, target.host, target.port, (err, ch) => {
      if (err)
        return finish(
          new SshError(
            'unreachable',
            `The jump host cannot reach ${label} (${target.host}:${target.port}): ${err.message}.`,
          ),
        );
      finish(null, ch as unknown as SshConnection['socket']);
    });
  });
}

function handshake(
  target: SshTarget,
  creds: DeviceCredentials,
  opts: SshConnectOptions,
  h: {
    socket: SshConnection['socket'];
    /** The socket is already open (a forwarded channel). */
    connected: boolean;
    label: string;
    profile: string;
    algorithms: ConnectConfig['algorithms'];
    readyTimeoutMs: number;
  },
): Promise<SshConnection> {
  const { socket, label, readyTimeoutMs } = h;
  const offers = new OfferRecorder();
  return new Promise((resolve, reject) => {
    const client = new SshClient();
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
    const onTimeout = () =>
      fail(
        new SshError(
          'timeout',
          `${label} did not complete the SSH login within ${Math.round(readyTimeoutMs / 1000)} s.`,
        ),
      );
    let timer = setTimeout(onTimeout, readyTimeoutMs);
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

    // The server's identification line and its key exchange offers come first, in the clear: read
    // here (before ssh2 sees them, so a failed negotiation finds them recorded). ssh2's `debug` would
    // show the offers too, but it formats a line for every packet of the session.
    let serverIdent = '';
    let hello: Buffer | null = null;
    const readHello = (chunk: Buffer) => {
      hello = hello ? Buffer.concat([hello, chunk]) : chunk;
      const h = readServerHello(hello);
      if (!h) return;
      serverIdent = h.ident;
      if (h.offers) offers.record(h.offers);
      hello = null;
      socket.off('data', readHello);
    };
    socket.on('data', readHello);
    let negotiated: NegotiatedAlgorithms | null = null;
    client.on('handshake', (n) => {
      negotiated = { kex: n.kex, serverHostKey: n.serverHostKey, cipher: n.cs.cipher, hmac: n.cs.mac };
    });
    let authBanner = '';
    client.on('banner', (message: string) => (authBanner = message.slice(0, 4096)));

    // AAA logins ask by keyboard-interactive: a password prompt gets the stored password; any other
    // question (a one-time token, "press enter") goes to the person at the terminal if there is one
    // (askUser), with its own time limit; otherwise the login fails saying what was asked.
    let unanswered: string | null = null;
    client.on('keyboard-interactive', (_name, instructions, _lang, prompts, finish) => {
      const others = prompts.filter((p) => !PASSWORD_PROMPT.test(p.prompt));
      if (others.length === 0) return finish(prompts.map(() => creds.password ?? ''));
      unanswered = others[0]!.prompt.trim().slice(0, 100);
      if (!opts.askUser) return finish([]);
      clearTimeout(timer);
      opts
        .askUser(
          others.map((p) => ({ prompt: p.prompt.trim().slice(0, 200), echo: p.echo === true })),
          instructions.slice(0, 500),
        )
        .then(
          (answers) => {
            if (settled) return;
            timer = setTimeout(onTimeout, readyTimeoutMs);
            if (!answers) return finish([]); // nobody answered: the error names the question
            unanswered = null;
            let k = 0;
            finish(
              prompts.map((p) =>
                PASSWORD_PROMPT.test(p.prompt) ? (creds.password ?? '') : (answers[k++] ?? ''),
              ),
            );
          },
          () => finish([]),
        );
    });

    client.once('ready', () => {
      if (settled) return;
      const firstUse = opts.hostKeys.knownFingerprint === null;
      const done = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        resolve({
          client,
          socket,
          fingerprint: offered!.fingerprint,
          firstUse,
          serverIdent,
          authBanner,
          negotiated,
        });
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
        if (unanswered)
          return fail(
            new SshError(
              'auth_failed',
              opts.askUser
                ? `${label} asks «${unanswered}» at login and it was not answered (in time).`
                : `${label} asks «${unanswered}» at login; the portal answers only password prompts from the stored credentials.`,
            ),
          );
        return fail(new SshError('auth_failed', `${label} refused the login for user "${creds.username}".`));
      }
      if (err.level === 'client-timeout')
        return fail(new SshError('timeout', `${label} did not answer in time.`));
      if (err.level === 'client-socket')
        return fail(new SshError('unreachable', `Connection to ${label} failed: ${err.message}.`));
      const noMatch = offers.explain(err.message, label, h.profile);
      if (noMatch) return fail(new SshError('algorithms', noMatch));
      fail(new SshError('protocol', `SSH error from ${label}: ${err.message}`));
    });
    client.on('close', () => {
      // every connection ends so, long after its login: no error to make then
      if (!settled) fail(mismatch ?? new SshError('closed', `${label} closed the connection during login.`));
    });

    const start = () =>
      client.connect({
        sock: socket,
        algorithms: h.algorithms,
        username: creds.username,
        ...authConfig(creds),
        // our own timer bounds the login (and pauses while a person answers); ssh2's must not fire first
        readyTimeout: readyTimeoutMs + (opts.askUser ? ASK_USER_TIMEOUT_MS : 0),
        keepaliveInterval: opts.keepaliveIntervalMs ?? SSH_KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: SSH_KEEPALIVE_COUNT_MAX,
        hostVerifier: (key: Buffer) => {
          const fingerprint = fingerprintOf(key);
          offered = { fingerprint, key: key.toString('base64') };
          opts.hostKeys.offered?.(fingerprint);
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
    if (h.connected) start();
    else socket.once('connect', start);
  });
}
