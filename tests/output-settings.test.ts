import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import * as webhookRoute from '../app/api/v1/webhooks/[id]/route';
import { defaultLabFleet } from '../lab';
import { blobHash } from '../lib/automation/history';
import { SECRET_MARK } from '../lib/automation/redact';
import {
  getOutputSettings,
  lastOutputPurge,
  OUTPUT_RETENTION_DAYS_MAX,
  OUTPUT_SETTINGS_DEFAULT,
  runOutputPurge,
  setOutputSettings,
  startOutputPurge,
} from '../lib/automation/settings';
import { createTemplate } from '../lib/automation/templates';
import { createWebhook, enqueueEvent, updateWebhook } from '../lib/automation/webhooks';
import type { CurrentUser } from '../lib/auth/session';
import { createApiToken } from '../lib/auth/tokens';
import { setRuntime } from '../lib/server/registry';
import { createTask } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, type Portal } from './harness';

/**
 * The admin's stored-output settings (retention and raw output) and their effect on what a task
 * stores, the periodic purge of old output history, webhook updates (enable, disable, events, URL),
 * and the admin pages' Server Actions for both.
 */

let acting: CurrentUser | null = null;
vi.mock('../lib/auth/session', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../lib/auth/session')>();
  return { ...actual, getCurrentUser: async () => acting };
});
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

const webhookActions = await import('../app/(portal)/admin/webhooks/actions');
const settingsActions = await import('../app/(portal)/admin/settings/actions');

let portal: Portal;
const admin = () => ({ id: portal.users.admin, role: 'admin' as const });
const operator = () => ({ id: portal.users.operator, role: 'operator' as const });
const deps = () => ({ db: portal.db, vault: portal.vault, audit: portal.runtime.audit });
const DAY_MS = 24 * 60 * 60_000;
/** What a stored secret looks like on VRP (lab/secrets.test.ts): cipher texts and hashes. */
const STORED = /%\^%#|\$1d\$|\$c\$3\$|\$h\$6\$|\$9\$|\$6\$/;

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(2, LAB_CREDS, 'huawei_vrp') });
  setRuntime(portal.runtime);
}, 60_000);
afterAll(async () => {
  setRuntime(undefined);
  await portal.close();
});

function formData(values: Record<string, string | string[]>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) for (const x of [v].flat()) fd.append(k, x);
  return fd;
}

