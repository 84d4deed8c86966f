import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/generated/client';
import type { Vault } from '../devices/vault';
import type { EventBus } from '../events/types';

/**
 * Webhooks: admin-configured URLs told about task outcomes and configuration changes. An event is
 * stored as one delivery row per webhook first (nothing is lost if the portal stops), then sent by the
 * dispatcher with a JSON body signed with HMAC-SHA256, retried with growing back-off, and logged with
 * the response code. Sending never blocks a task: it runs on its own timer with a timeout per attempt.
 * URLs that resolve to loopback or link-local addresses (this machine, cloud metadata endpoints) are
 * refused, at creation and again at every attempt, unless an admin allowed it for that webhook.
 */

export const WEBHOOK_EVENTS = ['task.finished', 'task.failed', 'config.changed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | 'ping';
export const WEBHOOK_TIMEOUT_MS = 5_000;
/** Seconds between attempts: 7 attempts over about 1.5 hours, then the delivery is marked failed. */
export const WEBHOOK_BACKOFF_S = [10, 30, 120, 600, 1800, 3600];
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_BACKOFF_S.length + 1;
export const WEBHOOK_DISPATCH_MS = 2_000;
export const SIGNATURE_HEADER = 'X-Switchboard-Signature';

const SECRET_CONTEXT = (id: string) => `webhook:${id}:secret`;

const local = new BlockList();
local.addSubnet('127.0.0.0', 8, 'ipv4');
local.addSubnet('169.254.0.0', 16, 'ipv4');
local.addSubnet('0.0.0.0', 8, 'ipv4');
local.addSubnet('224.0.0.0', 4, 'ipv4');
local.addAddress('::1', 'ipv6');
local.addAddress('::', 'ipv6');
local.addSubnet('fe80::', 10, 'ipv6');
local.addSubnet('ff00::', 8, 'ipv6');
local.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
local.addSubnet('::ffff:169.254.0.0', 112, 'ipv6');

export function isLocalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return local.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolver = (host: string) => Promise<string[]>;
const systemResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/** Whether a URL may receive webhooks: http(s), no credentials in it, and not local unless allowed. */
export async function checkWebhookUrl(
  raw: string,
  opts: { allowLocal: boolean; resolve?: Resolver },
): Promise<{ ok: true; url: URL } | { ok: false; error: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: 'Not a URL (e.g. https://hooks.example.com/switchboard).' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, error: 'Use an http:// or https:// URL.' };
  if (url.username || url.password)
    return {
      ok: false,
      error: 'Put no user name or password in the URL; the signature authenticates the portal.',
    };
  if (raw.length > 2000) return { ok: false, error: 'At most 2000 characters.' };
  if (opts.allowLocal) return { ok: true, url };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (opts.resolve ?? systemResolver)(host);
  } catch {
    return { ok: false, error: `${host} does not resolve.` };
  }
  const bad = addresses.find(isLocalAddress);
  if (bad)
    return {
      ok: false,
      error: `${host} is a loopback or link-local address (${bad}); an admin must allow local addresses for this webhook.`,
    };
  return { ok: true, url };
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver checks it and the time. */
export function signPayload(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** What a receiver does (and the tests do): recompute and compare in constant time, within a window. */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  now: Date,
  toleranceS = 300,
): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(now.getTime() / 1000 - t) > toleranceS) return false;
  const want = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(want, Buffer.from(m[2]!, 'hex'));
}

export const WEBHOOK_DESCRIPTION_MAX_CHARS = 200;

const urlField = z.string().trim().min(1, 'Enter a URL.');
const descriptionField = z
  .string()
  .trim()
  .max(WEBHOOK_DESCRIPTION_MAX_CHARS, `At most ${WEBHOOK_DESCRIPTION_MAX_CHARS} characters.`);
const eventsField = z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'Choose at least one event.');

export const webhookInputSchema = z
  .object({
    url: urlField,
    description: descriptionField.default(''),
    events: eventsField,
    enabled: z.boolean().default(true),
    allowLocal: z.boolean().default(false),
  })
  .strict();

