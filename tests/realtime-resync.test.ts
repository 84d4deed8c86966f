import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from 'next-auth/jwt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../lib/auth/tokens';
import { REVOCATION_REASONS } from '../lib/auth/session-version';
import { NOTIFICATION_REPLAY_MAX } from '../lib/notifications/feed';
import { createRealtime } from '../lib/realtime';
import { accessLookups, SESSION_ENDED_REASON, type AccountState } from '../lib/realtime/access';
import { monitorClientMessage } from '../lib/realtime/protocol';
import { MONITOR_SNAPSHOT_TASKS } from '../lib/realtime/handlers/monitor';
import WebSocket from 'ws';
import { startPortal, TEST_SECRET, TestClient, type Frame, type Portal } from './harness';

/**
 * In a cluster the event bus loses what is published while a node is cut off from Redis. These
 * tests lose events on purpose, by changing the database without publishing, then run the resync the
 * bus' `onReconnect` triggers, and check that each socket ends up as if it had heard everything.
 */
let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});
afterAll(() => portal.close());

let n = 0;
/** A fresh user (each test changes its own), granted every lab device but `except`. */
async function newUser(role: 'operator' | 'viewer' | 'admin', except: string[] = []) {
  const u = await portal.db.user.create({
    data: { username: `resync-${role}-${++n}`, role, passwordHash: 'unused' },
  });
  for (const d of await portal.db.device.findMany())
    if (!except.includes(d.name))
      await portal.db.deviceGrant.create({ data: { userId: u.id, deviceId: d.id } });
  return u.id;
}

type Closed = { code: number; reason: string };
interface Tracked {
  client: TestClient;
  closedWith: Promise<Closed>;
}