async function runConfig(device: string) {
  const r = await createTask(
    { id: portal.users.admin, role: 'admin' },
    {
      name: 'show config',
      commands: 'display current-configuration',
      deviceIds: [await portal.deviceId(device)],
      concurrency: '1',
      timeoutSeconds: '20',
    },
    portal.runtime,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  await vi.waitFor(
    async () => {
      const t = await portal.db.task.findUniqueOrThrow({ where: { id: r.id } });
      expect(t.status).toBe('completed');
    },
    { timeout: 30_000, interval: 50 },
  );
  const row = await portal.db.taskDevice.findFirstOrThrow({ where: { taskId: r.id } });
  return (JSON.parse(row.output) as { output: string }[]).map((o) => o.output).join('\n');
}

describe('output settings', () => {
  it('default to hidden secrets and 365 days, round-trip, and are audited', async () => {
    expect(await getOutputSettings(portal.db)).toEqual({ retentionDays: 365, keepRawOutput: false });
    expect(OUTPUT_SETTINGS_DEFAULT.retentionDays).toBe(365);
    const r = await setOutputSettings(portal.runtime, admin(), { retentionDays: 30, keepRawOutput: true });
    expect(r).toEqual({ ok: true, settings: { retentionDays: 30, keepRawOutput: true } });
    expect(await getOutputSettings(portal.db)).toEqual({ retentionDays: 30, keepRawOutput: true });
    const events = await portal.db.auditEvent.findMany({ where: { action: 'settings.output' } });
    expect(events.map((e) => e.detail)).toEqual([
      'retention 365 → 30 days; raw output kept (secrets are stored)',
    ]);
    await setOutputSettings(portal.runtime, admin(), OUTPUT_SETTINGS_DEFAULT);
    expect(await getOutputSettings(portal.db)).toEqual(OUTPUT_SETTINGS_DEFAULT);
  });

  it('refuse days out of range or not whole, unknown fields, and non-admins', async () => {
    for (const retentionDays of [0, -1, OUTPUT_RETENTION_DAYS_MAX + 1, 1.5, Number.NaN, '30'])
      expect(
        await setOutputSettings(portal.runtime, admin(), { retentionDays, keepRawOutput: false }),
        String(retentionDays),
      ).toEqual({
        ok: false,
        errors: { retentionDays: 'Enter a whole number of days from 1 to 3650.' },
      });
    expect(
      await setOutputSettings(portal.runtime, admin(), { retentionDays: 1, keepRawOutput: 'yes' }),
    ).toMatchObject({ ok: false, errors: { keepRawOutput: expect.any(String) } });
    expect(
      await setOutputSettings(portal.runtime, admin(), { retentionDays: 1, keepRawOutput: false, x: 1 }),
    ).toMatchObject({ ok: false });
    expect(
      await setOutputSettings(portal.runtime, operator(), { retentionDays: 30, keepRawOutput: true }),
    ).toEqual({ ok: false, errors: { form: 'Only admins change output settings.' } });
    // the bounds themselves are fine
    for (const d of [1, OUTPUT_RETENTION_DAYS_MAX])
      expect(
        (await setOutputSettings(portal.runtime, admin(), { retentionDays: d, keepRawOutput: false })).ok,
      ).toBe(true);
    await setOutputSettings(portal.runtime, admin(), OUTPUT_SETTINGS_DEFAULT);
  });

  it('read a damaged stored value field by field, falling back to the defaults', async () => {
    await portal.db.setting.update({
      where: { key: 'output.settings' },
      data: { value: JSON.stringify({ retentionDays: 99999, keepRawOutput: true }) },
    });
    expect(await getOutputSettings(portal.db)).toEqual({ retentionDays: 365, keepRawOutput: true });
    await portal.db.setting.update({ where: { key: 'output.settings' }, data: { value: 'not json' } });
    expect(await getOutputSettings(portal.db)).toEqual(OUTPUT_SETTINGS_DEFAULT);
    await setOutputSettings(portal.runtime, admin(), OUTPUT_SETTINGS_DEFAULT);
  });

  it('keepRawOutput stores the secrets a lab configuration shows; off hides them', async () => {
    const hidden = await runConfig('lab-vrp-01');
    expect(hidden).toContain(SECRET_MARK);
    expect(hidden).not.toMatch(STORED);

    await setOutputSettings(portal.runtime, admin(), { retentionDays: 365, keepRawOutput: true });
    const raw = await runConfig('lab-vrp-01');
    expect(raw).toMatch(STORED);
    expect(raw).not.toContain(SECRET_MARK);

    await setOutputSettings(portal.runtime, admin(), { retentionDays: 365, keepRawOutput: false });
    expect(await runConfig('lab-vrp-01')).toContain(SECRET_MARK);
  }, 60_000);
});

describe('output history purge', () => {
  it('removes versions older than the retention (not a device’s latest) and blobs nobody refers to', async () => {
    const now = new Date('2030-06-01T00:00:00Z');
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const t = await createTemplate(
      admin(),
      { name: 'purge-test', commands: 'display version', concurrency: '1', timeoutSeconds: '20' },
      portal.runtime,
    );
    if (!t.ok) throw new Error(JSON.stringify(t.errors));
    const blob = async (text: string, createdAt: Date) => {
      const hash = blobHash(text);
      await portal.db.outputBlob.create({ data: { hash, text, bytes: text.length, createdAt } });
      return hash;
    };
    const A = await blob('config A', ago(400));
    const B = await blob('config B', ago(100));
    const G = await blob('config G', ago(10));
    const D = await blob('config D', ago(500));
    const orphanOld = await blob('orphan old', ago(400));
    const orphanNew = await blob('orphan new', ago(0));
    const d1 = await portal.deviceId('lab-vrp-01');
    const d2 = await portal.deviceId('lab-vrp-02');
    const version = (deviceId: string, blobHash: string, createdAt: Date) =>
      portal.db.outputVersion.create({
        data: {
          deviceId,
          deviceName: deviceId === d1 ? 'lab-vrp-01' : 'lab-vrp-02',
          templateId: t.id,
          blobHash,
          comparableHash: blobHash,
          change: 'new',
          createdAt,
        },
      });
    const v1 = await version(d1, A, ago(400));
    const v2 = await version(d1, B, ago(100));
    const v3 = await version(d1, G, ago(10));
    const v4 = await version(d1, A, ago(1)); // the latest shares the oldest one's blob
    const only = await version(d2, D, ago(500)); // old, but the device's latest: kept

    await setOutputSettings(portal.runtime, admin(), { retentionDays: 30, keepRawOutput: false });
    const r = await runOutputPurge(portal.db, now);
    expect(r).toMatchObject({ versions: 2, blobs: 2, at: now.toISOString(), cutoff: ago(30).toISOString() });
    const left = await portal.db.outputVersion.findMany({
      where: { templateId: t.id },
      select: { id: true },
    });
    expect(new Set(left.map((v) => v.id))).toEqual(new Set([v3.id, v4.id, only.id]));
    expect(v1.id && v2.id).toBeTruthy();
    const blobs = new Set(
      (
        await portal.db.outputBlob.findMany({
          where: { hash: { in: [A, B, G, D, orphanOld, orphanNew] } },
          select: { hash: true },
        })
      ).map((b) => b.hash),
    );
    // B and the old orphan went; a blob stored after the cutoff stays (its version may be on its way)
    expect(blobs).toEqual(new Set([A, G, D, orphanNew]));
    expect(await lastOutputPurge(portal.db)).toEqual(r);
    // nothing more to do the second time
    expect(await runOutputPurge(portal.db, now)).toMatchObject({ versions: 0, blobs: 0 });
    await setOutputSettings(portal.runtime, admin(), OUTPUT_SETTINGS_DEFAULT);
  });

  it('runs on its timer with the runtime’s clock and stops', async () => {
    await portal.db.setting.deleteMany({ where: { key: 'output.lastPurge' } });
    const at = new Date('2031-01-01T00:00:00Z');
    const stop = startOutputPurge(
      { db: portal.db, log: pino({ level: 'silent' }) },
      { firstDelayMs: 10, intervalMs: 60_000, now: () => at },
    );
    await vi.waitFor(async () => expect((await lastOutputPurge(portal.db))?.at).toBe(at.toISOString()), {
      timeout: 5_000,
      interval: 20,
    });
    stop();
  });
});

describe('webhook updates', () => {
  it('enable, disable, events and URL changes are checked, stored and audited', async () => {
    const created = await createWebhook(
      admin(),
      { url: 'https://hooks.example.com/a', events: ['task.failed'] },
      { ...deps(), resolve: async () => ['203.0.113.7'] },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const id = created.id;
    const d = { ...deps(), resolve: async () => ['203.0.113.7'] };

    expect(await updateWebhook(operator(), id, { enabled: false }, d)).toEqual({
      ok: false,
      errors: { form: 'Only admins configure webhooks.' },
    });
    expect(await updateWebhook(admin(), 'nope', { enabled: false }, d)).toEqual({
      ok: false,
      errors: { form: 'No such webhook.' },
      notFound: true,
    });

    expect(await updateWebhook(admin(), id, { enabled: false }, d)).toEqual({ ok: true });
    expect(await enqueueEvent(portal.db, 'task.failed', {})).toBe(0); // disabled: nothing queued
    expect(await updateWebhook(admin(), id, { enabled: true }, d)).toEqual({ ok: true });
    expect(await enqueueEvent(portal.db, 'task.failed', {})).toBe(1);
    await portal.db.webhookDelivery.deleteMany({ where: { webhookId: id } });

    // events: kept in one order, each once; at least one
    expect(
      await updateWebhook(admin(), id, { events: ['config.changed', 'task.finished', 'config.changed'] }, d),
    ).toEqual({ ok: true });
    expect((await portal.db.webhook.findUniqueOrThrow({ where: { id } })).events).toBe(
      'task.finished,config.changed',
    );
    expect(await updateWebhook(admin(), id, { events: [] }, d)).toEqual({
      ok: false,
      errors: { events: 'Choose at least one event.' },
    });
    expect(await updateWebhook(admin(), id, { events: ['task.exploded'] }, d)).toMatchObject({ ok: false });
    expect(await updateWebhook(admin(), id, { secretEnc: 'x' }, d)).toMatchObject({ ok: false });

    // a loopback URL needs the permission; taking the permission away from one is refused too
    expect(await updateWebhook(admin(), id, { url: 'http://127.0.0.1:9/h' }, d)).toMatchObject({
      ok: false,
      errors: { url: expect.stringMatching(/loopback or link-local/) },
    });
    expect(await updateWebhook(admin(), id, { url: 'http://127.0.0.1:9/h', allowLocal: true }, d)).toEqual({
      ok: true,
    });
    expect(await updateWebhook(admin(), id, { allowLocal: false }, d)).toMatchObject({
      ok: false,
      errors: { url: expect.stringMatching(/loopback or link-local/) },
    });
    expect(
      await updateWebhook(admin(), id, { url: 'https://hooks.example.com/b', allowLocal: false }, d),
    ).toEqual({ ok: true });
    const row = await portal.db.webhook.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ url: 'https://hooks.example.com/b', allowLocal: false, enabled: true });
    // nothing changed: nothing audited
    expect(await updateWebhook(admin(), id, { enabled: true }, d)).toEqual({ ok: true });

    const audits = await portal.db.auditEvent.findMany({
      where: { action: 'webhook.update' },
      orderBy: { at: 'asc' },
    });
    expect(audits.map((a) => a.detail)).toEqual([
      `${id} enabled=false`,
      `${id} enabled=true`,
      `${id} events=task.finished,config.changed`,
      `${id} url=http://127.0.0.1:9/h allowLocal=true`,
      `${id} url=https://hooks.example.com/b allowLocal=false`,
    ]);
  });

  it('PATCH /api/v1/webhooks/{id} changes only what it is given (admins)', async () => {
    const created = await createWebhook(
      admin(),
      { url: 'http://127.0.0.1:9/patch', events: ['task.failed'], allowLocal: true },
      deps(),
    );
    if (!created.ok) throw new Error('create failed');
    const token = async (userId: string) => {
      const t = await createApiToken({ id: userId }, { name: `t-${userId}`, scope: 'write' }, portal.runtime);
      if (!t.ok) throw new Error('token');
      return t.token;
    };
    const patch = async (id: string, body: unknown, as: string) => {
      const res = await webhookRoute.PATCH(
        new Request(`http://127.0.0.1/api/v1/webhooks/${id}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${as}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({ id }) },
      );
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const adminToken = await token(portal.users.admin);
    const r = await patch(created.id, { enabled: false, events: ['config.changed'] }, adminToken);
    expect(r).toMatchObject({
      status: 200,
      json: {
        id: created.id,
        url: 'http://127.0.0.1:9/patch',
        events: ['config.changed'],
        enabled: false,
        allow_local: true,
      },
    });
    const local = await patch(created.id, { allow_local: false }, adminToken);
    expect(local.status).toBe(422);
    expect((local.json.errors as Record<string, string>).url).toMatch(/loopback or link-local/);
    expect((await patch(created.id, { secret: 'x' }, adminToken)).status).toBe(422);
    expect((await patch('nope', { enabled: true }, adminToken)).status).toBe(404);
    expect((await patch(created.id, { enabled: true }, await token(portal.users.operator))).status).toBe(403);
  });
});

describe('the admin pages’ actions', () => {
  const adminUser = (): CurrentUser => ({
    id: portal.users.admin,
    username: 'admin',
    displayName: '',
    role: 'admin',
  });

  it('refuse other roles, signed-out callers and bad arguments', async () => {
    acting = { id: portal.users.operator, username: 'op', displayName: '', role: 'operator' };
    const fd = formData({ url: 'https://hooks.example.com/x', events: 'task.failed' });
    expect(await webhookActions.createWebhookAction({}, fd)).toEqual({
      errors: { form: 'Your role does not allow this.' },
    });
    expect(
      await settingsActions.saveOutputSettingsAction(
        {},
        formData({ retentionDays: '5', keepRawOutput: 'on' }),
      ),
    ).toEqual({ errors: { form: 'Your role does not allow this.' } });
    expect(await webhookActions.setWebhookEnabledAction('x', false)).toEqual({
      error: 'Your role does not allow this.',
    });
    expect(await webhookActions.sendTestAction('x')).toEqual({ error: 'Your role does not allow this.' });
    acting = null;
    expect(await webhookActions.deleteWebhookAction('x')).toEqual({
      error: 'Your session has ended. Sign in again.',
    });
    acting = adminUser();
    expect(await webhookActions.setWebhookEnabledAction({ in: [] } as never, false)).toEqual({
      error: 'Invalid request.',
    });
    expect(await webhookActions.setWebhookEnabledAction('x', 'true' as never)).toEqual({
      error: 'Invalid request.',
    });
    expect(await webhookActions.deliveryStatusAction('x', { not: '' } as never)).toEqual({
      error: 'Invalid request.',
    });
    expect(await webhookActions.createWebhookAction({}, { url: 'x' } as never)).toEqual({
      errors: { form: 'Invalid request.' },
    });
    expect(await settingsActions.saveOutputSettingsAction({}, 'retentionDays=3' as never)).toEqual({
      errors: { form: 'Invalid request.' },
    });
    acting = null;
  });

  it('create (secret once), refuse loopback without the box, test, follow the delivery, disable, delete', async () => {
    acting = adminUser();
    const refused = await webhookActions.createWebhookAction(
      {},
      formData({ url: 'http://127.0.0.1:9/h', description: 'x', events: ['task.failed'] }),
    );
    expect(refused.errors).toEqual({
      url: '127.0.0.1 is a loopback or link-local address (127.0.0.1). Tick “Allow local addresses” to deliver there.',
    });
    expect(refused.values).toMatchObject({
      url: 'http://127.0.0.1:9/h',
      events: ['task.failed'],
      allowLocal: false,
    });
    expect(
      (await webhookActions.createWebhookAction({}, formData({ url: 'https://hooks.example.com/x' }))).errors,
    ).toEqual({ events: 'Choose at least one event.' });

    const made = await webhookActions.createWebhookAction(
      {},
      formData({
        url: 'http://127.0.0.1:9/h',
        description: 'local receiver',
        events: ['task.failed', 'task.finished'],
        allowLocal: 'on',
      }),
    );
    expect(made.created).toMatchObject({
      url: 'http://127.0.0.1:9/h',
      secret: expect.stringMatching(/^\S{40,}$/),
    });
    const id = made.created!.id;
    expect((await portal.db.webhook.findUniqueOrThrow({ where: { id } })).events).toBe(
      'task.finished,task.failed',
    );

    const sent = await webhookActions.sendTestAction(id);
    expect(sent.deliveryId).toEqual(expect.any(String));
    expect(await webhookActions.deliveryStatusAction(id, sent.deliveryId!)).toEqual({
      delivery: { status: 'pending', attempts: 0, responseCode: null, error: null, durationMs: null },
    });
    // another webhook's delivery id is not this one's
    expect((await webhookActions.deliveryStatusAction('other', sent.deliveryId!)).error).toBe(
      'No such webhook.',
    );

    const edited = await webhookActions.updateWebhookAction(
      id,
      {},
      formData({ url: 'http://127.0.0.1:9/h', description: 'renamed', events: ['config.changed'] }),
    );
    expect(edited.errors?.url).toMatch(/Tick “Allow local addresses”/);
    const saved = await webhookActions.updateWebhookAction(
      id,
      {},
      formData({
        url: 'http://127.0.0.1:9/h',
        description: 'renamed',
        events: ['config.changed'],
        allowLocal: 'on',
      }),
    );
    expect(saved.ok).toBe('Saved.');
    expect(await portal.db.webhook.findUniqueOrThrow({ where: { id } })).toMatchObject({
      description: 'renamed',
      events: 'config.changed',
    });

    expect(await webhookActions.setWebhookEnabledAction(id, false)).toEqual({
      ok: 'Disabled: no events are queued for it (a test ping still is).',
    });
    expect((await portal.db.webhook.findUniqueOrThrow({ where: { id } })).enabled).toBe(false);
    expect(await webhookActions.deleteWebhookAction(id)).toEqual({ ok: 'deleted' });
    expect(await webhookActions.deleteWebhookAction(id)).toEqual({ error: 'No such webhook.' });
    acting = null;
  });

  it('save the settings from the form, with errors for bad days', async () => {
    acting = adminUser();
    expect(await settingsActions.saveOutputSettingsAction({}, formData({ retentionDays: 'abc' }))).toEqual({
      errors: { retentionDays: 'Enter a whole number of days from 1 to 3,650.' },
      values: { retentionDays: 'abc', keepRawOutput: false },
    });
    expect(
      (await settingsActions.saveOutputSettingsAction({}, formData({ retentionDays: '4000' }))).errors,
    ).toEqual({ retentionDays: 'Enter a whole number of days from 1 to 3,650.' });
    const ok = await settingsActions.saveOutputSettingsAction({}, formData({ retentionDays: ' 90 ' }));
    expect(ok.ok).toMatch(/^Saved\./);
    expect(await getOutputSettings(portal.db)).toEqual({ retentionDays: 90, keepRawOutput: false });
    await settingsActions.saveOutputSettingsAction({}, formData({ retentionDays: '365' }));
    acting = null;
  });
});