/** A change to a webhook: only the fields given change (the secret never does). */
export const webhookUpdateSchema = z
  .object({
    url: urlField.optional(),
    description: descriptionField.optional(),
    events: eventsField.optional(),
    enabled: z.boolean().optional(),
    allowLocal: z.boolean().optional(),
  })
  .strict();

/** Events stored in one order, each once, whatever order they were chosen in. */
const eventList = (events: readonly string[]) => WEBHOOK_EVENTS.filter((e) => events.includes(e)).join(',');

function fieldErrors(issues: z.core.$ZodIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const i of issues) errors[String(i.path[0] ?? 'form')] ??= i.message;
  return errors;
}

export interface WebhookDeps {
  db: PrismaClient;
  vault: Vault;
  audit: AuditSink;
  resolve?: Resolver;
}

type Actor = { id: string; role: string };

export async function createWebhook(
  actor: Actor,
  raw: unknown,
  deps: WebhookDeps,
): Promise<{ ok: true; id: string; secret: string } | { ok: false; errors: Record<string, string> }> {
  if (actor.role !== 'admin') return { ok: false, errors: { form: 'Only admins configure webhooks.' } };
  const parsed = webhookInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const v = parsed.data;
  const url = await checkWebhookUrl(v.url, { allowLocal: v.allowLocal, resolve: deps.resolve });
  if (!url.ok) return { ok: false, errors: { url: url.error } };
  const secret = randomBytes(32).toString('base64url');
  const row = await deps.db.webhook.create({
    data: {
      url: url.url.toString(),
      description: v.description,
      events: eventList(v.events),
      enabled: v.enabled,
      allowLocal: v.allowLocal,
      secretEnc: 'pending',
      createdById: actor.id,
    },
  });
  await deps.db.webhook.update({
    where: { id: row.id },
    data: { secretEnc: deps.vault.seal(secret, SECRET_CONTEXT(row.id)) },
  });
  await deps.audit({
    userId: actor.id,
    action: 'webhook.create',
    target: row.url,
    detail: `${row.id} ${row.events}${v.allowLocal ? ' (local addresses allowed)' : ''}`,
  });
  return { ok: true, id: row.id, secret };
}

/**
 * Change a webhook's URL, description, events, enabled or local-address permission. The URL is
 * checked again when it or the permission changes (taking the permission away from a loopback URL
 * is refused like creating one). Pending deliveries go to the URL in force when they are sent.
 */
export async function updateWebhook(
  actor: Actor,
  id: string,
  raw: unknown,
  deps: WebhookDeps,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string>; notFound?: true }> {
  if (actor.role !== 'admin') return { ok: false, errors: { form: 'Only admins configure webhooks.' } };
  const parsed = webhookUpdateSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const v = parsed.data;
  const row = await deps.db.webhook.findUnique({ where: { id } });
  if (!row) return { ok: false, errors: { form: 'No such webhook.' }, notFound: true };
  const allowLocal = v.allowLocal ?? row.allowLocal;
  let url = row.url;
  if (v.url !== undefined || allowLocal !== row.allowLocal) {
    const checked = await checkWebhookUrl(v.url ?? row.url, { allowLocal, resolve: deps.resolve });
    if (!checked.ok) return { ok: false, errors: { url: checked.error } };
    url = checked.url.toString();
  }
  const next = {
    url,
    description: v.description ?? row.description,
    events: v.events ? eventList(v.events) : row.events,
    enabled: v.enabled ?? row.enabled,
    allowLocal,
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== row[k]);
  if (changed.length === 0) return { ok: true };
  await deps.db.webhook.update({ where: { id }, data: next });
  await deps.audit({
    userId: actor.id,
    action: 'webhook.update',
    target: next.url,
    detail: `${id} ${changed.map((k) => `${k}=${k === 'description' ? JSON.stringify(next[k]) : next[k]}`).join(' ')}`,
  });
  return { ok: true };
}

