'use server';

import { revalidatePath } from 'next/cache';
import { getCurrentUser } from '@/lib/auth/session';
import { getRuntime } from '@/lib/server/registry';

export async function markReadAction(ids: string[]): Promise<{ unread?: number; error?: string }> {
  const user = await getCurrentUser();
  if (!user) return { error: 'Sign in first.' };
  const unread = await getRuntime().feed.markRead(
    user.id,
    ids.filter((x) => typeof x === 'string').slice(0, 1000),
  );
  revalidatePath('/notifications');
  return { unread };
}

export async function markAllReadAction(): Promise<{ unread?: number; error?: string }> {
  const user = await getCurrentUser();
  if (!user) return { error: 'Sign in first.' };
  const unread = await getRuntime().feed.markAllRead(user.id);
  revalidatePath('/notifications');
  return { unread };
}

export async function savePreferencesAction(
  _prev: { ok?: string; error?: string },
  fd: FormData,
): Promise<{ ok?: string; error?: string }> {
  const user = await getCurrentUser();
  if (!user) return { error: 'Sign in first.' };
  await getRuntime().feed.setKinds(
    user.id,
    fd.getAll('kind').filter((x): x is string => typeof x === 'string'),
  );
  revalidatePath('/notifications');
  return { ok: 'Preferences saved.' };
}
