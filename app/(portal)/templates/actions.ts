'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getLocale } from 'next-intl/server';
import { z } from 'zod';
import { boolArg, formDataArg, idArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { createSchedule, deleteSchedule } from '@/lib/automation/scheduler';
import type { SearchHit } from '@/lib/automation/search';
import { setSubscription } from '@/lib/automation/subscriptions';
import { searchTemplateFor } from '@/lib/automation/template-search';
import {
  createTemplate,
  deleteTemplate,
  previewTemplate,
  runTemplate,
  updateTemplate,
  type PreviewRow,
  type TemplateErrors,
} from '@/lib/automation/templates';
import { authorise } from '@/lib/auth/session';
import { withGuardText } from '@/lib/policy/guard-text';
import { getRuntime } from '@/lib/server/registry';

export type TemplateFormState = { errors?: TemplateErrors; savedVersion?: number };

const FIELDS = [
  'name',
  'description',
  'teamId',
  'commands',
  'vendorCommands',
  'concurrency',
  'timeoutSeconds',
  'inputs',
  'ignorePatterns',
  'failurePatterns',
  'expectOutput',
] as const;

function fieldsOf(fd: FormData): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const k of FIELDS) {
    const v = fd.get(k);
    if (typeof v === 'string') raw[k] = v;
  }
  return raw;
}

export async function createTemplateAction(
  _prev: TemplateFormState,
  fd: FormData,
): Promise<TemplateFormState> {
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg)) return { errors: { form: INVALID_REQUEST } };
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { errors: { form: auth.error } };
  const r = await createTemplate(auth.user, fieldsOf(fd), getRuntime());
  if (!r.ok) return { errors: r.errors };
  revalidatePath('/templates');
  redirect(`/templates/${r.id}`);
}

export async function updateTemplateAction(
  id: string,
  _prev: TemplateFormState,
  fd: FormData,
): Promise<TemplateFormState> {
  if (!parseArgs([id, _prev, fd], idArg, prevStateArg, formDataArg))
    return { errors: { form: INVALID_REQUEST } };
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { errors: { form: auth.error } };
  const r = await updateTemplate(auth.user, id, fieldsOf(fd), getRuntime());
  if (!r.ok) return { errors: r.errors };
  revalidatePath(`/templates/${id}`);
  redirect(`/templates/${id}`);
}

export async function deleteTemplateAction(id: string): Promise<{ error?: string }> {
  if (!parseArgs([id], idArg)) return { error: INVALID_REQUEST };
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { error: auth.error };
  const r = await deleteTemplate(auth.user, id, getRuntime());
  if (!r.ok) return { error: r.error };
  revalidatePath('/templates');
  redirect('/templates');
}

const runArg = z
  .object({
    deviceIds: z.array(z.string().min(1).max(64)).max(1000),
    inputs: z.record(z.string().max(64), z.string().max(200)),
    /** Confirms guarded commands (asked for after a first try: `confirm` in the answer). */
    confirm: z.string().max(200).optional(),
  })
  .strict();

export type PreviewState =
  { ok: true; rows: PreviewRow[] } | { ok: false; error?: string; inputErrors?: Record<string, string> };

export async function previewTemplateAction(id: string, req: z.input<typeof runArg>): Promise<PreviewState> {
  const args = parseArgs([id, req], idArg, runArg);
  if (!args) return { ok: false, error: INVALID_REQUEST };
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { ok: false, error: auth.error };
  const r = await previewTemplate(auth.user, args[0], args[1], getRuntime());
  if (!r.ok)
    return {
      ok: false,
      error: Object.values(r.errors).filter(Boolean).join(' '),
      inputErrors: r.inputErrors,
    };
  return { ok: true, rows: r.rows };
}