export async function deleteWebhook(
  actor: Actor,
  id: string,
  deps: WebhookDeps,
): Promise<{ ok: true } | { ok: false; error: string }> {
  if (actor.role !== 'admin') return { ok: false, error: 'Only admins configure webhooks.' };
  const row = await deps.db.webhook.findUnique({ where: { id } });
  if (!row) return { ok: false, error: 'No such webhook.' };
  await deps.db.webhook.delete({ where: { id } });
  await deps.audit({ userId: actor.id, action: 'webhook.delete', target: row.url, detail: id });
  return { ok: true };
}

/** Store one delivery per enabled webhook that wants this event; returns how many. */
export async function enqueueEvent(
  db: PrismaClient,
  event: WebhookEvent,
  data: Record<string, unknown>,
  onlyWebhookId?: string,
): Promise<number> {
  return (await enqueue(db, event, data, onlyWebhookId)).length;
}

async function enqueue(
  db: PrismaClient,
  event: WebhookEvent,
  data: Record<string, unknown>,
  onlyWebhookId?: string,
): Promise<string[]> {
  const hooks = await db.webhook.findMany({
    where: onlyWebhookId ? { id: onlyWebhookId } : { enabled: true },
  });
  const ids: string[] = [];
  for (const h of hooks) {
    if (!onlyWebhookId && !h.events.split(',').includes(event)) continue;
    const delivery = await db.webhookDelivery.create({ data: { webhookId: h.id, event, payload: '' } });
    const body = JSON.stringify({
      event,
      delivery_id: delivery.id,
      created_at: delivery.createdAt.toISOString(),
      data,
    });
    await db.webhookDelivery.update({ where: { id: delivery.id }, data: { payload: body } });
    ids.push(delivery.id);
  }
  return ids;
}

/** "Send test": a ping delivered by the dispatcher like any event, logged the same way. */
export async function testWebhook(
  actor: Actor,
  id: string,
  db: PrismaClient,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const r = await queueTestDelivery(actor, id, db);
  return r.ok ? { ok: true } : r;
}

/** A test ping as testWebhook queues it, answering with its delivery (the page follows it). */
export async function queueTestDelivery(
  actor: Actor,
  id: string,
  db: PrismaClient,
): Promise<{ ok: true; deliveryId: string } | { ok: false; error: string }> {
  if (actor.role !== 'admin') return { ok: false, error: 'Only admins configure webhooks.' };
  const ids = await enqueue(db, 'ping', { message: 'Test from Switchboard' }, id);
  return ids.length === 1 ? { ok: true, deliveryId: ids[0]! } : { ok: false, error: 'No such webhook.' };
}

export interface DispatchOptions {
  timeoutMs?: number;
  backoffS?: number[];
  fetch?: typeof fetch;
  resolve?: Resolver;
}

