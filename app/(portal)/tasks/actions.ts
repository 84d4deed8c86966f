'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { formDataArg, idArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { authorise } from '@/lib/auth/session';
import { withGuardText } from '@/lib/policy/guard-text';
import type { Vendor } from '@/lib/devices/schema';
import type { TaskFieldErrors } from '@/lib/tasks/schema';
import { cancelTask, createTask, retryFailed, runAgain } from '@/lib/tasks/service';
import { getRuntime } from '@/lib/server/registry';
import { localiseTaskError, localiseTaskErrors, type TranslateTaskError } from './task-errors';

/** The service answers in English (the REST API shares it); the form shows the reader's language. */
async function translator(): Promise<TranslateTaskError> {
  const t = await getTranslations('tasks.errors');
  return (key, values) => t(key, values);
}

/** What was submitted, sent back with the errors so the form shows it again instead of blanks. */
export interface NewTaskValues {
  name: string;
  commands: string;
  failurePatterns: string;
  expectOutput: string;
  deviceIds: string[];
  concurrency: string;
  timeoutSeconds: string;
  /** What the user typed to confirm guarded commands (asked for after a first try). */
  confirmGuarded: string;
}

export interface NewTaskState {
  errors?: TaskFieldErrors;
  values?: NewTaskValues;
  /** An error in one vendor's list, shown under its textarea (instead of `errors.vendorCommands`). */
  vendorErrors?: Partial<Record<Vendor, string>>;
}

// Arguments are checked before anything else runs (a forged call gets INVALID_REQUEST and nothing more).

export async function createTaskAction(_prev: NewTaskState, fd: FormData): Promise<NewTaskState> {
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg)) return { errors: { form: INVALID_REQUEST } };
  const t = await translator();
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { errors: { form: localiseTaskError(auth.error, t) } };
  const values: NewTaskValues = {
    name: String(fd.get('name') ?? ''),
    commands: String(fd.get('commands') ?? ''),
    failurePatterns: String(fd.get('failurePatterns') ?? ''),
    expectOutput: String(fd.get('expectOutput') ?? ''),
    deviceIds: fd.getAll('deviceIds').filter((x): x is string => typeof x === 'string'),
    concurrency: String(fd.get('concurrency') ?? ''),
    timeoutSeconds: String(fd.get('timeoutSeconds') ?? ''),
    confirmGuarded: String(fd.get('confirmGuarded') ?? ''),
  };
  // The per-command options and per-vendor editors keep their own state (it survives an error), so
  // their JSON is validated but not sent back.
  const commandOptions = String(fd.get('commandOptions') ?? '');
  const vendorCommands = String(fd.get('vendorCommands') ?? '');
  const result = await createTask(auth.user, { ...values, commandOptions, vendorCommands }, getRuntime());
  if (!result.ok) {
    const errors = withGuardText(result.errors, result.guard, await getLocale());
    if (!result.vendorErrors) return { errors: localiseTaskErrors(errors, t), values };
    // a per-vendor list's error goes under that list, not under the form's vendorCommands field
    const { vendorCommands: _named, ...others } = errors;
    return {
      errors: localiseTaskErrors(others, t),
      values,
      vendorErrors: localiseTaskErrors(result.vendorErrors, t),
    };
  }
  revalidatePath('/tasks');
  redirect(`/tasks/${result.id}`);
}

export async function cancelTaskAction(taskId: string): Promise<{ error?: string }> {
  if (!parseArgs([taskId], idArg)) return { error: INVALID_REQUEST };
  const t = await translator();
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { error: localiseTaskError(auth.error, t) };
  const r = await cancelTask(auth.user, taskId, getRuntime());
  return r.ok ? {} : { error: localiseTaskError(r.error, t) };
}

export async function retryFailedAction(taskId: string): Promise<{ error?: string }> {
  if (!parseArgs([taskId], idArg)) return { error: INVALID_REQUEST };
  const t = await translator();
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { error: localiseTaskError(auth.error, t) };
  const r = await retryFailed(auth.user, taskId, getRuntime());
  return r.ok ? {} : { error: localiseTaskError(r.error, t) };
}

/** Run the task again as a new one (same commands, template version, inputs, devices still available). */
export async function runAgainAction(taskId: string): Promise<{ error?: string }> {
  if (!parseArgs([taskId], idArg)) return { error: INVALID_REQUEST };
  const t = await translator();
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { error: localiseTaskError(auth.error, t) };
  const r = await runAgain(auth.user, taskId, getRuntime());
  if (!r.ok) {
    const errors = withGuardText(r.errors, 'guard' in r ? r.guard : undefined, await getLocale());
    return { error: localiseTaskError(Object.values(errors).filter(Boolean).join(' '), t) };
  }
  revalidatePath('/tasks');
  redirect(`/tasks/${r.id}`);
}