export async function runTemplateAction(
  id: string,
  req: z.input<typeof runArg>,
): Promise<{ error?: string; inputErrors?: Record<string, string>; confirm?: boolean }> {
  const args = parseArgs([id, req], idArg, runArg);
  if (!args) return { error: INVALID_REQUEST };
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { error: auth.error };
  const r = await runTemplate(auth.user, args[0], args[1], getRuntime());
  if (!r.ok) {
    const inputErrors = 'inputErrors' in r ? r.inputErrors : undefined;
    // guard-rail rules ask to confirm some commands: the panel shows a field for it
    const confirm = 'confirmGuarded' in r.errors && !!r.errors.confirmGuarded;
    const errors = withGuardText(r.errors, 'guard' in r ? r.guard : undefined, await getLocale());
    return { error: Object.values(errors).filter(Boolean).join(' '), inputErrors, confirm };
  }
  redirect(`/tasks/${r.id}`);
}

const scheduleArg = z
  .object({
    cron: z.string().max(200),
    timeZone: z.string().max(64),
    missedPolicy: z.string().max(16),
    deviceIds: z.array(z.string().min(1).max(64)).max(1000),
    groupIds: z.array(idArg).max(100).default([]),
    inputs: z.record(z.string().max(64), z.string().max(200)),
    confirm: z.string().max(200).optional(),
  })
  .strict();

export async function createScheduleAction(
  templateId: string,
  req: z.input<typeof scheduleArg>,
): Promise<{ error?: string; field?: string }> {
  const args = parseArgs([templateId, req], idArg, scheduleArg);
  if (!args) return { error: INVALID_REQUEST };
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { error: auth.error };
  const v = args[1];
  const r = await createSchedule(
    auth.user,
    {
      templateId: args[0],
      cron: v.cron,
      timeZone: v.timeZone,
      missedPolicy: v.missedPolicy,
      targets: { deviceIds: v.deviceIds, groupIds: v.groupIds },
      inputs: v.inputs,
      ...(v.confirm !== undefined && { confirm: v.confirm }),
    },
    getRuntime(),
  );
  if (!r.ok) {
    const errors = withGuardText(r.errors, r.guard, await getLocale());
    const [field, error] = Object.entries(errors)[0] ?? ['form', 'Invalid schedule.'];
    return { error, field };
  }
  revalidatePath(`/templates/${args[0]}`);
  return {};
}

export async function deleteScheduleAction(templateId: string, id: string): Promise<{ error?: string }> {
  const args = parseArgs([templateId, id], idArg, idArg);
  if (!args) return { error: INVALID_REQUEST };
  const auth = await authorise('tasks:run');
  if (!auth.ok) return { error: auth.error };
  const r = await deleteSchedule(auth.user, args[1], getRuntime());
  revalidatePath(`/templates/${args[0]}`);
  return r.ok ? {} : { error: r.error };
}

/** Follow a template (told when a run finds changed output) or stop; anyone who sees it may. */
export async function followTemplateAction(
  id: string,
  follow: boolean,
): Promise<{ error?: string; following?: boolean }> {
  const args = parseArgs([id, follow], idArg, boolArg);
  if (!args) return { error: INVALID_REQUEST };
  const auth = await authorise('devices:view');
  if (!auth.ok) return { error: auth.error };
  const r = await setSubscription(auth.user, args[0], args[1], getRuntime());
  if (!r.ok) return { error: 'No such template.' };
  revalidatePath(`/templates/${args[0]}`);
  return { following: r.subscribed };
}

export type TemplateSearchState =
  { ok: true; hits: SearchHit[]; searched: number } | { ok: false; error: string } | null;

/** Devices (that you see) whose latest output of this template matches a text or a /pattern/. */
export async function searchTemplateAction(id: string, q: string): Promise<TemplateSearchState> {
  const args = parseArgs([id, q], idArg, z.string().max(502));
  if (!args) return { ok: false, error: INVALID_REQUEST };
  const auth = await authorise('devices:view');
  if (!auth.ok) return { ok: false, error: auth.error };
  const r = await searchTemplateFor(auth.user, args[0], args[1], getRuntime().db);
  return r.ok ? { ok: true, hits: r.hits, searched: r.searched } : { ok: false, error: r.error };
}