/** Send every delivery that is due; returns how many were attempted. */
export async function deliverDue(
  deps: { db: PrismaClient; vault: Vault; log: Logger },
  now: Date,
  opts: DispatchOptions = {},
): Promise<number> {
  const backoff = opts.backoffS ?? WEBHOOK_BACKOFF_S;
  const due = await deps.db.webhookDelivery.findMany({
    where: { status: 'pending', nextAttemptAt: { lte: now } },
    orderBy: { nextAttemptAt: 'asc' },
    take: 20,
    include: { webhook: true },
  });
  await Promise.all(
    due.map(async (d) => {
      // claim this attempt: another node (or an overlapping tick) that read the same row skips it
      const claimed = await deps.db.webhookDelivery.updateMany({
        where: { id: d.id, status: 'pending', attempts: d.attempts },
        data: {
          attempts: d.attempts + 1,
          nextAttemptAt: new Date(now.getTime() + (opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS) * 2),
        },
      });
      if (claimed.count !== 1) return;
      const attempt = d.attempts + 1;
      const started = Date.now();
      let code: number | null = null;
      let error: string | null = null;
      try {
        const url = await checkWebhookUrl(d.webhook.url, {
          allowLocal: d.webhook.allowLocal,
          resolve: opts.resolve,
        });
        if (!url.ok) throw new Error(url.error);
        const secret = deps.vault.open(d.webhook.secretEnc, SECRET_CONTEXT(d.webhook.id));
        const res = await (opts.fetch ?? fetch)(url.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Switchboard-Webhook/1',
            'x-switchboard-event': d.event,
            'x-switchboard-delivery': d.id,
            [SIGNATURE_HEADER.toLowerCase()]: signPayload(secret, d.payload, new Date()),
          },
          body: d.payload,
          redirect: 'manual',
          signal: AbortSignal.timeout(opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
        });
        code = res.status;
        await res.body?.cancel().catch(() => {});
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      } catch (err) {
        const e = err as Error;
        error =
          e.name === 'TimeoutError'
            ? `No answer within ${(opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS) / 1000} s.`
            : e.message;
      }
      const durationMs = Date.now() - started;
      if (!error) {
        await deps.db.webhookDelivery.update({
          where: { id: d.id },
          data: { status: 'delivered', responseCode: code, error: null, durationMs, deliveredAt: new Date() },
        });
        return;
      }
      const wait = backoff[attempt - 1];
      const last = attempt >= backoff.length + 1 || wait === undefined;
      await deps.db.webhookDelivery.update({
        where: { id: d.id },
        data: {
          status: last ? 'failed' : 'pending',
          responseCode: code,
          error,
          durationMs,
          nextAttemptAt: last ? now : new Date(now.getTime() + wait * 1000),
        },
      });
      if (last)
        deps.log.warn(
          { webhookId: d.webhookId, deliveryId: d.id, error },
          'webhook delivery failed for good',
        );
    }),
  );
  return due.length;
}

/** Task outcomes become events; a timer sends what is due. Returns the stop function. */
export function startWebhookDispatcher(
  deps: { db: PrismaClient; vault: Vault; bus: EventBus; log: Logger },
  opts: DispatchOptions & { intervalMs?: number } = {},
): () => void {
  const off = deps.bus.subscribe('task.status.changed', async (e) => {
    if (!e.final || (e.status !== 'completed' && e.status !== 'failed')) return;
    const task = await deps.db.task.findUnique({
      where: { id: e.taskId },
      include: { owner: { select: { username: true } }, template: { select: { id: true, name: true } } },
    });
    if (!task) return;
    const data = {
      task: {
        id: task.id,
        name: task.name,
        status: task.status,
        owner: task.owner.username,
        total_devices: task.totalDevices,
        succeeded_devices: task.succeededDevices,
        failed_devices: task.failedDevices,
        skipped_devices: task.skippedDevices,
        template: task.template
          ? { id: task.template.id, name: task.template.name, version: task.templateVersion }
          : null,
        started_at: task.startedAt?.toISOString() ?? null,
        finished_at: task.finishedAt?.toISOString() ?? null,
      },
      link: `/tasks/${task.id}`,
    };
    await enqueueEvent(deps.db, e.status === 'completed' ? 'task.finished' : 'task.failed', data);
    if (task.templateId) {
      const changed = await deps.db.outputVersion.findMany({
        where: { taskId: task.id, change: 'changed' },
        select: { deviceName: true },
        orderBy: { deviceName: 'asc' },
        take: 1000,
      });
      if (changed.length > 0)
        await enqueueEvent(deps.db, 'config.changed', {
          ...data,
          changed_devices: changed.map((c) => c.deviceName),
        });
    }
  });
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void deliverDue(deps, new Date(), opts)
      .catch((err: unknown) => deps.log.error({ err }, 'webhook dispatch failed'))
      .finally(() => {
        running = false;
      });
  }, opts.intervalMs ?? WEBHOOK_DISPATCH_MS);
  timer.unref();
  return () => {
    off();
    clearInterval(timer);
  };
}
