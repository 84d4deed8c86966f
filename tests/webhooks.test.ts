import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import {
  checkWebhookUrl,
  createWebhook,
  deleteWebhook,
  deliverDue,
  isLocalAddress,
  signPayload,
  startWebhookDispatcher,
  testWebhook,
  verifySignature,
} from '../lib/automation/webhooks';
import { createTask } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, type Portal } from './harness';

let portal: Portal;
const log = pino({ level: 'silent' });
const admin = () => ({ id: portal.users.admin, role: 'admin' });
const operator = () => ({ id: portal.users.operator, role: 'operator' });

/** A receiver on 127.0.0.1 answering with the codes given in turn (then 200); "hang" never answers. */
async function receiver(answers: (number | 'hang')[]) {
  const got: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      const a = answers.shift() ?? 200;
      if (a === 'hang') return;
      res.statusCode = a;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, got, close: () => new Promise((r) => server.closeAllConnections() ?? server.close(r)) };
}

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(1, LAB_CREDS, 'huawei_vrp') });
}, 60_000);
afterAll(() => portal.close());

const deps = () => ({ db: portal.db, vault: portal.vault, audit: portal.tasks.audit, log });

describe('webhook URLs', () => {
  it.each(['127.0.0.1', '127.9.9.9', '::1', '169.254.169.254', 'fe80::1', '0.0.0.0', '::ffff:127.0.0.1'])(
    '%s is local',
    (a) => expect(isLocalAddress(a)).toBe(true),
  );
  it.each(['10.1.2.3', '192.168.1.1', '8.8.8.8', '2001:db8::1', 'not-an-ip'])('%s is not local', (a) =>
    expect(isLocalAddress(a)).toBe(false),
  );

  it('refuses other schemes, credentials and names resolving to local addresses unless allowed', async () => {
    const resolve = async (h: string) => (h === 'metadata.internal' ? ['169.254.169.254'] : ['203.0.113.7']);
    expect(await checkWebhookUrl('ftp://x.example/h', { allowLocal: false, resolve })).toMatchObject({
      ok: false,
    });
    expect(await checkWebhookUrl('https://u:p@x.example/h', { allowLocal: false, resolve })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no user name or password/),
    });
    expect(
      await checkWebhookUrl('http://metadata.internal/latest', { allowLocal: false, resolve }),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /metadata.internal is a loopback or link-local address \(169.254.169.254\)/,
      ),
    });
    expect(await checkWebhookUrl('http://[::1]:8080/h', { allowLocal: false, resolve })).toMatchObject({
      ok: false,
    });
    expect((await checkWebhookUrl('https://hooks.example.com/h', { allowLocal: false, resolve })).ok).toBe(
      true,
    );
    expect((await checkWebhookUrl('http://127.0.0.1:9/h', { allowLocal: true, resolve })).ok).toBe(true);
    expect(await checkWebhookUrl('not a url', { allowLocal: false, resolve })).toMatchObject({ ok: false });
  });

  it('only admins create them, and a loopback one needs allowLocal', async () => {
    expect(
      await createWebhook(operator(), { url: 'https://hooks.example.com', events: ['task.failed'] }, deps()),
    ).toEqual({ ok: false, errors: { form: 'Only admins configure webhooks.' } });
    const r = await createWebhook(admin(), { url: 'http://127.0.0.1:9/h', events: ['task.failed'] }, deps());
    expect(r).toMatchObject({ ok: false, errors: { url: expect.stringMatching(/loopback or link-local/) } });
    expect(await createWebhook(admin(), { url: 'https://h.example', events: [] }, deps())).toMatchObject({
      ok: false,
      errors: { events: 'Choose at least one event.' },
    });
  });
});

describe('signatures', () => {
  it('verify with the secret, fail when the body, secret or time differ', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const sig = signPayload('s3cret', '{"a":1}', now);
    expect(sig).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret', '{"a":1}', sig, now)).toBe(true);
    expect(verifySignature('s3cret', '{"a":2}', sig, now)).toBe(false);
    expect(verifySignature('other', '{"a":1}', sig, now)).toBe(false);
    expect(verifySignature('s3cret', '{"a":1}', sig, new Date(now.getTime() + 600_000))).toBe(false);
    expect(verifySignature('s3cret', '{"a":1}', 'garbage', now)).toBe(false);
  });
});

