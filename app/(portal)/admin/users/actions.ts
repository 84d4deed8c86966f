'use server';

import { revalidatePath } from 'next/cache';
import {
  boolArg,
  formDataArg,
  idArg,
  INVALID_REQUEST,
  parseArgs,
  prevStateArg,
  roleArg,
} from '@/lib/actions/args';
import { authorise } from '@/lib/auth/session';
import type { UserFieldErrors } from '@/lib/auth/schema';
import { setUserGrants } from '@/lib/auth/grants';
import { createUser, resetPassword, setDisabled, setRole, signOutEverywhere } from '@/lib/auth/users';
import { getRuntime } from '@/lib/server/registry';
import { grantSetArg, savedMessage } from '../groups/_components/grant-args';
import { adminTranslator, localiseError } from '../_lib/translate';
import type { GrantSetInput } from '../groups/_components/grants-editor';

export interface CreateUserState {
  errors?: UserFieldErrors;
  values?: { username?: string; displayName?: string; role?: string };
  created?: string;
}

export async function createUserAction(_prev: CreateUserState, fd: FormData): Promise<CreateUserState> {
  const t = await adminTranslator();
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg))
    return { errors: { form: localiseError(t, INVALID_REQUEST) } };
  const auth = await authorise('users:manage');
  if (!auth.ok) return { errors: { form: localiseError(t, auth.error) } };
  const raw = {
    username: String(fd.get('username') ?? ''),
    displayName: String(fd.get('displayName') ?? ''),
    role: String(fd.get('role') ?? ''),
    password: String(fd.get('password') ?? ''),
  };
  const result = await createUser(auth.user, raw, getRuntime());
  if (!result.ok)
    return {
      errors: Object.fromEntries(
        Object.entries(result.errors).map(([k, v]) => [k, typeof v === 'string' ? localiseError(t, v) : v]),
      ) as UserFieldErrors,
      values: { username: raw.username, displayName: raw.displayName, role: raw.role },
    };
  revalidatePath('/admin/users');
  return { created: raw.username.trim().toLowerCase() };
}

export type SimpleState = { error?: string; ok?: string };

export async function setRoleAction(userId: string, role: string): Promise<SimpleState> {
  const t = await adminTranslator();
  if (!parseArgs([userId, role], idArg, roleArg)) return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('users:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await setRole(auth.user, userId, role, getRuntime());
  revalidatePath('/admin/users');
  return r.ok ? { ok: t('users.done.roleChanged') } : { error: localiseError(t, r.error) };
}

export async function setDisabledAction(userId: string, disabled: boolean): Promise<SimpleState> {
  const t = await adminTranslator();
  if (!parseArgs([userId, disabled], idArg, boolArg)) return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('users:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await setDisabled(auth.user, userId, disabled, getRuntime());
  revalidatePath('/admin/users');
  return r.ok
    ? { ok: t(disabled ? 'users.done.disabled' : 'users.done.enabled') }
    : { error: localiseError(t, r.error) };
}

export async function resetPasswordAction(
  userId: string,
  _prev: SimpleState,
  fd: FormData,
): Promise<SimpleState> {
  const t = await adminTranslator();
  if (!parseArgs([userId, _prev, fd], idArg, prevStateArg, formDataArg))
    return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('users:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await resetPassword(auth.user, userId, String(fd.get('password') ?? ''), getRuntime());
  return r.ok ? { ok: t('users.done.passwordReset') } : { error: localiseError(t, r.error) };
}

/** Replace a user's own grants (groups and devices, each with a level) with exactly this set. */
export async function setGrantsAction(userId: string, grants: GrantSetInput): Promise<SimpleState> {
  const t = await adminTranslator();
  if (!parseArgs([userId, grants], idArg, grantSetArg)) return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await setUserGrants(auth.user, userId, grants, getRuntime());
  revalidatePath(`/admin/users/${userId}`);
  revalidatePath('/admin/users');
  return r.ok ? { ok: savedMessage(t, r.grants) } : { error: localiseError(t, r.error) };
}

/** End every session of a user: their browsers go to the sign-in page, their sockets and terminals close. */
export async function signOutUserEverywhereAction(userId: string): Promise<SimpleState> {
  const t = await adminTranslator();
  if (!parseArgs([userId], idArg)) return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('users:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await signOutEverywhere(auth.user, userId, getRuntime());
  revalidatePath(`/admin/users/${userId}`);
  return r.ok ? { ok: t('users.done.signedOut') } : { error: localiseError(t, r.error) };
}
