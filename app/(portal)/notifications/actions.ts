'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formDataArg, idArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { getCurrentUser } from '@/lib/auth/session';
import { getRuntime } from '@/lib/server/registry';

const MAX_MARK_READ = 1000;

// Arguments are checked before anything else (the shared, untranslated INVALID_REQUEST): a refused
// call never reaches the session, the database or the messages.

export async function markReadAction(ids: string[]): Promise<{ unread?: number; error?: string }> {
  const args = parseArgs([ids], z.array(idArg).max(MAX_MARK_READ));
  if (!args) return { error: INVALID_REQUEST };
  const user = await getCurrentUser();
  if (!user) return { error: (await getTranslations('notifications.errors'))('signIn') };
  const unread = await getRuntime().feed.markRead(user.id, args[0]);
  revalidatePath('/notifications');
  return { unread };
}

export async function markAllReadAction(): Promise<{ unread?: number; error?: string }> {
  const user = await getCurrentUser();
  if (!user) return { error: (await getTranslations('notifications.errors'))('signIn') };
  const unread = await getRuntime().feed.markAllRead(user.id);
  revalidatePath('/notifications');
  return { unread };
}

export async function savePreferencesAction(
  _prev: { ok?: string; error?: string },
  fd: FormData,
): Promise<{ ok?: string; error?: string }> {
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg)) return { error: INVALID_REQUEST };
  const user = await getCurrentUser();
  const t = await getTranslations('notifications');
  if (!user) return { error: t('errors.signIn') };
  await getRuntime().feed.setKinds(
    user.id,
    fd.getAll('kind').filter((x): x is string => typeof x === 'string'),
  );
  revalidatePath('/notifications');
  return { ok: t('prefs.saved') };
}