describe('delivery', () => {
  it('a signed test ping reaches a local receiver; 500s are retried with back-off and logged', async () => {
    const rx = await receiver([500, 500]);
    const hook = await createWebhook(
      admin(),
      { url: rx.url, events: ['task.finished'], allowLocal: true, description: 'test receiver' },
      deps(),
    );
    if (!hook.ok) throw new Error(JSON.stringify(hook.errors));
    expect(await testWebhook(admin(), hook.id, portal.db)).toEqual({ ok: true });
    const t0 = new Date();
    const opts = { backoffS: [10, 30], timeoutMs: 2000 };
    await deliverDue(deps(), t0, opts);
    await deliverDue(deps(), new Date(t0.getTime() + 5_000), opts); // not due yet
    await deliverDue(deps(), new Date(t0.getTime() + 10_000), opts);
    await deliverDue(deps(), new Date(t0.getTime() + 40_000), opts);
    const [d] = await portal.db.webhookDelivery.findMany({ where: { webhookId: hook.id } });
    expect(d).toMatchObject({
      event: 'ping',
      status: 'delivered',
      attempts: 3,
      responseCode: 200,
      error: null,
    });
    expect(rx.got).toHaveLength(3);
    for (const r of rx.got) {
      expect(r.body).toBe(d!.payload);
      expect(r.headers['x-switchboard-event']).toBe('ping');
      expect(
        verifySignature(hook.secret, r.body, String(r.headers['x-switchboard-signature']), new Date()),
      ).toBe(true);
    }
    expect(JSON.parse(d!.payload)).toMatchObject({
      event: 'ping',
      delivery_id: d!.id,
      data: { message: 'Test from Switchboard' },
    });
    await rx.close();
  });

  it('a receiver that hangs times out, is retried, and is marked failed after the last attempt', async () => {
    const rx = await receiver(['hang', 'hang', 'hang']);
    const hook = await createWebhook(
      admin(),
      { url: rx.url, events: ['task.failed'], allowLocal: true },
      deps(),
    );
    if (!hook.ok) throw new Error('create failed');
    await testWebhook(admin(), hook.id, portal.db);
    const opts = { backoffS: [1, 1], timeoutMs: 300 };
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await deliverDue(deps(), new Date(t0 + i * 60_000), opts);
    const [d] = await portal.db.webhookDelivery.findMany({ where: { webhookId: hook.id } });
    expect(d).toMatchObject({
      status: 'failed',
      attempts: 3,
      responseCode: null,
      error: 'No answer within 0.3 s.',
    });
    await rx.close();
    expect(await deleteWebhook(admin(), hook.id, deps())).toEqual({ ok: true });
    expect(await portal.db.webhookDelivery.count({ where: { webhookId: hook.id } })).toBe(0);
  });

  it('a finished task becomes a task.finished delivery for the webhooks that want it', async () => {
    const rx = await receiver([]);
    const hook = await createWebhook(
      admin(),
      { url: rx.url, events: ['task.finished'], allowLocal: true },
      deps(),
    );
    const other = await createWebhook(
      admin(),
      { url: rx.url, events: ['config.changed'], allowLocal: true },
      deps(),
    );
    if (!hook.ok || !other.ok) throw new Error('create failed');
    const stop = startWebhookDispatcher({ ...deps(), bus: portal.tasks.bus }, { intervalMs: 50 });
    const r = await createTask(
      { id: portal.users.admin, role: 'admin' },
      {
        name: 'hooked',
        commands: 'display clock',
        deviceIds: [await portal.deviceId('lab-vrp-01')],
        concurrency: '1',
        timeoutSeconds: '20',
      },
      portal.tasks,
    );
    if (!r.ok) throw new Error('task failed to start');
    await vi.waitFor(
      () => expect(rx.got.some((g) => g.headers['x-switchboard-event'] === 'task.finished')).toBe(true),
      {
        timeout: 20_000,
        interval: 50,
      },
    );
    stop();
    const body = JSON.parse(rx.got.find((g) => g.headers['x-switchboard-event'] === 'task.finished')!.body);
    expect(body.data.task).toMatchObject({ id: r.id, name: 'hooked', status: 'completed', total_devices: 1 });
    expect(await portal.db.webhookDelivery.count({ where: { webhookId: other.id } })).toBe(0);
    await rx.close();
  });
});
