'use server';

import { revalidatePath } from 'next/cache';
import { formDataArg, idArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { authorise } from '@/lib/auth/session';
import { createApiToken, revokeApiToken } from '@/lib/auth/tokens';
import { getRuntime } from '@/lib/server/registry';

export interface CreateTokenState {
  errors?: Partial<Record<'name' | 'scope' | 'expires' | 'form', string>>;
  /** The new token, shown once. */
  created?: { token: string; name: string };
}

export async function createTokenAction(_prev: CreateTokenState, fd: FormData): Promise<CreateTokenState> {
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg)) return { errors: { form: INVALID_REQUEST } };
  const auth = await authorise('devices:view');
  if (!auth.ok) return { errors: { form: auth.error } };
  const r = await createApiToken(
    auth.user,
    {
      name: String(fd.get('name') ?? ''),
      scope: String(fd.get('scope') ?? ''),
      expires: String(fd.get('expires') ?? ''),
    },
    getRuntime(),
  );
  if (!r.ok) return { errors: r.errors };
  revalidatePath('/account');
  return { created: { token: r.token, name: r.view.name } };
}

export async function revokeTokenAction(tokenId: string): Promise<{ error?: string }> {
  const args = parseArgs([tokenId], idArg);
  if (!args) return { error: INVALID_REQUEST };
  const auth = await authorise('devices:view');
  if (!auth.ok) return { error: auth.error };
  const r = await revokeApiToken(auth.user, args[0], getRuntime());
  revalidatePath('/account');
  return r.ok ? {} : { error: r.error };
}
