import 'server-only';
import { randomBytes } from 'node:crypto';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';
import type { RuntimeTunables } from '../server/runtime';
import { hashPassword, verifyPassword } from './password';
import { ADDRESS_FAILURE_FACTOR, type LoginThrottle } from './throttle';

/** Messages the login form shows; next-auth passes a thrown Error's message through as `error`. */
export const LOGIN_ERRORS = {
  invalid: 'Wrong username or password.',
  disabled: 'This account is disabled. Ask an administrator.',
  throttled: (minutes: number) =>
    `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
} as const;

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
  for (const verdict of [
    t.check(`account:${username}`),
    t.check(`address:${ip}`, tunables.LOGIN_MAX_FAILURES * ADDRESS_FAILURE_FACTOR),
  ]) {
    if (!verdict.allowed) {
      await audit({ action: 'login.throttled', target: username, ip });
      const minutes = Math.max(1, Math.ceil(verdict.retryAfterMs / 60_000));
      return { ok: false, code: 'throttled', message: LOGIN_ERRORS.throttled(minutes) };
    }
  }
  const user = await db.user.findUnique({ where: { username } });
  const ok = await verify(user?.passwordHash ?? (await getDummyHash()), password);
  if (!user || !ok) {
    t.fail(`account:${username}`);
    t.fail(`address:${ip}`);
    await audit({ userId: user?.id, action: 'login.failed', target: username, ip });
    return { ok: false, code: 'invalid', message: LOGIN_ERRORS.invalid };
  }
  if (user.disabled) {
    await audit({ userId: user.id, action: 'login.disabled', target: username, ip });
    return { ok: false, code: 'disabled', message: LOGIN_ERRORS.disabled };
  }
  t.reset(`account:${username}`);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await audit({ userId: user.id, action: 'login', target: username, ip });
  return { ok: true, user: { id: user.id, username: user.username, role: user.role } };
}
