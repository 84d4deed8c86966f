'use server';

import { redirect } from 'next/navigation';
import { formDataArg, idArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { CONFIG_BACKUP_NAME } from '@/lib/automation/builtins';
import { runTemplate, visibleTemplatesWhere } from '@/lib/automation/templates';
import { authorise } from '@/lib/auth/session';
import { getRuntime } from '@/lib/server/registry';

export interface RunBackupState {
  error?: string;
}

/**
 * Run the built-in Configuration backup template on this one device, then follow the task. The
 * template service checks that the user may operate the device (and its other rules: active tasks).
 */
export async function runBackupAction(
  deviceId: string,
  _prev: RunBackupState,
  fd: FormData,
): Promise<RunBackupState> {
  if (!parseArgs([deviceId, _prev, fd], idArg, prevStateArg, formDataArg)) return { error: INVALID_REQUEST };
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { error: auth.error };
  const rt = getRuntime();
  const backup = await rt.db.taskTemplate.findFirst({
    where: { AND: [{ builtIn: true, name: CONFIG_BACKUP_NAME }, visibleTemplatesWhere(auth.user)] },
    select: { id: true },
  });
  if (!backup) return { error: 'No such template.' };
  const r = await runTemplate(auth.user, backup.id, { deviceIds: [deviceId], inputs: {} }, rt);
  if (!r.ok) return { error: Object.values(r.errors).filter(Boolean).join(' ') };
  redirect(`/tasks/${r.id}`);
}
