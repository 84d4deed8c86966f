'use server';

import { revalidatePath } from 'next/cache';
import { boolArg, formDataArg, idArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { createWebhook, deleteWebhook, queueTestDelivery, updateWebhook } from '@/lib/automation/webhooks';
import { getRuntime } from '@/lib/server/registry';
import { authoriseAdmin } from './_lib/authorise';
import { localiseErrors, localiseWebhookError, webhooksTranslator } from './_lib/translate';

export interface WebhookFormValues {
  url: string;
  description: string;
  events: string[];
  allowLocal: boolean;
}

export interface WebhookFormState {
  /** Per field (url, description, events, allowLocal) and `form` for the whole form. */
  errors?: Record<string, string>;
  values?: WebhookFormValues;
  /** Just created: the signing secret, shown this once. */
  created?: { id: string; url: string; secret: string };
  ok?: string;
  /** Bumped on every success, so a form can clear or close itself once per save. */
  saved?: number;
}

export type WebhookState = { ok?: string; error?: string };

function formValues(fd: FormData): WebhookFormValues {
  return {
    url: String(fd.get('url') ?? ''),
    description: String(fd.get('description') ?? ''),
    events: fd.getAll('events').map(String),
    allowLocal: fd.get('allowLocal') === 'on',
  };
}

export async function createWebhookAction(_prev: WebhookFormState, fd: FormData): Promise<WebhookFormState> {
  const t = await webhooksTranslator();
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg))
    return { errors: { form: localiseWebhookError(t, INVALID_REQUEST) } };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { errors: { form: localiseWebhookError(t, auth.error) } };
  const values = formValues(fd);
  const r = await createWebhook(auth.user, values, getRuntime());
  if (!r.ok) return { errors: localiseErrors(t, r.errors), values };
  revalidatePath('/admin/webhooks');
  const row = await getRuntime().db.webhook.findUniqueOrThrow({ where: { id: r.id }, select: { url: true } });
  return { created: { id: r.id, url: row.url, secret: r.secret }, saved: Date.now() };
}

export async function updateWebhookAction(
  webhookId: string,
  _prev: WebhookFormState,
  fd: FormData,
): Promise<WebhookFormState> {
  const t = await webhooksTranslator();
  if (!parseArgs([webhookId, _prev, fd], idArg, prevStateArg, formDataArg))
    return { errors: { form: localiseWebhookError(t, INVALID_REQUEST) } };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { errors: { form: localiseWebhookError(t, auth.error) } };
  const values = formValues(fd);
  const r = await updateWebhook(auth.user, webhookId, values, getRuntime());
  if (!r.ok) return { errors: localiseErrors(t, r.errors), values };
  revalidatePath('/admin/webhooks');
  revalidatePath(`/admin/webhooks/${webhookId}`);
  return { ok: t('form.saved'), saved: Date.now() };
}

export async function setWebhookEnabledAction(webhookId: string, enabled: boolean): Promise<WebhookState> {
  const t = await webhooksTranslator();
  if (!parseArgs([webhookId, enabled], idArg, boolArg))
    return { error: localiseWebhookError(t, INVALID_REQUEST) };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { error: localiseWebhookError(t, auth.error) };
  const r = await updateWebhook(auth.user, webhookId, { enabled }, getRuntime());
  if (!r.ok) return { error: localiseWebhookError(t, Object.values(r.errors)[0] ?? INVALID_REQUEST) };
  revalidatePath('/admin/webhooks');
  revalidatePath(`/admin/webhooks/${webhookId}`);
  return { ok: enabled ? t('detail.enabledNow') : t('detail.disabledNow') };
}

export async function deleteWebhookAction(webhookId: string): Promise<WebhookState> {
  const t = await webhooksTranslator();
  if (!parseArgs([webhookId], idArg)) return { error: localiseWebhookError(t, INVALID_REQUEST) };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { error: localiseWebhookError(t, auth.error) };
  const r = await deleteWebhook(auth.user, webhookId, getRuntime());
  revalidatePath('/admin/webhooks');
  return r.ok ? { ok: 'deleted' } : { error: localiseWebhookError(t, r.error) };
}

/** Queue a signed test ping; the page then follows its delivery with deliveryStatusAction. */
export async function sendTestAction(webhookId: string): Promise<{ deliveryId?: string; error?: string }> {
  const t = await webhooksTranslator();
  if (!parseArgs([webhookId], idArg)) return { error: localiseWebhookError(t, INVALID_REQUEST) };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { error: localiseWebhookError(t, auth.error) };
  const runtime = getRuntime();
  const r = await queueTestDelivery(auth.user, webhookId, runtime.db);
  if (!r.ok) return { error: localiseWebhookError(t, r.error) };
  await runtime.audit({ userId: auth.user.id, action: 'webhook.test', target: webhookId });
  revalidatePath(`/admin/webhooks/${webhookId}`);
  return { deliveryId: r.deliveryId };
}

export interface DeliveryStatusView {
  status: string;
  attempts: number;
  responseCode: number | null;
  error: string | null;
  durationMs: number | null;
}

/** Where one delivery of this webhook stands (the Send test result). */
export async function deliveryStatusAction(
  webhookId: string,
  deliveryId: string,
): Promise<{ delivery?: DeliveryStatusView; error?: string }> {
  const t = await webhooksTranslator();
  if (!parseArgs([webhookId, deliveryId], idArg, idArg))
    return { error: localiseWebhookError(t, INVALID_REQUEST) };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { error: localiseWebhookError(t, auth.error) };
  const d = await getRuntime().db.webhookDelivery.findFirst({
    where: { id: deliveryId, webhookId },
    select: { status: true, attempts: true, responseCode: true, error: true, durationMs: true },
  });
  if (!d) return { error: t('errors.noSuchWebhook') };
  return { delivery: d };
}
