'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { formDataArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
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
  redirect('/login');
}
