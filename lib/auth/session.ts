import 'server-only';
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getRuntime } from '../server/registry';
import { authOptions } from './options';
import { can, isRole, type Permission, type Role } from './roles';

export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

/** Display preferences (the account page's Preferences): language, theme, the terminal's look. */
export interface UserPrefs {
  /** "" follows the browser's language */
  locale: string;
  theme: string;
  terminalTheme: string;
  terminalFontSize: number;
}

/**
 * The signed-in user, re-read from the database (a disabled user or changed role takes effect at once).
 * A session issued before the user's session version was bumped (password reset, disable, role change,
 * sign out everywhere) is no session.
 */
const loadSession = cache(async (): Promise<{ user: CurrentUser; prefs: UserPrefs } | null> => {
  const session = await getServerSession(authOptions);
  const claims = session?.user as { id?: string; sessionVersion?: number } | undefined;
  if (!claims?.id) return null;
  const user = await getRuntime().db.user.findUnique({ where: { id: claims.id } });
  if (!user || user.disabled || !isRole(user.role)) return null;
  if (user.sessionVersion !== (claims.sessionVersion ?? 0)) return null;
  return {
    user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role },
    prefs: {
      locale: user.locale,
      theme: user.theme,
      terminalTheme: user.terminalTheme,
      terminalFontSize: user.terminalFontSize,
    },
  };
});

export const getCurrentUser = cache(
  async (): Promise<CurrentUser | null> => (await loadSession())?.user ?? null,
);

/** The signed-in user's display preferences; null when nobody is signed in. */
export const getCurrentPrefs = cache(
  async (): Promise<UserPrefs | null> => (await loadSession())?.prefs ?? null,
);

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/login');
  return user;
}

/** For Server Actions: a value, not a throw, so the form can show the reason. */
export type Authorised = { ok: true; user: CurrentUser } | { ok: false; error: string };

export async function authorise(permission: Permission): Promise<Authorised> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'Your session has ended. Sign in again.' };
  if (!can(user.role, permission)) return { ok: false, error: 'Your role does not allow this.' };
  return { ok: true, user };
}
