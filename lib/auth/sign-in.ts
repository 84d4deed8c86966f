import 'server-only';
import { randomBytes } from 'node:crypto';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';
import type { PortalMetrics } from '../metrics';
import type { RuntimeTunables } from '../server/runtime';
import { hashPassword, verifyPassword } from './password';
import { ADDRESS_FAILURE_FACTOR, type LoginThrottle, type ThrottleKey } from './throttle';

/** Messages the login form shows; next-auth passes a thrown Error's message through as `error`. */
export const LOGIN_ERRORS = {
  invalid: 'Wrong username or password.',
  disabled: 'This account is disabled. Ask an administrator.',
  throttled: (retryAfterMs: number) => `Too many failed sign-ins. Try again in ${waitText(retryAfterMs)}.`,
} as const;

function waitText(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return ms < 60_000
    ? plural(Math.max(1, Math.ceil(ms / 1000)), 'second')
    : plural(Math.ceil(ms / 60_000), 'minute');
}

/**
 * The throttle keys of one attempt: this account from this address, and the address across
 * accounts (a larger budget against guessing many accounts). A right password clears both: many
 * people behind one office NAT mistyping now and then must not add up to a wait for all of them.
 */
export function signInKeys(username: string, ip: string, freeFailures: number): ThrottleKey[] {
  return [
    { key: `login:${username}@${ip}`, onSuccess: 'reset' },
    { key: `address:${ip}`, freeFailures: freeFailures * ADDRESS_FAILURE_FACTOR, onSuccess: 'reset' },
  ];
}

export interface SignInInput {
  /** Already trimmed and lower-cased. */
  username: string;
  password: string;
  /** The client's address (lib/auth/peer.ts). */
  ip: string;
}

export type SignInResult =
  | { ok: true; user: { id: string; username: string; role: string } }
  | { ok: false; code: 'invalid' | 'disabled' | 'throttled'; message: string };

export interface SignInDeps {
  db: PrismaClient;
  audit: AuditSink;
  loginThrottle: LoginThrottle;
  tunables: Pick<RuntimeTunables, 'LOGIN_MAX_FAILURES'>;
  /** Counts refused sign-ins (the runtime's registry). */
  metrics?: Pick<PortalMetrics, 'signInRefused'>;
  /** The password check (argon2); tests count the calls. */
  verifyPassword?: (hash: string, password: string) => Promise<boolean>;
}

// A real hash to verify against when the user does not exist, so timing does not reveal accounts.
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/** A username and password sign-in: throttle, password check, audit. next-auth's authorize calls it. */
export async function signInWithPassword(input: SignInInput, deps: SignInDeps): Promise<SignInResult> {
  const { username, password, ip } = input;
  const { db, audit, loginThrottle: t, tunables } = deps;
  const verify = deps.verifyPassword ?? verifyPassword;
  const keys = signInKeys(username, ip, tunables.LOGIN_MAX_FAILURES);
  // Counted before the password check, so parallel guesses cannot all pass a check made earlier.
  const verdict = await t.begin(keys);
  if (!verdict.allowed) {
    deps.metrics?.signInRefused('throttled');
    await audit({ action: 'login.throttled', target: username, ip });
    return { ok: false, code: 'throttled', message: LOGIN_ERRORS.throttled(verdict.retryAfterMs) };
  }
  const user = await db.user.findUnique({ where: { username } });
  const ok = await verify(user?.passwordHash ?? (await getDummyHash()), password);
  if (!user || !ok) {
    deps.metrics?.signInRefused('invalid');
    await audit({ userId: user?.id, action: 'login.failed', target: username, ip });
    return { ok: false, code: 'invalid', message: LOGIN_ERRORS.invalid };
  }
  await t.succeeded(keys);
  if (user.disabled) {
    deps.metrics?.signInRefused('disabled');
    await audit({ userId: user.id, action: 'login.disabled', target: username, ip });
    return { ok: false, code: 'disabled', message: LOGIN_ERRORS.disabled };
  }
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await audit({ userId: user.id, action: 'login', target: username, ip });
  return { ok: true, user: { id: user.id, username: user.username, role: user.role } };
}
