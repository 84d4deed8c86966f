import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import { formatDuration } from '../lib/format/duration';
import { createTask } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';

const INTERVAL_MS = 150;
let portal: Portal;

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(4, LAB_CREDS), statusIntervalMs: INTERVAL_MS });
  // every lab device is online once the first round has run
  await vi.waitFor(
    async () => expect(await portal.db.device.count({ where: { status: 'online' } })).toBe(4),
    { timeout: 5000, interval: 25 },
  );
});
afterAll(() => portal.close());

async function hello(user: string, lastSeq: number) {
  const c = await TestClient.open(portal, '/ws/notifications', user);
  c.send({ type: 'hello', last_seq: lastSeq });
  await c.waitFrame('unread_count');
  return c;
}

const kindsOf = async (userId: string, deviceName: string) =>
  (
    await portal.db.notification.findMany({
      where: { userId, title: { startsWith: deviceName } },
      orderBy: { seq: 'asc' },
    })
  ).map((n) => n.kind);

describe('device status and notifications', () => {
  it('a device taken down goes offline within an interval plus hysteresis, and back online; exactly one notification each way for those who can see it', async () => {
    const id = await portal.deviceId('lab-ios-02'); // not granted to `operator`
    const seesIt = await hello(portal.users.operator2, await portal.feed.latestSeq(portal.users.operator2));
    const blind = await hello(portal.users.operator, await portal.feed.latestSeq(portal.users.operator));

    const downAt = Date.now();
    await portal.labControl.setUp('lab-ios-02', false);
    await vi.waitFor(
      async () =>
        expect((await portal.db.device.findUniqueOrThrow({ where: { id } })).status).toBe('offline'),
      {
        timeout: 5000,
        interval: 20,
      },
    );
    // two failed probes (hysteresis) one interval apart, plus a round in progress
    expect(Date.now() - downAt).toBeLessThan(INTERVAL_MS * 4 + 1000);
    await seesIt.waitUntil(
      () =>
        seesIt.frames.find((f) => f.type === 'device_status' && f.device_id === id && f.status === 'offline'),
      'offline push',
    );

    await portal.labControl.setUp('lab-ios-02', true);
    await vi.waitFor(
      async () => expect((await portal.db.device.findUniqueOrThrow({ where: { id } })).status).toBe('online'),
      {
        timeout: 5000,
        interval: 20,
      },
    );
    await seesIt.waitUntil(
      () =>
        seesIt.frames.find((f) => f.type === 'device_status' && f.device_id === id && f.status === 'online'),
      'online push',
    );
    const down = await seesIt.waitUntil(
      () => seesIt.frames.find((f) => f.type === 'notification' && f.kind === 'device_down'),
      'down notification',
    );
    expect(down.title).toBe('lab-ios-02 is down');
    // the facts behind the words travel with them, for the reader's language
    expect(down.params).toMatchObject({ device: 'lab-ios-02' });
    expect(typeof (down.params as Record<string, unknown> | undefined)?.host).toBe('string');
    const up = await seesIt.waitUntil(
      () => seesIt.frames.find((f) => f.type === 'notification' && f.kind === 'device_up'),
      'up notification',
    );

    // one notification per user, written one user after another: the pushed one may not be the last
    await vi.waitFor(
      async () => {
        for (const user of [portal.users.admin, portal.users.operator2, portal.users.viewer])
          expect(await kindsOf(user, 'lab-ios-02')).toEqual(['device_down', 'device_up']);
      },
      { timeout: 5000, interval: 20 },
    );
    expect(await kindsOf(portal.users.operator, 'lab-ios-02')).toEqual([]);
    expect(blind.frames.some((f) => f.device_id === id || f.kind === 'device_down')).toBe(false);
    const transitions = await portal.db.deviceStatusChange.findMany({
      where: { deviceId: id },
      orderBy: { at: 'asc' },
    });
    expect(transitions.map((t) => `${t.previous}->${t.status}`)).toEqual([
      'unknown->online',
      'online->offline',
      'offline->online',
    ]);
    // the up notification says how long the outage lasted, from the recorded transitions
    const outage = transitions[2]!.at.getTime() - transitions[1]!.at.getTime();
    expect(up.title).toBe(`lab-ios-02 is back online after ${formatDuration(outage)}`);
    expect(up.params).toMatchObject({ device: 'lab-ios-02', outageMs: outage });
    await Promise.all([seesIt.close(), blind.close()]);
  });

  it('a client disconnected while five notifications are created receives exactly those five, in order, on reconnect', async () => {
    const user = portal.users.viewer;
    const before = await portal.feed.latestSeq(user);
    const first = await hello(user, before);
    await first.close();
    for (let i = 1; i <= 5; i++)
      await portal.feed.notify([user], { kind: 'task_completed', title: `missed ${i}` });
    const back = await TestClient.open(portal, '/ws/notifications', user);
    back.send({ type: 'hello', last_seq: before });
    await back.waitFrame('unread_count');
    const got = back.frames.filter((f) => f.type === 'notification');
    expect(got.map((f) => [f.seq, f.title])).toEqual([1, 2, 3, 4, 5].map((i) => [before + i, `missed ${i}`]));
    await back.close();
  });

  it('mark all read zeroes the count on every open connection of that user', async () => {
    const user = portal.users.operator2;
    await portal.feed.notify([user], { kind: 'task_failed', title: 'something' });
    const seq = await portal.feed.latestSeq(user);
    const a = await hello(user, seq);
    const b = await hello(user, seq);
    expect(a.frames.find((f) => f.type === 'unread_count')!.count).toBeGreaterThan(0);
    await portal.feed.markAllRead(user);
    for (const c of [a, b])
      await c.waitUntil(() => c.frames.find((f) => f.type === 'unread_count' && f.count === 0), 'unread 0');
    expect(await portal.feed.unreadCount(user)).toBe(0);
    await Promise.all([a.close(), b.close()]);
  });

  it('a sequence from the future or the far past gets bounded answers; other frames get errors', async () => {
    const user = portal.users.admin;
    const latest = await portal.feed.latestSeq(user);
    const c = await TestClient.open(portal, '/ws/notifications', user);
    c.send({ type: 'hello', last_seq: latest + 1000 });
    expect(await c.waitFrame('error')).toMatchObject({ code: 'bad_sequence' });
    expect(await c.waitFrame('notification_resync')).toMatchObject({ last_seq: latest });

    await c.close();

    // 205 missed while away: more than the replay bound
    for (let i = 0; i < 205; i++)
      await portal.feed.notify([user], { kind: 'task_completed', title: `bulk ${i}` });
    const d = await TestClient.open(portal, '/ws/notifications', user);
    d.send({ type: 'hello', last_seq: 0 });
    expect(await d.waitFrame('notification_resync')).toMatchObject({ last_seq: latest + 205 });
    await d.waitFrame('unread_count');
    expect(d.frames.filter((f) => f.type === 'notification')).toHaveLength(0); // no flood

    for (const bad of ['{"type":"subscribe_task","task_id":"x"}', '{"type":"hello","last_seq":-1}', 'nope'])
      d.send(bad);
    await d.waitUntil(() => d.frames.filter((f) => f.type === 'error').length >= 3, 'error frames');
    expect(d.frames.filter((f) => f.type === 'error').map((f) => f.code)).toEqual([
      'unknown_type',
      'bad_frame',
      'bad_json',
    ]);
    await d.close();
  });

  it("a task's owner is told when it completes, and no one else", async () => {
    const owner = portal.users.operator;
    const device = await portal.deviceId('lab-vrp-01');
    const r = await createTask(
      { id: owner, role: 'operator' },
      {
        name: 'notify me',
        commands: 'display clock',
        deviceIds: [device],
        concurrency: '1',
        timeoutSeconds: '10',
      },
      portal.tasks,
    );
    expect(r.ok).toBe(true);
    await vi.waitFor(
      async () =>
        expect(await portal.db.notification.count({ where: { title: 'Task "notify me" completed' } })).toBe(
          1,
        ),
      { timeout: 10_000, interval: 25 },
    );
    const n = await portal.db.notification.findFirstOrThrow({
      where: { title: 'Task "notify me" completed' },
    });
    expect(n).toMatchObject({ userId: owner, kind: 'task_completed', body: 'The device succeeded.' });
    expect(JSON.parse(n.params)).toEqual({ task: 'notify me', total: 1, failed: 0, skipped: 0 });
  });

  it('a completed task with skipped devices does not claim they all succeeded', async () => {
    const owner = portal.users.operator;
    const r = await createTask(
      { id: owner, role: 'operator' },
      {
        name: 'notify skipped',
        commands: '',
        vendorCommands: JSON.stringify({ huawei_vrp: 'display clock' }),
        deviceIds: [await portal.deviceId('lab-vrp-01'), await portal.deviceId('lab-ios-01')],
        concurrency: '2',
        timeoutSeconds: '10',
      },
      portal.tasks,
    );
    expect(r.ok).toBe(true);
    const title = 'Task "notify skipped" completed';
    await vi.waitFor(async () => expect(await portal.db.notification.count({ where: { title } })).toBe(1), {
      timeout: 10_000,
      interval: 25,
    });
    const n = await portal.db.notification.findFirstOrThrow({ where: { title } });
    expect(n.body).toBe('1 of 2 devices succeeded, 1 skipped.');
    expect(JSON.parse(n.params)).toEqual({ task: 'notify skipped', total: 2, failed: 0, skipped: 1 });
  });

  it('a device back online after a long outage: the title gives its length in minutes and seconds', async () => {
    const id = await portal.deviceId('lab-vrp-02');
    const upAt = new Date();
    // an outage that began 4 min 12 s ago, as the status monitor would have recorded it
    await portal.db.deviceStatusChange.create({
      data: { deviceId: id, status: 'offline', previous: 'online', at: new Date(upAt.getTime() - 252_000) },
    });
    await portal.bus.publish('device.status.changed', {
      deviceId: id,
      status: 'online',
      previous: 'offline',
      reason: 'probe succeeded',
      at: upAt.toISOString(),
    });
    await vi.waitFor(
      async () =>
        expect(
          await portal.db.notification.count({
            where: { userId: portal.users.admin, title: 'lab-vrp-02 is back online after 4 min 12 s' },
          }),
        ).toBe(1),
      { timeout: 5000, interval: 25 },
    );
  });

  it('preferences: a user who turned a kind off gets none of it', async () => {
    const user = portal.users.viewer;
    await portal.feed.setKinds(user, ['device_up']);
    expect(await portal.feed.notify([user], { kind: 'device_down', title: 'x' })).toBe(0);
    expect(await portal.feed.notify([user], { kind: 'device_up', title: 'y' })).toBe(1);
    await portal.feed.setKinds(user, ['device_down', 'device_up', 'task_completed', 'task_failed']);
  });
});