function track(client: TestClient): Tracked {
  const closedWith = new Promise<Closed>((resolve) =>
    client.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return { client, closedWith };
}

const open = async (path: string, userId: string) => track(await TestClient.open(portal, path, userId));

/** A monitor socket, its connect snapshot received (a task_update for each of `expecting`). */
async function monitor(userId: string, expecting: string[] = []): Promise<Tracked> {
  const t = await open('/ws/monitor/tasks', userId);
  await t.client.waitUntil(
    () => expecting.every((id) => t.client.frames.some((f) => f.task_id === id)),
    'the connect snapshot',
  );
  return t;
}

/** A notifications socket that said hello with what it holds. */
async function feed(userId: string): Promise<Tracked> {
  const t = await open('/ws/notifications', userId);
  t.client.send({ type: 'hello', last_seq: await portal.feed.latestSeq(userId) });
  await t.client.waitFrame('unread_count');
  return t;
}

async function terminal(userId: string, device: string): Promise<Tracked & { sessionId: string }> {
  const t = await open(`/ws/terminal/${await portal.deviceId(device)}`, userId);
  t.client.send({ type: 'connect', cols: 80, rows: 24 });
  const hello = await t.client.waitFrame('terminal_connected', 10_000);
  await t.client.waitOutput(new RegExp(`${device}[>#]$`), 10_000);
  return { ...t, sessionId: hello.session_id as string };
}

/**
 * The frames a socket received from `from` up to an answer it provokes now: a frame of an unknown
 * type, answered in order with an error, so everything sent before the answer has arrived.
 */
async function framesUpToNow(t: Tracked, from: number): Promise<Frame[]> {
  const marker = `marker-${++n}`;
  t.client.send({ type: marker });
  await t.client.waitUntil(
    () => t.client.frames.slice(from).some((f) => f.type === 'error' && String(f.message).includes(marker)),
    `the answer to ${marker}`,
  );
  const got = t.client.frames.slice(from);
  return got.slice(
    0,
    got.findIndex((f) => f.type === 'error' && String(f.message).includes(marker)),
  );
}

/** A notification recorded without its event (what a node cut off from Redis never hears of). */
async function unheardNotification(userId: string, title: string) {
  return portal.db.$transaction(async (tx) => {
    const u = await tx.user.update({
      where: { id: userId },
      data: { notificationSeq: { increment: 1 } },
      select: { notificationSeq: true },
    });
    return tx.notification.create({
      data: { userId, seq: u.notificationSeq, kind: 'task_completed', title },
    });
  });
}

async function runningTask(ownerId: string, createdAt = new Date()) {
  return portal.db.task.create({
    data: {
      ownerId,
      name: `resync-task-${++n}`,
      commands: '[]',
      concurrency: 1,
      timeoutMs: 10_000,
      status: 'running',
      totalDevices: 2,
      completedDevices: 1,
      createdAt,
      devices: {
        create: [
          { deviceName: 'lab-ios-01', status: 'success', startedAt: new Date(), finishedAt: new Date() },
          { deviceName: 'lab-vrp-01', status: 'running', startedAt: new Date() },
        ],
      },
    },
  });
}

/** The task finishes while nobody hears it. */
async function finishUnheard(taskId: string) {
  await portal.db.taskDevice.updateMany({
    where: { taskId, status: 'running' },
    data: { status: 'failed', error: 'timed out', finishedAt: new Date() },
  });
  await portal.db.task.update({
    where: { id: taskId },
    data: { status: 'failed', completedDevices: 2, failedDevices: 1, succeededDevices: 1 },
  });
}

describe('task monitors after missed events', () => {
  it('a subscribed task that finished unheard is caught up: device rows, then its final update', async () => {
    const owner = await newUser('operator');
    const other = await newUser('operator');
    const task = await runningTask(owner);
    const watcher = await monitor(owner, [task.id]);
    watcher.client.send({ type: 'subscribe_task', task_id: task.id });
    await watcher.client.waitFrame('task_devices');
    const stranger = await monitor(other);
    const admin = await monitor(portal.users.admin, [task.id]);

    await finishUnheard(task.id);
    const queued = await portal.db.task.create({
      data: {
        ownerId: owner,
        name: 'created unheard',
        commands: '[]',
        concurrency: 1,
        timeoutMs: 1000,
        totalDevices: 1,
      },
    });
    const from = {
      watcher: watcher.client.frames.length,
      stranger: stranger.client.frames.length,
      admin: admin.client.frames.length,
    };
    const result = await portal.realtime.resync();
    expect(result.closed).toBe(0);
    expect(result.sockets).toBeGreaterThanOrEqual(3);

    const got = await framesUpToNow(watcher, from.watcher);
    const devices = got.find((f) => f.type === 'task_devices' && f.task_id === task.id);
    expect(devices).toMatchObject({ snapshot: true });
    expect(devices?.devices).toEqual([
      expect.objectContaining({ device_name: 'lab-ios-01', status: 'success' }),
      expect.objectContaining({ device_name: 'lab-vrp-01', status: 'failed', error: 'timed out' }),
    ]);
    const update = got.find((f) => f.type === 'task_update' && f.task_id === task.id);
    expect(update).toMatchObject({
      status: 'failed',
      progress: 100,
      completed_devices: 2,
      current_device: null,
    });
    expect(got.indexOf(devices!)).toBeLessThan(got.indexOf(update!));
    expect(got.find((f) => f.task_id === queued.id)).toMatchObject({ type: 'task_update', status: 'queued' });

    // an admin sees every task; another user none of these
    const adminGot = await framesUpToNow(admin, from.admin);
    expect(adminGot.find((f) => f.task_id === task.id)).toMatchObject({ status: 'failed' });
    expect(adminGot.some((f) => f.type === 'task_devices')).toBe(false); // not subscribed
    const strangerGot = await framesUpToNow(stranger, from.stranger);
    expect(strangerGot.filter((f) => f.task_id === task.id || f.task_id === queued.id)).toEqual([]);

    for (const t of [watcher, stranger, admin]) await t.client.close();
  });

  it('a task it was told is running is caught up even when newer tasks push it out of the snapshot', async () => {
    const owner = await newUser('operator');
    const old = await runningTask(owner, new Date(Date.now() - 3_600_000));
    const watcher = await monitor(owner, [old.id]);

    await finishUnheard(old.id);
    await portal.db.task.createMany({
      data: Array.from({ length: MONITOR_SNAPSHOT_TASKS }, (_, i) => ({
        ownerId: owner,
        name: `newer-${i}`,
        commands: '[]',
        concurrency: 1,
        timeoutMs: 1000,
        totalDevices: 1,
        status: 'completed',
        completedDevices: 1,
      })),
    });
    let from = watcher.client.frames.length;
    await portal.realtime.resync();
    let got = await framesUpToNow(watcher, from);
    expect(got.filter((f) => f.task_id === old.id)).toEqual([
      expect.objectContaining({ type: 'task_update', status: 'failed', progress: 100 }),
    ]);
    expect(got.filter((f) => f.type === 'task_update')).toHaveLength(MONITOR_SNAPSHOT_TASKS + 1);

    // told once: the next resync has nothing more to say about it
    from = watcher.client.frames.length;
    await portal.realtime.resync();
    got = await framesUpToNow(watcher, from);
    expect(got.filter((f) => f.task_id === old.id)).toEqual([]);
    await watcher.client.close();
  });
});

describe('notifications after missed events', () => {
  it('each socket gets the notifications it was not sent, in order, then the unread count', async () => {
    const user = await newUser('operator');
    await unheardNotification(user, 'before'); // already on the page when the sockets open
    const a = await feed(user);
    const b = await feed(user);
    const first = await unheardNotification(user, 'missed one');
    const second = await unheardNotification(user, 'missed two');

    const from = [a.client.frames.length, b.client.frames.length];
    await portal.realtime.resync();
    for (const [i, t] of [a, b].entries()) {
      const got = (await framesUpToNow(t, from[i]!)).filter((f) => f.type !== 'device_status');
      expect(got).toEqual([
        expect.objectContaining({ type: 'notification', seq: first.seq, id: first.id, title: 'missed one' }),
        expect.objectContaining({ type: 'notification', seq: second.seq, id: second.id }),
        { type: 'unread_count', count: 3, last_seq: second.seq },
      ]);
    }

    // a read elsewhere, unheard: the count follows; nothing is sent twice
    await portal.db.notification.updateMany({ where: { userId: user }, data: { readAt: new Date() } });
    const again = a.client.frames.length;
    await portal.realtime.resync();
    expect((await framesUpToNow(a, again)).filter((f) => f.type !== 'device_status')).toEqual([
      { type: 'unread_count', count: 0, last_seq: second.seq },
    ]);
    for (const t of [a, b]) await t.client.close();
  });

  it(`more than ${NOTIFICATION_REPLAY_MAX} missed: the socket is told to reload instead`, async () => {
    const user = await newUser('viewer');
    const t = await feed(user);
    const count = NOTIFICATION_REPLAY_MAX + 1;
    await portal.db.notification.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        userId: user,
        seq: i + 1,
        kind: 'device_down',
        title: `n${i}`,
      })),
    });
    await portal.db.user.update({ where: { id: user }, data: { notificationSeq: count } });

    const from = t.client.frames.length;
    await portal.realtime.resync();
    const got = (await framesUpToNow(t, from)).filter((f) => f.type !== 'device_status');
    expect(got).toEqual([
      expect.objectContaining({ type: 'notification_resync', last_seq: count }),
      { type: 'unread_count', count, last_seq: count },
    ]);
    await t.client.close();
  });

  it('device status changed unheard: each socket gets the current status of the devices its user sees', async () => {
    const user = await newUser('operator', ['lab-ios-02']);
    const [ios1, ios2, vrp1] = await Promise.all(
      ['lab-ios-01', 'lab-ios-02', 'lab-vrp-01'].map((d) => portal.deviceId(d)),
    );
    const changedAt = new Date('2030-01-02T03:04:05.000Z');
    await portal.db.device.update({
      where: { id: ios1 },
      data: { status: 'offline', statusChangedAt: changedAt },
    });
    await portal.db.device.update({
      where: { id: ios2 },
      data: { status: 'offline', statusChangedAt: changedAt },
    });
    await portal.db.device.update({
      where: { id: vrp1 },
      data: { status: 'online', statusChangedAt: changedAt },
    });
    const mine = await feed(user);
    const admin = await feed(portal.users.admin);

    const from = [mine.client.frames.length, admin.client.frames.length];
    await portal.realtime.resync();
    const statuses = async (t: Tracked, i: number) =>
      Object.fromEntries(
        (await framesUpToNow(t, from[i]!))
          .filter((f) => f.type === 'device_status')
          .map((f): [string, Frame] => [String(f.device_id), f]),
      );
    const seen = await statuses(mine, 0);
    expect(seen[ios1!]).toEqual({
      type: 'device_status',
      device_id: ios1,
      status: 'offline',
      timestamp: changedAt.toISOString(),
    });
    expect(seen[vrp1!]).toMatchObject({ status: 'online' });
    expect(seen[ios2!]).toBeUndefined(); // not theirs to see
    expect(Object.values(seen).every((f) => f.status !== 'unknown')).toBe(true);
    expect(await statuses(admin, 1)).toMatchObject({ [ios2!]: { status: 'offline' } });
    for (const t of [mine, admin]) await t.client.close();
  });
});

