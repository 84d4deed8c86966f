import net from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboard } from '../app/(portal)/_dashboard/queries';
import type { CurrentUser } from '../lib/auth/session';
import { deviceTimeline, getDevicePage } from '../lib/devices/device-page';
import { startPortal, type Portal } from './harness';

/** The harness's STATUS_PROBE_TIMEOUT_MS. */
const PROBE_TIMEOUT_MS = 500;
/** Two small queries on top of the probe. */
const SLACK_MS = 400;

let portal: Portal;
const as = (id: string, role: CurrentUser['role']): CurrentUser => ({
  id,
  role,
  username: role,
  displayName: '',
});

beforeAll(async () => {
  // no background rounds: every probe in this file is one the test asks for
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

describe('Probe now (StatusMonitor.probeOne)', () => {
  it('a stopped lab device goes offline after the hysteresis, each probe answering within the probe timeout; back online at the first good probe', async () => {
    const id = await portal.deviceId('lab-ios-02');
    const events: { deviceId: string; status: string }[] = [];
    const unsubscribe = portal.bus.subscribe('device.status.changed', (e) => void events.push(e));

    const first = await portal.status.probeOne(id);
    expect(first).toMatchObject({ ok: true, reachable: true, status: 'online', previous: 'unknown' });

    await portal.labControl.setUp('lab-ios-02', false);
    const probes = [];
    for (let i = 0; i < 2; i++) {
      const started = Date.now();
      const r = await portal.status.probeOne(id);
      expect(Date.now() - started).toBeLessThan(PROBE_TIMEOUT_MS + SLACK_MS);
      probes.push(r);
    }
    // one lost probe is not an outage (STATUS_OFFLINE_AFTER = 2), the second is
    expect(probes[0]).toMatchObject({
      ok: true,
      reachable: false,
      status: 'online',
      fails: 1,
      offlineAfter: 2,
    });
    expect(probes[1]).toMatchObject({
      ok: true,
      reachable: false,
      status: 'offline',
      previous: 'online',
      fails: 2,
    });
    expect(probes[1]!.ok && probes[1]!.reason).toBe('connection refused');
    const stored = await portal.db.device.findUniqueOrThrow({ where: { id } });
    expect(stored.status).toBe('offline');

    await portal.labControl.setUp('lab-ios-02', true);
    expect(await portal.status.probeOne(id)).toMatchObject({ ok: true, reachable: true, status: 'online' });
    unsubscribe();
    // reported like a round's transitions: stored once each and published (notifications follow)
    expect(events.filter((e) => e.deviceId === id).map((e) => e.status)).toEqual([
      'online',
      'offline',
      'online',
    ]);
    const changes = await portal.db.deviceStatusChange.findMany({
      where: { deviceId: id },
      orderBy: { at: 'asc' },
    });
    expect(changes.map((c) => `${c.previous}→${c.status}`)).toEqual([
      'unknown→online',
      'online→offline',
      'offline→online',
    ]);
  });

  it('a device that accepts but never answers: the probe gives up at the probe timeout, not later', async () => {
    const silent = net.createServer(() => {}); // accepts, says nothing
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const lab = await portal.db.device.findUniqueOrThrow({ where: { name: 'lab-vrp-01' } });
      const { id } = await portal.db.device.create({
        data: {
          name: 'silent-box',
          host: '127.0.0.1',
          port: (silent.address() as AddressInfo).port,
          vendor: 'cisco_ios',
          username: 'x',
          authType: 'password',
          secretEnc: lab.secretEnc,
        },
      });
      const started = Date.now();
      const r = await portal.status.probeOne(id);
      const took = Date.now() - started;
      expect(r).toMatchObject({
        ok: true,
        reachable: false,
        reason: `no SSH banner within ${PROBE_TIMEOUT_MS} ms`,
      });
      expect(took).toBeGreaterThanOrEqual(PROBE_TIMEOUT_MS - 20);
      expect(took).toBeLessThan(PROBE_TIMEOUT_MS + SLACK_MS);
    } finally {
      silent.close();
    }
  });

  it('an unknown id is a clear error value, not a throw', async () => {
    expect(await portal.status.probeOne('no-such-device')).toEqual({
      ok: false,
      code: 'not_found',
      message: 'No device with id no-such-device.',
    });
  });

  it('a device behind a jump host is not probed directly', async () => {
    const hop = await portal.deviceId('lab-vrp-01');
    const lab = await portal.db.device.findUniqueOrThrow({ where: { id: hop } });
    const { id } = await portal.db.device.create({
      data: {
        name: 'behind-hop',
        host: '10.255.0.1',
        vendor: 'cisco_ios',
        username: 'x',
        authType: 'password',
        secretEnc: lab.secretEnc,
        jumpHostId: hop,
      },
    });
    expect(await portal.status.probeOne(id)).toMatchObject({ ok: false, code: 'behind_jump_host' });
  });
});

describe('the device page queries', () => {
  it('the timeline shows a stored outage with its reason, and uptime below 100 %', async () => {
    // its own device and history (not the probes of another test): added 50 min ago, online, down
    // for 20 min, back
    const now = Date.now();
    const at = (minAgo: number) => new Date(now - minAgo * 60_000);
    const device = await portal.db.device.create({
      data: {
        name: 'timeline-own',
        host: '192.0.2.77',
        vendor: 'generic',
        username: 'u',
        authType: 'password',
        secretEnc: 'x',
        status: 'online',
        createdAt: at(50),
      },
    });
    for (const [minAgo, previous, status, reason] of [
      [45, 'unknown', 'online', 'SSH banner received'],
      [30, 'online', 'offline', 'connection refused'],
      [10, 'offline', 'online', 'SSH banner received'],
    ] as const)
      await portal.db.deviceStatusChange.create({
        data: { deviceId: device.id, previous, status, reason, at: at(minAgo) },
      });
    const t = await deviceTimeline(portal.db, device, '24h');
    // added in the window: the band starts when it was added
    expect(t.from).toBe(device.createdAt.getTime());
    expect(t.axisFrom).toBeLessThan(t.from);
    expect(t.segments.map((s) => s.status)).toEqual(['unknown', 'online', 'offline', 'online']);
    expect(t.segments[2]!.reason).toBe('connection refused');
    expect(t.segments[0]!.from).toBe(t.from);
    expect(t.segments.at(-1)!.to).toBe(t.to);
    // online 15 + 10 of the 45 known minutes
    expect(t.uptime).toBeGreaterThan(50);
    expect(t.uptime).toBeLessThan(60);
    expect(t.changes.map((c) => c.status)).toEqual(['online', 'offline', 'online']); // newest first

    // a week: the same changes (nothing older exists)
    const week = await deviceTimeline(portal.db, device, '7d');
    expect(week.segments.map((s) => s.status)).toEqual(['unknown', 'online', 'offline', 'online']);
    await portal.db.device.delete({ where: { id: device.id } }); // the dashboard test counts devices
  });

  it('before the window: the band starts in the status of the last change before it', async () => {
    const device = await portal.db.device.findUniqueOrThrow({ where: { name: 'lab-vrp-02' } });
    const old = new Date(Date.now() - 3 * 24 * 3600_000);
    await portal.db.device.update({ where: { id: device.id }, data: { createdAt: old, status: 'offline' } });
    await portal.db.deviceStatusChange.create({
      data: {
        deviceId: device.id,
        previous: 'online',
        status: 'offline',
        reason: 'connection refused',
        at: old,
      },
    });
    const t = await deviceTimeline(portal.db, { ...device, createdAt: old, status: 'offline' }, '24h');
    expect(t.segments).toHaveLength(1);
    expect(t.segments[0]).toMatchObject({ status: 'offline', from: t.axisFrom });
    expect(t.uptime).toBe(0);
  });

  it('levels: admin operates, a viewer with a grant views read-only, a user without a grant gets nothing', async () => {
    const id = await portal.deviceId('lab-ios-02');
    await portal.status.probeOne(id); // a status with its reason, whatever ran before
    expect((await getDevicePage(as(portal.users.admin, 'admin'), id, portal))?.level).toBe('operate');
    expect((await getDevicePage(as(portal.users.viewer, 'viewer'), id, portal))?.level).toBe('view');
    expect(await getDevicePage(as(portal.users.operator, 'operator'), id, portal)).toBeNull(); // no grant
    const page = await getDevicePage(as(portal.users.admin, 'admin'), id, portal);
    expect(page).toMatchObject({ statusReason: 'SSH banner received', lastSeen: 'now' });
  });

  it('recent terminal sessions come from the audit log; others only see their own', async () => {
    const id = await portal.deviceId('lab-ios-02');
    // three moments a second apart (audit rows written in the same millisecond have no order)
    const t0 = Date.now() - 10_000;
    const rows = [
      { userId: portal.users.operator2, action: 'terminal.open', detail: 'session 1' },
      { userId: portal.users.operator2, action: 'terminal.close', detail: 'closed by the user (after 3 s)' },
      { userId: portal.users.admin, action: 'terminal.open', detail: 'session 2' },
    ];
    for (const [i, r] of rows.entries())
      await portal.db.auditEvent.create({
        data: { ...r, target: 'lab-ios-02', at: new Date(t0 + i * 1000) },
      });
    const admin = await getDevicePage(as(portal.users.admin, 'admin'), id, portal);
    expect(admin!.sessions.map((s) => `${s.user} ${s.action}`)).toEqual([
      'admin open',
      'op2 close',
      'op2 open',
    ]);
    const op2 = await getDevicePage(as(portal.users.operator2, 'operator'), id, portal);
    expect(op2!.sessions.map((s) => `${s.user} ${s.action}`)).toEqual(['op2 close', 'op2 open']);
  });
});

describe('the dashboard query', () => {
  it('counts, outages (longest first) and the online series follow the stored status, through visibility', async () => {
    const idA = await portal.deviceId('lab-ios-01');
    const idB = await portal.deviceId('lab-vrp-01');
    // two probes each with the lab device stopped: offline
    for (const [name, id] of [
      ['lab-ios-01', idA],
      ['lab-vrp-01', idB],
    ] as const) {
      await portal.status.probeOne(id);
      await portal.labControl.setUp(name, false);
      await portal.status.probeOne(id);
      await portal.status.probeOne(id);
    }
    try {
      const d = await loadDashboard(as(portal.users.admin, 'admin'), portal.db);
      const total = await portal.db.device.count();
      expect(d.total).toBe(total);
      expect(d.byStatus.offline).toBe(await portal.db.device.count({ where: { status: 'offline' } }));
      const names = d.outages.map((o) => o.name);
      expect(names.indexOf('lab-ios-01')).toBeLessThan(names.indexOf('lab-vrp-01')); // down longer
      expect(d.outages.find((o) => o.name === 'lab-vrp-01')?.reason).toBe('connection refused');
      expect(d.online.at(-1)!.online).toBe(d.byStatus.online);
      expect(d.online).toHaveLength(97);
      // the operator is not granted lab-ios-02 (nor devices other tests add): their counts leave them out
      const op = await loadDashboard(as(portal.users.operator, 'operator'), portal.db);
      const theirs = await portal.db.device.count({
        where: { grants: { some: { userId: portal.users.operator } } },
      });
      expect(op.total).toBe(theirs);
      expect(op.total).toBeLessThan(d.total);
    } finally {
      await portal.labControl.setUp('lab-ios-01', true);
      await portal.labControl.setUp('lab-vrp-01', true);
    }
  });
});
