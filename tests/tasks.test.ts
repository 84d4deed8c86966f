import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { credentialContext } from '../lib/devices/credentials';
import { defaultLabFleet } from '../lab';
import type { LabDeviceSpec } from '../lab/types';
import { cancelTask, createTask, getTaskDetail, retryFailed } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, TestClient, waitFinalDetail, type Portal } from './harness';

let portal: Portal;
let closedPort: number;

const special = (name: string, extra: Partial<LabDeviceSpec>): LabDeviceSpec => ({
  name,
  vendor: 'huawei_vrp',
  port: 0,
  ...LAB_CREDS,
  ...extra,
});

beforeAll(async () => {
  portal = await startPortal({
    lab: [
      ...defaultLabFleet(200, LAB_CREDS, 'huawei_vrp'),
      ...defaultLabFleet(2, LAB_CREDS, 'cisco_ios'),
      special('slow-01', { latencyMs: 150 }),
      ...Array.from({ length: 11 }, (_, i) =>
        special(`slow-${String(i + 2).padStart(2, '0')}`, { latencyMs: 150 }),
      ),
      special('bad-refuse', { faults: { refuseLogin: true } }),
      special('bad-hang', { faults: { hang: 'session' } }),
      special('bad-drop', { latencyMs: 300, faults: { dropAfterMs: 150 } }),
    ],
  });
  // a device whose port has nobody listening
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  closedPort = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  await portal.db.device.create({
    data: {
      id: 'unreachable-1',
      name: 'bad-unreachable',
      host: '127.0.0.1',
      port: closedPort,
      vendor: 'huawei_vrp',
      username: 'x',
      authType: 'password',
      secretEnc: portal.vault.seal('x', credentialContext('unreachable-1', 'secret')),
    },
  });
}, 60_000);
afterAll(() => portal.close());

const admin = () => ({ id: portal.users.admin, role: 'admin' as const });
const operator = () => ({ id: portal.users.operator, role: 'operator' as const });

async function ids(where: { startsWith?: string; names?: string[] }) {
  const rows = await portal.db.device.findMany({
    where: where.names ? { name: { in: where.names } } : { name: { startsWith: where.startsWith } },
    orderBy: { name: 'asc' },
  });
  return rows.map((r) => r.id);
}

/** 200 devices, and devices that fail only at their timeout, take longer than the harness default. */
const TASK_WAIT_MS = 60_000;