describe('access after missed revocations', () => {
  it('a user disabled unheard loses every socket and terminal session, as a live revocation closes them', async () => {
    const victim = await newUser('operator');
    const bystander = await newUser('operator');
    const term = await terminal(victim, 'lab-vrp-01');
    const sockets = [term, await monitor(victim), await feed(victim)];
    const kept = await feed(bystander);

    await portal.db.user.update({
      where: { id: victim },
      data: { disabled: true, sessionVersion: { increment: 1 } },
    });
    const result = await portal.realtime.resync();

    expect(result.closed).toBe(3);
    expect((await term.client.waitFrame('terminal_closed')).reason).toBe(REVOCATION_REASONS.disabled);
    for (const t of sockets)
      expect(await t.closedWith).toEqual({ code: 1008, reason: REVOCATION_REASONS.disabled });
    expect(portal.terminals.find(term.sessionId, victim, await portal.deviceId('lab-vrp-01'))).toBeNull();
    expect(kept.client.closed).toBe(false);
    await kept.client.close();
  });

  it('a session ended unheard closes its sockets; a socket of the session signed in since stays', async () => {
    const user = await newUser('operator');
    const before = await monitor(user);
    await portal.db.user.update({ where: { id: user }, data: { sessionVersion: { increment: 1 } } });
    const after = await monitor(user); // signed in again: the cookie carries the new version

    const from = after.client.frames.length;
    const result = await portal.realtime.resync();
    expect(result.closed).toBe(1);
    expect(await before.closedWith).toEqual({ code: 1008, reason: SESSION_ENDED_REASON });
    await framesUpToNow(after, from);
    expect(after.client.closed).toBe(false);
    await after.client.close();
  });

  it('a role changed unheard closes the sockets opened under the old role', async () => {
    const user = await newUser('operator');
    const t = await feed(user);
    await portal.db.user.update({ where: { id: user }, data: { role: 'viewer' } });
    await portal.realtime.resync();
    expect(await t.closedWith).toEqual({ code: 1008, reason: REVOCATION_REASONS.roleChanged });
  });

  it('an API token revoked unheard closes its sockets, not the same user’s browser', async () => {
    const user = await newUser('operator');
    const minted = await createApiToken({ id: user }, { name: 'resync', scope: 'read' }, portal.runtime);
    if (!minted.ok) throw new Error('token not created');
    const ws = new WebSocket(`${portal.wsBase}/ws/notifications`, {
      headers: { Authorization: `Bearer ${minted.token}` },
    });
    const closedWith = new Promise<Closed>((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const browser = await feed(user);

    await portal.db.apiToken.update({ where: { id: minted.view.id }, data: { revokedAt: new Date() } });
    const result = await portal.realtime.resync();
    expect(result.closed).toBe(1);
    expect(await closedWith).toEqual({ code: 1008, reason: 'This token was revoked.' });
    await framesUpToNow(browser, browser.client.frames.length);
    expect(browser.client.closed).toBe(false);
    await browser.client.close();
  });

  it('a grant removed unheard closes that device’s terminal of that user, with the reason', async () => {
    const user = await newUser('operator');
    const lost = await terminal(user, 'lab-vrp-02');
    const kept = await terminal(user, 'lab-ios-01');
    const other = await newUser('operator');
    const othersTerm = await terminal(other, 'lab-vrp-02');

    await portal.db.deviceGrant.deleteMany({
      where: { userId: user, deviceId: await portal.deviceId('lab-vrp-02') },
    });
    const result = await portal.realtime.resync();

    expect(result.closed).toBe(1);
    const reason = 'Your access to lab-vrp-02 was removed.';
    expect((await lost.client.waitFrame('terminal_closed')).reason).toBe(reason);
    expect(await lost.closedWith).toEqual({ code: 1008, reason });
    expect(portal.terminals.find(lost.sessionId, user, await portal.deviceId('lab-vrp-02'))).toBeNull();
    for (const t of [kept, othersTerm]) {
      t.client.send({ type: 'ping', ts: 1 });
      await t.client.waitFrame('pong');
      expect(t.client.closed).toBe(false);
      t.client.send({ type: 'close' });
      await t.client.waitFrame('terminal_closed');
      await t.client.close();
    }
  });
});

describe('nothing missed', () => {
  it('sockets that missed nothing stay open and get only the state they already have', async () => {
    const user = await newUser('operator');
    const task = await runningTask(user);
    const m = await monitor(user, [task.id]);
    const f = await feed(user);
    const term = await terminal(user, 'lab-ios-01');
    const sent = (t: Tracked) => t.client.frames.length;
    const from = [sent(m), sent(f), sent(term)];

    const twice = await Promise.all([portal.realtime.resync(), portal.realtime.resync()]);
    for (const r of twice) expect(r.closed).toBe(0);

    const monitorGot = await framesUpToNow(m, from[0]!);
    expect(monitorGot.filter((x) => x.task_id === task.id).length).toBeGreaterThan(0);
    for (const x of monitorGot)
      expect(x).toMatchObject({ type: 'task_update', status: 'running', progress: 50 });
    const feedGot = await framesUpToNow(f, from[1]!);
    expect(new Set(feedGot.map((x) => x.type))).toEqual(new Set(['unread_count', 'device_status']));
    expect(feedGot.filter((x) => x.type === 'unread_count')).toContainEqual({
      type: 'unread_count',
      count: 0,
      last_seq: 0,
    });
    expect(await framesUpToNow(term, from[2]!)).toEqual([]); // a terminal has nothing to catch up
    for (const t of [m, f]) expect(t.client.closed).toBe(false);
    term.client.send({ type: 'close' });
    await term.client.waitFrame('terminal_closed');
    for (const t of [m, f, term]) await t.client.close();
  });
});

describe('the batched reads behind the resync', () => {
  it('accessLookups answers as findUser and checkTokenById do, in one query each', async () => {
    const user = await newUser('operator');
    const lookups = accessLookups(portal.db);
    expect(await lookups.findUsers([user, 'no-such-user'])).toEqual([
      { id: user, role: 'operator', disabled: false, sessionVersion: 0 },
    ]);
    const mint = async (name: string) => {
      const r = await createApiToken({ id: user }, { name, scope: 'read' }, portal.runtime);
      if (!r.ok) throw new Error('token not created');
      return r.view.id;
    };
    const [good, revoked, expired] = [await mint('good'), await mint('revoked'), await mint('expired')];
    await portal.db.apiToken.update({ where: { id: revoked }, data: { revokedAt: new Date() } });
    await portal.db.apiToken.update({
      where: { id: expired },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(Object.fromEntries(await lookups.checkTokens([good, revoked, expired, 'no-such-token']))).toEqual({
      [good]: { ok: true },
      [revoked]: { ok: false, message: 'This token was revoked.' },
      [expired]: { ok: false, message: 'This token has expired.' },
      'no-such-token': { ok: false, message: 'Unknown token.' },
    });
  });
});

describe('an upgrade in flight when a resync begins', () => {
  /**
   * The upgrade read the account before the unheard change; the resync cannot see a socket not yet
   * open. Whether the upgrade still reads the old account decides between 101 and 401.
   */
  async function race(withResync: boolean): Promise<number> {
    const account: AccountState & { username: string } = {
      id: 'u1',
      username: 'u1',
      role: 'operator',
      disabled: false,
      sessionVersion: 0,
    };
    let entered!: () => void;
    const inAuthorise = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const realtime = createRealtime({
      log: pino({ level: 'silent' }),
      secret: TEST_SECRET,
      allowedOrigins: [],
      trustProxy: false,
      maxFrameBytes: 4096,
      heartbeatMs: 60_000,
      findUser: async () => ({ ...account }),
      handlers: [
        {
          channel: 'monitor',
          inbound: monitorClientMessage,
          inboundTypes: ['subscribe_task', 'unsubscribe_task'],
          async authorise() {
            if (++calls === 1) {
              entered();
              await gate;
            }
            return { ok: true };
          },
          onMessage() {},
        },
      ],
    });
    const server = createServer((_req, res) => res.end());
    server.on('upgrade', (req, socket, head) => void realtime.handleUpgrade(req, socket, head));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const cookie = `next-auth.session-token=${await encode({ token: { sub: 'u1', sv: 0 }, secret: TEST_SECRET, maxAge: 60 })}`;
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/monitor/tasks`, {
        headers: { Origin: `http://127.0.0.1:${port}`, Cookie: cookie },
      });
      const status = new Promise<number>((resolve) => {
        ws.once('open', () => resolve(101));
        ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
        ws.once('error', () => resolve(0));
      });
      await inAuthorise;
      account.disabled = true; // unheard
      if (withResync) expect(await realtime.resync()).toEqual({ sockets: 0, closed: 0 });
      release();
      const code = await status;
      ws.close();
      return code;
    } finally {
      await realtime.close();
      server.close();
    }
  }

  it('is decided again from the database, so a change the resync corrects cannot slip through', async () => {
    expect(await race(false)).toBe(101); // the change unheard and no resync: nothing could know
    expect(await race(true)).toBe(401);
  });
});
