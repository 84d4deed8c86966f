import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as devicesRoute from '../app/api/v1/devices/route';
import * as deviceRoute from '../app/api/v1/devices/[id]/route';
import * as meRoute from '../app/api/v1/me/route';
import * as tasksRoute from '../app/api/v1/tasks/route';
import * as taskRoute from '../app/api/v1/tasks/[id]/route';
import * as taskDevicesRoute from '../app/api/v1/tasks/[id]/devices/route';
import * as cancelRoute from '../app/api/v1/tasks/[id]/cancel/route';
import * as notificationsRoute from '../app/api/v1/notifications/route';
import * as notificationsReadRoute from '../app/api/v1/notifications/read/route';
import * as usersRoute from '../app/api/v1/users/route';
import * as userRoute from '../app/api/v1/users/[id]/route';
import * as grantsRoute from '../app/api/v1/users/[id]/grants/route';
import { RateLimiter } from '../lib/api/rate-limit';
import { revokeApiToken } from '../lib/auth/tokens';
import { setRuntime } from '../lib/server/registry';
import type { Runtime } from '../lib/server/runtime';
import { startPortal, type Portal } from './harness';
import { call, mintToken } from './api-client';

let portal: Portal;
const mint = (userId: string, scope: 'read' | 'write', name?: string) =>
  mintToken(portal.runtime, userId, scope, name);
const tokens: Record<string, string> = {};

const device = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  host: '192.0.2.10',
  port: 22,
  vendor: 'huawei_vrp',
  username: 'netops',
  password: 'secret-pw',
  ...extra,
});

beforeAll(async () => {
  portal = await startPortal();
  setRuntime(portal.runtime);
  const u = portal.users;
  tokens.adminWrite = (await mint(u.admin, 'write')).token;
  tokens.opWrite = (await mint(u.operator, 'write')).token;
  tokens.opRead = (await mint(u.operator, 'read')).token;
  tokens.op2Write = (await mint(u.operator2, 'write')).token;
  tokens.viewerWrite = (await mint(u.viewer, 'write')).token;
});
afterAll(async () => {
  setRuntime(undefined);
  await portal.close();
});

describe('authentication', () => {
  it('a token says who it acts as; problems are RFC 9457 with a stable code', async () => {
    const me = await call(meRoute.GET, { token: tokens.opRead });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      username: 'op',
      role: 'operator',
      via: 'token',
      token: { scope: 'read' },
    });

    const none = await call(meRoute.GET);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect(none.json).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect((await call(meRoute.GET, { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    expect((await call(meRoute.GET, { token: 'sb_' + 'x'.repeat(42) })).json.code).toBe('token_malformed');
  });

  it('refuses a token in the query string, even a valid one', async () => {
    const r = await call(meRoute.GET, { path: `/me?access_token=${tokens.opRead}`, token: tokens.opRead });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('token_in_query');
  });

  it('a revoked token and a disabled owner’s token stop working on the next request', async () => {
    const t = await mint(portal.users.operator2, 'read', 'short-lived');
    expect((await call(meRoute.GET, { token: t.token })).status).toBe(200);
    await revokeApiToken({ id: portal.users.operator2, role: 'operator' }, t.view.id, portal.runtime);
    expect((await call(meRoute.GET, { token: t.token })).json.code).toBe('token_revoked');

    const u = await portal.db.user.create({
      data: { username: 'temp', role: 'operator', passwordHash: 'x' },
    });
    const t2 = await mint(u.id, 'write');
    expect((await call(meRoute.GET, { token: t2.token })).status).toBe(200);
    await portal.db.user.update({ where: { id: u.id }, data: { disabled: true } });
    expect((await call(meRoute.GET, { token: t2.token })).json.code).toBe('token_owner_disabled');
  });

  it('a read token cannot write, a viewer cannot add devices, writes need a token', async () => {
    const read = await call(devicesRoute.POST, {
      method: 'POST',
      token: tokens.opRead,
      body: device('ro-1'),
    });
    expect([read.status, read.json.code]).toEqual([403, 'read_only_token']);
    const viewer = await call(devicesRoute.POST, {
      method: 'POST',
      token: tokens.viewerWrite,
      body: device('v-1'),
    });
    expect([viewer.status, viewer.json.code]).toEqual([403, 'role']);
    const anon = await call(devicesRoute.POST, { method: 'POST', body: device('anon-1') });
    expect(anon.status).toBe(401);
    expect(await portal.db.device.count({ where: { name: { in: ['ro-1', 'v-1', 'anon-1'] } } })).toBe(0);
  });

  it('answers 429 with Retry-After past the per-token rate', async () => {
    let now = 0;
    setRuntime({ ...portal.runtime, apiLimiter: new RateLimiter(3, () => now) } as Runtime);
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await call(meRoute.GET, { token: tokens.opRead })).status);
      expect(codes).toEqual([200, 200, 200, 429]);
      const r = await call(meRoute.GET, { token: tokens.opRead });
      expect(r.headers.get('retry-after')).toBe('20');
      now += 20_000;
      expect((await call(meRoute.GET, { token: tokens.opRead })).status).toBe(200);
    } finally {
      setRuntime(portal.runtime);
    }
  });
});

