import 'server-only';
import { randomBytes } from 'node:crypto';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { getRuntime } from '../server/registry';
import { ADDRESS_FAILURE_FACTOR } from './throttle';
import { hashPassword, verifyPassword } from './password';
import { isRole } from './roles';
import { PEER_HEADER } from './peer';
import { SESSION_VERSION_CLAIM, sessionVersionOf } from './session-version';

/** Session lifetime; the role and the disabled flag are re-read from the database on every request. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

const credentialsSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(1024),
});

/** Messages the login form shows; next-auth passes a thrown Error's message through as `error`. */
export const LOGIN_ERRORS = {
  invalid: 'Wrong username or password.',
  disabled: 'This account is disabled. Ask an administrator.',
  throttled: (minutes: number) =>
    `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
} as const;

// A real hash to verify against when the user does not exist, so timing does not reveal accounts.
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

function peerOf(headers: unknown): string {
  const h = headers as Record<string, string | string[] | undefined> | undefined;
  const v = h?.[PEER_HEADER];
  return (Array.isArray(v) ? v[0] : v) ?? 'unknown';
}

export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: '/login' },
  providers: [
    CredentialsProvider({
      name: 'Switchboard',
      credentials: {
        username: { label: 'Username', type: 'text' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(raw, req) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new Error(LOGIN_ERRORS.invalid);
        const { username, password } = parsed.data;
        const ip = peerOf(req?.headers);
        const { db, audit, loginThrottle: t, tunables } = getRuntime();
        for (const verdict of [
          t.check(`account:${username}`),
          t.check(`address:${ip}`, tunables.LOGIN_MAX_FAILURES * ADDRESS_FAILURE_FACTOR),
        ]) {
          if (!verdict.allowed) {
            await audit({ action: 'login.throttled', target: username, ip });
            throw new Error(LOGIN_ERRORS.throttled(Math.max(1, Math.ceil(verdict.retryAfterMs / 60_000))));
          }
        }
        const user = await db.user.findUnique({ where: { username } });
        const ok = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), password);
        if (!user || !ok) {
          t.fail(`account:${username}`);
          t.fail(`address:${ip}`);
          await audit({ userId: user?.id, action: 'login.failed', target: username, ip });
          throw new Error(LOGIN_ERRORS.invalid);
        }
        if (user.disabled) {
          await audit({ userId: user.id, action: 'login.disabled', target: username, ip });
          throw new Error(LOGIN_ERRORS.disabled);
        }
        t.reset(`account:${username}`);
        await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
        await audit({ userId: user.id, action: 'login', target: username, ip });
        return { id: user.id, name: user.username, role: user.role };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        const role = (user as { role?: unknown }).role;
        if (isRole(role)) token.role = role;
        // The session is bound to the user's session version at sign-in: a later password reset,
        // disable, role change or "sign out everywhere" bumps it and this session stops working.
        const row = await getRuntime().db.user.findUnique({
          where: { id: user.id },
          select: { sessionVersion: true },
        });
        token[SESSION_VERSION_CLAIM] = row?.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user) {
        (session.user as { id?: string }).id = token.sub;
        (session.user as { sessionVersion?: number }).sessionVersion = sessionVersionOf(token);
      }
      return session;
    },
  },
};
