'use server';

import { revalidatePath } from 'next/cache';
import { formDataArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { setOutputSettings } from '@/lib/automation/settings';
import { getRuntime } from '@/lib/server/registry';
import { authoriseAdmin } from '../webhooks/_lib/authorise';
import { localiseErrors, localiseWebhookError, webhooksTranslator } from '../webhooks/_lib/translate';

export interface OutputSettingsFormState {
  /** retentionDays, keepRawOutput, or `form`. */
  errors?: Record<string, string>;
  values?: { retentionDays: string; keepRawOutput: boolean };
  ok?: string;
  saved?: number;
}

/** Save the stored-output settings (admins): retention in days and whether raw output is kept. */
export async function saveOutputSettingsAction(
  _prev: OutputSettingsFormState,
  fd: FormData,
): Promise<OutputSettingsFormState> {
  const t = await webhooksTranslator();
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg))
    return { errors: { form: localiseWebhookError(t, INVALID_REQUEST) } };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { errors: { form: localiseWebhookError(t, auth.error) } };
  const values = {
    retentionDays: String(fd.get('retentionDays') ?? '').trim(),
    keepRawOutput: fd.get('keepRawOutput') === 'on',
  };
  // a whole number as typed ("30"); anything else is refused by the schema's message
  const days = /^\d{1,6}$/.test(values.retentionDays) ? Number(values.retentionDays) : Number.NaN;
  const r = await setOutputSettings(getRuntime(), auth.user, {
    retentionDays: days,
    keepRawOutput: values.keepRawOutput,
  });
  if (!r.ok) return { errors: localiseErrors(t, r.errors), values };
  revalidatePath('/admin/settings');
  return { ok: t('settings.saved'), saved: Date.now() };
}
