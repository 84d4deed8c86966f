'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { formDataArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { getTranslations } from 'next-intl/server';
import {
  CHANGE_PASSWORD_ERRORS,
  changeOwnPassword,
  type ChangePasswordField,
} from '@/lib/auth/change-password';
import { PASSWORD_MIN_LENGTH } from '@/lib/auth/password-policy';
import { PEER_HEADER } from '@/lib/auth/peer';
import { authorise } from '@/lib/auth/session';
import { signOutEverywhere } from '@/lib/auth/users';
import { getRuntime } from '@/lib/server/registry';

export type SignOutEverywhereState = { error?: string };

/** next-auth's session cookie, plain or __Secure- (https), possibly split into chunks (.0, .1, …). */
const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/**
 * End every session of the signed-in user (the version bump makes every browser's cookie worthless
 * and closes their sockets and terminals), then sign this browser out too.
 */
export async function signOutEverywhereAction(
  _prev: SignOutEverywhereState,
  fd: FormData,
): Promise<SignOutEverywhereState> {
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg)) return { error: INVALID_REQUEST };
  const auth = await authorise('devices:view');
  if (!auth.ok) return { error: auth.error };
  const r = await signOutEverywhere(auth.user, auth.user.id, getRuntime());
  if (!r.ok) return { error: r.error };
  await clearSessionCookies();
  redirect('/login');
}

async function clearSessionCookies() {
  const jar = await cookies();
  for (const { name } of jar.getAll()) {
    if (!SESSION_COOKIE.test(name)) continue;
    jar.set(name, '', {
      maxAge: 0,
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: name.startsWith('__Secure-'),
    });
  }
}

export type ChangePasswordState = { errors?: Partial<Record<ChangePasswordField, string>> };

/**
 * Change one's own password. Like an admin's reset it ends every session of the user, this one
 * too: the browser is sent to /login with a message saying why (re-issuing this browser's
 * next-auth cookie from a Server Action is not something next-auth v4 offers).
 */
export async function changePasswordAction(
  _prev: ChangePasswordState,
  fd: FormData,
): Promise<ChangePasswordState> {
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg)) return { errors: { form: INVALID_REQUEST } };
  const auth = await authorise('devices:view');
  if (!auth.ok) return { errors: { form: auth.error } };
  const ip = (await headers()).get(PEER_HEADER) ?? 'unknown';
  const r = await changeOwnPassword(
    auth.user,
    {
      currentPassword: fd.get('currentPassword'),
      newPassword: fd.get('newPassword'),
      confirmPassword: fd.get('confirmPassword'),
    },
    ip,
    getRuntime(),
  );
  if (!r.ok) return { errors: await translated(r.errors) };
  await clearSessionCookies();
  redirect('/login?passwordChanged=1');
}

/** The password checks speak English (the REST API shares them); the form speaks the user's language. */
async function translated(
  errors: ChangePasswordState['errors'] = {},
): Promise<ChangePasswordState['errors']> {
  const t = await getTranslations('account.password.errors');
  const known = new Map<string, string>([
    [CHANGE_PASSWORD_ERRORS.wrongCurrent, t('wrongCurrent')],
    [CHANGE_PASSWORD_ERRORS.mismatch, t('mismatch')],
    [CHANGE_PASSWORD_ERRORS.same, t('same')],
    ['Enter your current password.', t('enterCurrent')],
    [`At least ${PASSWORD_MIN_LENGTH} characters.`, t('tooShort', { min: PASSWORD_MIN_LENGTH })],
    ['At most 256 characters.', t('tooLong', { max: 256 })],
  ]);
  const out: ChangePasswordState['errors'] = {};
  for (const [field, message] of Object.entries(errors) as [ChangePasswordField, string][]) {
    out[field] = known.get(message) ?? message;
  }
  return out;
}
