'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { idArg, parseArgs, INVALID_REQUEST } from '@/lib/actions/args';
import { getCurrentUser } from '@/lib/auth/session';
import { decideApproval } from '@/lib/policy/approvals';
import { getRuntime } from '@/lib/server/registry';

const reasonArg = z.string().max(500);

/**
 * Approve or reject a command the guard rails hold (lib/policy/approvals.ts). Who may decide is
 * checked there against the current database: admins, and `approve` teams' members who see the
 * device, never the person who asked.
 */
export async function decideApprovalAction(
  id: string,
  approve: boolean,
  reason: string,
): Promise<{ ok?: true; error?: string }> {
  if (!parseArgs([id, approve, reason], idArg, z.boolean(), reasonArg)) return { error: INVALID_REQUEST };
  const user = await getCurrentUser();
  if (!user) return { error: 'Your session has ended. Sign in again.' };
  const r = await decideApproval(getRuntime(), user, id, approve, reason);
  revalidatePath('/approvals');
  return r.ok ? { ok: true } : { error: r.error };
}