describe('devices', () => {
  it('creates one device; credentials are write-only and the write is audited with the token name', async () => {
    const r = await call(devicesRoute.POST, {
      method: 'POST',
      token: tokens.opWrite,
      body: device('api-sw-1', { enable_secret: 'en-secret' }),
    });
    expect(r.status).toBe(201);
    const items = r.json.items as Record<string, unknown>[];
    expect(items[0]).toMatchObject({ name: 'api-sw-1', vendor: 'huawei_vrp', auth_type: 'password' });
    expect(r.text).not.toContain('secret-pw');
    expect(r.text).not.toContain('en-secret');
    const id = items[0]!.id as string;
    const got = await call(deviceRoute.GET, { token: tokens.opRead, params: { id } });
    expect(got.status).toBe(200);
    expect(got.text).not.toContain('secret-pw');
    const audit = await portal.db.auditEvent.findFirstOrThrow({
      where: { action: 'device.create', target: 'api-sw-1' },
    });
    expect(audit.detail).toContain('via API token "write-');
  });

  it('a thousand devices with one bad item save nothing and name the bad item; 500 good ones are created', async () => {
    const bad = Array.from({ length: 1000 }, (_, i) => device(`bulk-bad-${i}`));
    bad[537] = device('bulk-bad-537', { host: 'not a host!' });
    const r = await call(devicesRoute.POST, {
      method: 'POST',
      token: tokens.adminWrite,
      body: { devices: bad },
    });
    expect(r.status).toBe(422);
    expect(Object.keys(r.json.errors as object)).toEqual(['devices.537.host']);
    expect(await portal.db.device.count({ where: { name: { startsWith: 'bulk-bad-' } } })).toBe(0);

    const good = Array.from({ length: 500 }, (_, i) => device(`bulk-${String(i).padStart(3, '0')}`));
    const ok = await call(devicesRoute.POST, {
      method: 'POST',
      token: tokens.adminWrite,
      body: { devices: good },
    });
    expect(ok.status).toBe(201);
    expect((ok.json.items as unknown[]).length).toBe(500);
    expect(await portal.db.device.count({ where: { name: { startsWith: 'bulk-' } } })).toBe(500);

    const dup = await call(devicesRoute.POST, {
      method: 'POST',
      token: tokens.adminWrite,
      body: { devices: [device('bulk-000'), device('fresh-1'), device('fresh-1')] },
    });
    expect(dup.status).toBe(422);
    expect(dup.json.errors).toMatchObject({
      'devices.0.name': expect.any(String),
      'devices.2.name': expect.any(String),
    });
  });

  it('refuses malformed JSON, wrong types, unknown fields, other media types and oversized bodies', async () => {
    const post = (o: Parameters<typeof call>[1]) =>
      call(devicesRoute.POST, { method: 'POST', token: tokens.opWrite, ...o });
    expect((await post({ raw: '{"name":', headers: { 'content-type': 'application/json' } })).json.code).toBe(
      'malformed_json',
    );
    const wrong = await post({ body: device('t-1', { port: '22' }) });
    expect([wrong.status, Object.keys(wrong.json.errors as object)]).toEqual([422, ['port']]);
    const unknown = await post({ body: device('t-2', { owner: 'admin' }) });
    expect(unknown.status).toBe(422);
    expect((await post({ raw: 'name=x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    setRuntime({
      ...portal.runtime,
      tunables: { ...portal.runtime.tunables, API_MAX_BODY_BYTES: 2048 },
    } as Runtime);
    try {
      const fits = await post({ body: device('t-3', { notes: 'x'.repeat(1500) }) });
      expect(fits.status).toBe(201);
      const huge = await post({ body: { devices: Array.from({ length: 50 }, (_, i) => device(`h-${i}`)) } });
      expect([huge.status, huge.json.code]).toEqual([413, 'body_too_large']);
    } finally {
      setRuntime(portal.runtime);
    }
  });

  it('pages through 2,500 devices with no row missing or repeated; others’ devices are 404', async () => {
    for (let b = 0; b < 3; b++) {
      const n = b < 2 ? 1000 : 500;
      const items = Array.from({ length: n }, (_, i) => device(`pg-${b}-${String(i).padStart(4, '0')}`));
      expect(
        (
          await call(devicesRoute.POST, {
            method: 'POST',
            token: tokens.adminWrite,
            body: { devices: items },
          })
        ).status,
      ).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await call(devicesRoute.GET, {
        token: tokens.adminWrite,
        path: `/devices?q=pg-&limit=333${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(r.status).toBe(200);
      seen.push(...(r.json.items as { name: string }[]).map((d) => d.name));
      cursor = r.json.next_cursor as string | null;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(2500 / 333));
    expect(seen.length).toBe(2500);
    expect(new Set(seen).size).toBe(2500);
    expect(seen).toEqual([...seen].sort());

    // op2 sees only what is granted to them (the lab devices), not these
    const theirs = await call(devicesRoute.GET, { token: tokens.op2Write, path: '/devices?q=pg-' });
    expect(theirs.json.items).toEqual([]);
    const someone = await portal.db.device.findFirstOrThrow({ where: { name: 'pg-0-0000' } });
    expect((await call(deviceRoute.GET, { token: tokens.op2Write, params: { id: someone.id } })).status).toBe(
      404,
    );
    expect(
      (
        await call(deviceRoute.DELETE, {
          method: 'DELETE',
          token: tokens.op2Write,
          params: { id: someone.id },
        })
      ).status,
    ).toBe(404);
    expect(
      (await call(devicesRoute.GET, { token: tokens.opRead, path: '/devices?cursor=garbage' })).json.code,
    ).toBe('bad_cursor');
    expect((await call(devicesRoute.GET, { token: tokens.opRead, path: '/devices?limt=5' })).status).toBe(
      422,
    );
  });

  it('PATCH changes fields; a new host needs the password again', async () => {
    const c = await call(devicesRoute.POST, {
      method: 'POST',
      token: tokens.opWrite,
      body: device('patch-me'),
    });
    const id = (c.json.items as { id: string }[])[0]!.id;
    const notes = await call(deviceRoute.PATCH, {
      method: 'PATCH',
      token: tokens.opWrite,
      params: { id },
      body: { notes: 'rack 4' },
    });
    expect([notes.status, notes.json.notes]).toEqual([200, 'rack 4']);
    const moved = await call(deviceRoute.PATCH, {
      method: 'PATCH',
      token: tokens.opWrite,
      params: { id },
      body: { host: '192.0.2.99' },
    });
    expect(moved.status).toBe(422);
    expect(Object.keys(moved.json.errors as object)).toContain('password');
  });
});

describe('tasks', () => {
  it('ten parallel retries with one Idempotency-Key start one task', async () => {
    const lab = await portal.deviceId('lab-vrp-01');
    const body = { name: 'idem', devices: [lab], commands: ['display clock'], concurrency: 1, timeout_s: 30 };
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(tasksRoute.POST, {
          method: 'POST',
          token: tokens.opWrite,
          body,
          headers: { 'idempotency-key': 'run-42' },
        }),
      ),
    );
    const ids = new Set(results.map((r) => r.json.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(await portal.db.task.count({ where: { name: 'idem' } })).toBe(1);
    const id = [...ids][0] as string;
    expect((await call(taskRoute.GET, { token: tokens.op2Write, params: { id } })).status).toBe(404);
    expect(
      (await call(cancelRoute.POST, { method: 'POST', token: tokens.op2Write, params: { id } })).status,
    ).toBe(404);
    const mine = await call(taskRoute.GET, { token: tokens.opRead, params: { id } });
    expect(mine.json).toMatchObject({ id, name: 'idem', total_devices: 1 });
  });

  it('validates like the form: devices not visible, commands with newlines, unknown fields', async () => {
    const hidden = await portal.deviceId('lab-ios-02'); // not granted to op
    const r = await call(tasksRoute.POST, {
      method: 'POST',
      token: tokens.opWrite,
      body: { name: 'x', devices: [hidden], commands: ['show clock'] },
    });
    expect([r.status, Object.keys(r.json.errors as object)]).toEqual([422, ['devices']]);
    const nl = await call(tasksRoute.POST, {
      method: 'POST',
      token: tokens.opWrite,
      body: { name: 'x', devices: [hidden], commands: ['show clock\nreload'] },
    });
    expect(nl.status).toBe(422);
    expect(Object.keys(nl.json.errors as object)).toEqual(['commands.0']);
  });

  it('runs a task on lab devices and pages its device rows with outputs', async () => {
    const ids = [await portal.deviceId('lab-vrp-01'), await portal.deviceId('lab-ios-01')];
    const created = await call(tasksRoute.POST, {
      method: 'POST',
      token: tokens.opWrite,
      body: { name: 'clock', devices: ids, commands: ['display clock'], concurrency: 2, timeout_s: 30 },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    await expect
      .poll(async () => (await call(taskRoute.GET, { token: tokens.opRead, params: { id } })).json.status, {
        timeout: 20_000,
      })
      .toMatch(/completed|failed/);
    const page1 = await call(taskDevicesRoute.GET, {
      token: tokens.opRead,
      params: { id },
      path: `/tasks/${id}/devices?limit=1`,
    });
    expect((page1.json.items as unknown[]).length).toBe(1);
    expect(page1.json.next_cursor).toEqual(expect.any(String));
    const page2 = await call(taskDevicesRoute.GET, {
      token: tokens.opRead,
      params: { id },
      path: `/tasks/${id}/devices?limit=1&cursor=${page1.json.next_cursor as string}`,
    });
    const names = [
      ...(page1.json.items as { device_name: string }[]),
      ...(page2.json.items as { device_name: string }[]),
    ].map((d) => d.device_name);
    expect(names.sort()).toEqual(['lab-ios-01', 'lab-vrp-01']);
    expect(page2.json.next_cursor).toBeNull();
    const list = await call(tasksRoute.GET, { token: tokens.opRead, path: '/tasks?limit=100' });
    expect((list.json.items as { id: string }[]).some((t) => t.id === id)).toBe(true);
  });
});

describe('notifications', () => {
  it('lists what came after a sequence number, oldest first, and marks read (write tokens only)', async () => {
    await portal.feed.notify([portal.users.operator], {
      kind: 'device_down',
      title: 'sw-a is down',
      body: '',
    });
    await portal.feed.notify([portal.users.operator], {
      kind: 'device_up',
      title: 'sw-a is back',
      body: '',
    });
    const all = await call(notificationsRoute.GET, { token: tokens.opRead, path: '/notifications' });
    expect(all.status).toBe(200);
    const items = all.json.items as { seq: number; title: string }[];
    expect(items.map((n) => n.title).slice(-2)).toEqual(['sw-a is down', 'sw-a is back']);
    expect(all.json.last_seq).toBe(items.at(-1)!.seq);
    const after = await call(notificationsRoute.GET, {
      token: tokens.opRead,
      path: `/notifications?after_seq=${items.at(-2)!.seq}`,
    });
    expect((after.json.items as { title: string }[]).map((n) => n.title)).toEqual(['sw-a is back']);
    const ro = await call(notificationsReadRoute.POST, {
      method: 'POST',
      token: tokens.opRead,
      body: { all: true },
    });
    expect(ro.status).toBe(403);
    const rw = await call(notificationsReadRoute.POST, {
      method: 'POST',
      token: tokens.opWrite,
      body: { all: true },
    });
    expect(rw.json).toEqual({ unread: 0 });
    expect(
      (await portal.db.auditEvent.findFirstOrThrow({ where: { action: 'notifications.read' } })).detail,
    ).toContain('via API token');
    const other = await call(notificationsRoute.GET, { token: tokens.op2Write, path: '/notifications' });
    expect((other.json.items as { title: string }[]).some((n) => n.title.startsWith('sw-a'))).toBe(false);
  });
});

describe('users (admins)', () => {
  it('admins create users, change role and password, and set grants; others get 403', async () => {
    expect((await call(usersRoute.GET, { token: tokens.opWrite, path: '/users' })).status).toBe(403);
    const made = await call(usersRoute.POST, {
      method: 'POST',
      token: tokens.adminWrite,
      body: { username: 'api-user', role: 'viewer', password: 'a-long-password-1' },
    });
    expect(made.status).toBe(201);
    const id = made.json.id as string;
    expect(made.text).not.toContain('a-long-password-1');
    const again = await call(usersRoute.POST, {
      method: 'POST',
      token: tokens.adminWrite,
      body: { username: 'api-user', role: 'viewer', password: 'a-long-password-1' },
    });
    expect([again.status, again.json.code]).toEqual([409, 'conflict']);
    const weak = await call(userRoute.PATCH, {
      method: 'PATCH',
      token: tokens.adminWrite,
      params: { id },
      body: { password: 'short' },
    });
    expect([weak.status, Object.keys(weak.json.errors as object)]).toEqual([422, ['password']]);
    const role = await call(userRoute.PATCH, {
      method: 'PATCH',
      token: tokens.adminWrite,
      params: { id },
      body: { role: 'operator' },
    });
    expect(role.json).toMatchObject({ role: 'operator' });
    const lab = await portal.deviceId('lab-vrp-01');
    // an unknown device is an error and nothing changes
    const unknown = await call(grantsRoute.PUT, {
      method: 'PUT',
      token: tokens.adminWrite,
      params: { id },
      body: { devices: [lab, 'no-such-device'] },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json.detail).toContain('no-such-device');
    // a plain id (the first shape) means the highest level the role allows: operate for an operator
    const grants = await call(grantsRoute.PUT, {
      method: 'PUT',
      token: tokens.adminWrite,
      params: { id },
      body: { devices: [lab] },
    });
    expect(grants.json).toEqual({ devices: [{ id: lab, level: 'operate' }], groups: [] });
    expect((await call(userRoute.GET, { token: tokens.adminWrite, params: { id: 'nope' } })).status).toBe(
      404,
    );
    const list = await call(usersRoute.GET, { token: tokens.adminWrite, path: '/users?limit=2' });
    expect((list.json.items as unknown[]).length).toBe(2);
    expect(list.json.next_cursor).toEqual(expect.any(String));
    const audit = await portal.db.auditEvent.findMany({
      where: { target: 'api-user', action: { startsWith: 'user.' } },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(['user.create', 'user.grants', 'user.role']);
    expect(audit.every((a) => a.detail.includes('via API token'))).toBe(true);
  });
});