async function create(
  actor: { id: string; role: 'admin' | 'operator' },
  deviceIds: string[],
  commands: string[],
  extra = {},
) {
  const r = await createTask(
    actor,
    {
      name: 'test',
      commands: commands.join('\n'),
      deviceIds,
      concurrency: '20',
      timeoutSeconds: '10',
      ...extra,
    },
    portal.tasks,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.id;
}

describe('commands per vendor', () => {
  it('a mixed-vendor task runs each vendor its own commands and skips a vendor it has none for', async () => {
    const vrp = (await ids({ startsWith: 'lab-vrp-' })).slice(0, 2);
    const ios = await ids({ startsWith: 'lab-ios-' });
    expect(ios).toHaveLength(2);
    // a Junos router the lab does not run: skipped before any login is tried
    await portal.db.device.upsert({
      where: { id: 'junos-1' },
      update: {},
      create: {
        id: 'junos-1',
        name: 'edge-junos-1',
        host: '127.0.0.1',
        port: closedPort,
        vendor: 'juniper_junos',
        username: 'x',
        authType: 'password',
        secretEnc: portal.vault.seal('x', credentialContext('junos-1', 'secret')),
      },
    });
    const id = await create(admin(), [...vrp, ...ios, 'junos-1'], [], {
      vendorCommands: JSON.stringify({
        huawei_vrp: 'display version',
        cisco_ios: 'show version\nshow clock',
      }),
    });
    const detail = await waitFinalDetail(portal, id, TASK_WAIT_MS);
    expect(detail.task).toMatchObject({
      status: 'completed',
      totalDevices: 5,
      completedDevices: 5,
      succeededDevices: 4,
      failedDevices: 0,
      skippedDevices: 1,
      progress: 100,
    });
    for (const d of detail.devices) {
      if (d.deviceName.startsWith('lab-vrp-')) {
        expect(d.status).toBe('success');
        expect(d.outputs.map((o) => o.command)).toEqual(['display version']);
        expect(d.outputs[0]!.output).toContain('Huawei Versatile Routing Platform');
      } else if (d.deviceName.startsWith('lab-ios-')) {
        expect(d.status).toBe('success');
        expect(d.outputs.map((o) => o.command)).toEqual(['show version', 'show clock']);
        expect(d.outputs[0]!.output).toContain('Cisco IOS');
      } else {
        expect(d).toMatchObject({
          deviceName: 'edge-junos-1',
          status: 'skipped',
          error: 'No commands for Juniper Junos (juniper_junos) in this task.',
          outputs: [],
        });
      }
    }
    // retrying the task has nothing to retry: a skipped device is not a failure
    expect(await retryFailed(admin(), id, portal.tasks)).toEqual({
      ok: false,
      error: 'No device of this task failed.',
    });
  });

  it('a vendor list overrides the common list for its vendor only', async () => {
    const vrp = (await ids({ startsWith: 'lab-vrp-' })).slice(2, 3);
    const ios = (await ids({ startsWith: 'lab-ios-' })).slice(0, 1);
    const id = await create(admin(), [...vrp, ...ios], ['display clock'], {
      vendorCommands: JSON.stringify({ cisco_ios: 'show clock' }),
    });
    const detail = await waitFinalDetail(portal, id, TASK_WAIT_MS);
    expect(detail.task.status).toBe('completed');
    expect(detail.task.vendorSteps).toEqual({ cisco_ios: [{ command: 'show clock', answers: [] }] });
    expect(detail.devices.map((d) => [d.deviceName.slice(0, 7), d.outputs.map((o) => o.command)])).toEqual([
      ['lab-ios', ['show clock']],
      ['lab-vrp', ['display clock']],
    ]);
  });
});

describe('batch tasks against the lab', () => {
  it('200 devices at concurrency 20 all complete with their own outputs; progress reaches 100 % live', async () => {
    const devices = await ids({ startsWith: 'lab-vrp-' });
    expect(devices).toHaveLength(200);
    const monitor = await TestClient.open(portal, '/ws/monitor/tasks', portal.users.admin);
    const id = await create(admin(), devices, [
      'display version',
      'display current-configuration | include sysname',
    ]);
    monitor.send({ type: 'subscribe_task', task_id: id });
    const detail = await waitFinalDetail(portal, id, TASK_WAIT_MS);
    expect(detail.task).toMatchObject({
      status: 'completed',
      completedDevices: 200,
      succeededDevices: 200,
      failedDevices: 0,
      progress: 100,
    });
    for (const d of detail.devices) {
      expect(d.status).toBe('success');
      expect(d.outputs).toHaveLength(2);
      expect(d.outputs[0]!.output).toContain('Huawei Versatile Routing Platform');
      expect(d.outputs[1]!.output.trim()).toBe(`sysname ${d.deviceName}`);
    }
    // the final state is always delivered, even though updates are coalesced
    const final = await monitor.waitUntil(
      () =>
        monitor.frames.find((f) => f.type === 'task_update' && f.task_id === id && f.status === 'completed'),
      'the final task_update',
    );
    expect(final).toMatchObject({ progress: 100, completed_devices: 200, total_devices: 200 });
    const updates = monitor.frames.filter((f) => f.type === 'task_update' && f.task_id === id);
    expect(updates.length).toBeLessThan(200); // coalesced, not one per device
    // devices finished before the subscription arrive in its snapshot, the rest as live frames (the last
    // ones ride on the final event, just after its task_update)
    type Row = { device_name: string; status: string };
    const covered = () => {
      const frames = monitor.frames.filter((f) => f.type === 'task_devices' && f.task_id === id);
      const snapshotDone = frames
        .filter((f) => f.snapshot)
        .flatMap((f) => (f.devices as Row[]).filter((d) => d.status === 'success'));
      const liveRows = frames.filter((f) => !f.snapshot).flatMap((f) => f.devices as Row[]);
      return (
        liveRows.length > 0 && new Set([...snapshotDone, ...liveRows].map((d) => d.device_name)).size === 200
      );
    };
    await monitor.waitUntil(covered, 'every device reported live or in the snapshot');
    await monitor.close();
  }, 120_000);

  it('unreachable, auth-failing, hanging and dropping devices fail with their reasons; the rest completes', async () => {
    const good = await ids({ names: ['lab-ios-01', 'lab-ios-02'] });
    const bad = await ids({ names: ['bad-unreachable', 'bad-refuse', 'bad-hang', 'bad-drop'] });
    const id = await create(admin(), [...good, ...bad], ['display clock'], { timeoutSeconds: '5' });
    const detail = await waitFinalDetail(portal, id, TASK_WAIT_MS);
    expect(detail.task).toMatchObject({
      status: 'failed',
      completedDevices: 6,
      succeededDevices: 0,
      failedDevices: 6,
    });
    const reason = Object.fromEntries(detail.devices.map((d) => [d.deviceName, d.error ?? '']));
    expect(reason['bad-unreachable']).toMatch(/connection refused/);
    expect(reason['bad-refuse']).toMatch(/refused the login/);
    expect(reason['bad-hang']).toMatch(/timeout|No prompt/);
    expect(reason['bad-drop']).toMatch(/closed|lost|timeout/i);
    // IOS rejects the VRP command: recorded as a device error with its output
    expect(reason['lab-ios-01']).toMatch(/rejected "display clock"/);
    expect(detail.devices.find((d) => d.deviceName === 'lab-ios-01')!.outputs[0]!.output).toMatch(
      /% Invalid input/,
    );
  }, 60_000);

  it('cancel mid-run stops new devices promptly and keeps finished results', async () => {
    const slow = await ids({ startsWith: 'slow-' });
    const id = await create(admin(), slow, ['display version', 'display clock'], { concurrency: '2' });
    await vi.waitFor(
      async () =>
        expect(
          (await portal.db.task.findUniqueOrThrow({ where: { id } })).succeededDevices,
        ).toBeGreaterThanOrEqual(2),
      {
        timeout: 20_000,
        interval: 20,
      },
    );
    const before = await getTaskDetail(admin(), id, portal.runtime);
    const done = before!.devices.filter((d) => d.status === 'success');
    const started = Date.now();
    expect(await cancelTask(admin(), id, portal.tasks)).toEqual({ ok: true });
    const detail = await waitFinalDetail(portal, id, 10_000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(detail.task.status).toBe('cancelled');
    expect(detail.devices.some((d) => d.status === 'running' || d.status === 'pending')).toBe(false);
    expect(detail.devices.filter((d) => d.status === 'cancelled').length).toBeGreaterThanOrEqual(
      slow.length - done.length - 2 - 2,
    );
    for (const d of done) {
      const now = detail.devices.find((x) => x.id === d.id)!;
      expect(now).toMatchObject({ status: 'success', finishedAt: d.finishedAt, outputs: d.outputs });
    }
    expect(await cancelTask(admin(), id, portal.tasks)).toMatchObject({ ok: false });
  }, 60_000);

  it('retry runs only the failed devices', async () => {
    const goodIds = await ids({ names: ['lab-vrp-01', 'lab-vrp-02'] });
    const brokenIds = await ids({ names: ['lab-vrp-03', 'lab-vrp-04'] });
    for (const id of brokenIds) {
      await portal.db.device.update({
        where: { id },
        data: { secretEnc: portal.vault.seal('wrong', credentialContext(id, 'secret')) },
      });
    }
    const id = await create(admin(), [...goodIds, ...brokenIds], ['display clock']);
    const first = await waitFinalDetail(portal, id, TASK_WAIT_MS);
    expect(first.task).toMatchObject({ status: 'failed', failedDevices: 2, succeededDevices: 2 });
    for (const id2 of brokenIds) {
      await portal.db.device.update({
        where: { id: id2 },
        data: { secretEnc: portal.vault.seal(LAB_CREDS.password, credentialContext(id2, 'secret')) },
      });
    }
    expect(await retryFailed(admin(), id, portal.tasks)).toEqual({ ok: true });
    const second = await waitFinalDetail(portal, id, TASK_WAIT_MS);
    expect(second.task).toMatchObject({
      status: 'completed',
      failedDevices: 0,
      succeededDevices: 4,
      completedDevices: 4,
    });
    for (const d of second.devices) {
      const before = first.devices.find((x) => x.id === d.id)!;
      if (before.status === 'success')
        expect(d).toMatchObject({ attempts: 1, finishedAt: before.finishedAt });
      else expect(d).toMatchObject({ attempts: 2, status: 'success' });
    }
    expect(await retryFailed(admin(), id, portal.tasks)).toMatchObject({
      ok: false,
      error: 'No device of this task failed.',
    });
  }, 60_000);

  it('validates creation: devices the user may not use, unknown devices, bad fields', async () => {
    const notGranted = await ids({ names: ['lab-ios-02'] });
    const r1 = await createTask(
      operator(),
      { name: 'x', commands: 'show clock', deviceIds: notGranted, concurrency: '1', timeoutSeconds: '10' },
      portal.tasks,
    );
    expect(r1).toMatchObject({
      ok: false,
      errors: { deviceIds: expect.stringMatching(/not available to you/) },
    });
    const r2 = await createTask(
      admin(),
      { name: '', commands: '', deviceIds: ['nope'], concurrency: '999', timeoutSeconds: '0' },
      portal.tasks,
    );
    expect(r2.ok).toBe(false);
    if (!r2.ok)
      expect(Object.keys(r2.errors).sort()).toEqual(['commands', 'concurrency', 'name', 'timeoutSeconds']);
  });

  it("monitor: a user receives only their own tasks and cannot subscribe to another's", async () => {
    const granted = await ids({ names: ['lab-vrp-05'] });
    // operator2's own task, older than the operator's: what their snapshot must hold
    const op2Task = await create(
      { id: portal.users.operator2, role: 'operator' },
      await ids({ names: ['lab-vrp-06'] }),
      ['display clock'],
    );
    await waitFinalDetail(portal, op2Task, TASK_WAIT_MS);
    const opMonitor = await TestClient.open(portal, '/ws/monitor/tasks', portal.users.operator);
    const op2Monitor = await TestClient.open(portal, '/ws/monitor/tasks', portal.users.operator2);
    const adminMonitor = await TestClient.open(portal, '/ws/monitor/tasks', portal.users.admin);
    const id = await create(operator(), granted, ['display clock']);
    await waitFinalDetail(portal, id, TASK_WAIT_MS);
    await opMonitor.waitUntil(
      () => opMonitor.frames.find((f) => f.task_id === id && f.status === 'completed'),
      'own final update',
    );
    await adminMonitor.waitUntil(
      () => adminMonitor.frames.find((f) => f.task_id === id && f.status === 'completed'),
      'admin sees all',
    );
    op2Monitor.send({ type: 'subscribe_task', task_id: id });
    expect(await op2Monitor.waitFrame('error')).toMatchObject({ code: 'not_allowed' });
    expect(op2Monitor.frames.some((f) => f.task_id === id)).toBe(false);
    op2Monitor.send({ type: 'subscribe_task', task_id: 'no-such-task' });
    await op2Monitor.waitUntil(() => op2Monitor.frames.find((f) => f.code === 'not_found'), 'not_found');
    // a new connection's snapshot holds the user's own tasks only. It is sent in one go, newest
    // first: once operator2's older task has arrived, the operator's newer one would have come before it
    const late = await TestClient.open(portal, '/ws/monitor/tasks', portal.users.operator2);
    const lateOwn = await TestClient.open(portal, '/ws/monitor/tasks', portal.users.operator);
    await lateOwn.waitUntil(() => lateOwn.frames.find((f) => f.task_id === id), 'snapshot with own task');
    await late.waitUntil(() => late.frames.find((f) => f.task_id === op2Task), 'operator2’s snapshot');
    expect(late.frames.some((f) => f.task_id === id)).toBe(false);
    expect(await TestClient.refusal(portal, '/ws/monitor/tasks', portal.users.viewer)).toBe(101); // viewers may watch (their own: none)
    await Promise.all([opMonitor, op2Monitor, adminMonitor, late, lateOwn].map((c) => c.close()));
  });
});
