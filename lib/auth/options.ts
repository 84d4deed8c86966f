import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { getRuntime } from '../server/registry';
import { isRole } from './roles';
import { PEER_HEADER } from './peer';
import { sameOriginRedirect } from './redirect';
import { LOGIN_ERRORS, signInWithPassword } from './sign-in';
import { SESSION_VERSION_CLAIM, sessionVersionOf } from './session-version';

/** Session lifetime; the role and the disabled flag are re-read from the database on every request. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

const credentialsSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(1024),
});

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
        const runtime = getRuntime();
        const result = await signInWithPassword({ ...parsed.data, ip: peerOf(req?.headers) }, runtime).catch(
          (err: unknown) => {
            // not a refusal: the database or the throttle failed; the form shows the message, the log the rest
            runtime.log.error({ err, username: parsed.data.username }, 'sign-in failed');
            throw err;
          },
        );
        if (!result.ok) throw new Error(result.message);
        return { id: result.user.id, name: result.user.username, role: result.user.role };
      },
    }),
  ],
  callbacks: {
    redirect({ url, baseUrl }) {
      return sameOriginRedirect(url, baseUrl);
    },
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
