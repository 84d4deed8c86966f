import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../lib/db/client';
import { migrate } from '../lib/db/migrate';
import { syncLabInventory } from '../lib/devices/lab-inventory';
import { createVault } from '../lib/devices/vault';
import { defaultLabFleet, generateHostKey, startLab } from '../lab';
import { InProcessTaskQueue } from '../lib/tasks/queue';
import { INTERRUPTED_DEVICE_ERROR, reconcileTasks } from '../lib/tasks/reconcile';
import { LAB_CREDS, TEST_SECRET } from './harness';
import { ROOT } from './helpers';

let lab: Awaited<ReturnType<typeof startLab>>;
let db: PrismaClient;
let url: string;
let dataDir: string;
let ownerId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sb-restart-'));
  url = `file:${path.join(dataDir, 'portal.db')}`;
  migrate(url, ROOT);
  db = createPrismaClient(url);
  ownerId = (await db.user.create({ data: { username: 'owner', passwordHash: 'x', role: 'admin' } })).id;
  lab = await startLab(
    defaultLabFleet(30, LAB_CREDS, 'huawei_vrp').map((d) => ({ ...d, latencyMs: 120 })),
    { hostKey: generateHostKey() },
  );
  await syncLabInventory(db, createVault(TEST_SECRET), lab.devices);
}, 30_000);
afterAll(async () => {
  await db.$disconnect();
  await lab.close();
});

function startChild(): Promise<ChildProcess> {
  // node itself with tsx as a loader: the tsx CLI would run the script in a grandchild that a
  // SIGKILL of the CLI leaves alive
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tests', 'fixtures', 'runtime-child.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        DATABASE_URL: url,
        SWITCHBOARD_SECRET: TEST_SECRET,
        NEXTAUTH_SECRET: TEST_SECRET,
        ADMIN_PASSWORD: 'restart-admin-password',
        LAB: 'off',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('runtime-ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`runtime exited early (${code}): ${err}`)));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  return exited;
}

async function queuedTask(name: string, concurrency: number) {
  const devices = await db.device.findMany({ orderBy: { name: 'asc' } });
  return db.task.create({
    data: {
      ownerId,
      name,
      commands: JSON.stringify(['display version', 'display clock']),
      concurrency,
      timeoutMs: 10_000,
      totalDevices: devices.length,
      devices: { createMany: { data: devices.map((d) => ({ deviceId: d.id, deviceName: d.name })) } },
    },
  });
}

describe('tasks across a server crash', () => {
  it('SIGKILL mid-task: after a restart nothing stays running and no stored result is lost', async () => {
    const task = await queuedTask('crash test', 3);
    const first = await startChild(); // reconciliation picks up the queued task and runs it
    await vi.waitFor(
      async () =>
        expect(
          await db.taskDevice.count({ where: { taskId: task.id, status: 'success' } }),
        ).toBeGreaterThanOrEqual(6),
      { timeout: 30_000, interval: 25 },
    );
    await stop(first, 'SIGKILL');

    const atCrash = await db.taskDevice.findMany({ where: { taskId: task.id } });
    const saved = atCrash.filter((r) => r.status === 'success');
    const midRun = atCrash.filter((r) => r.status === 'running').map((r) => r.id);
    expect((await db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('running');

    const second = await startChild();
    await vi.waitFor(
      async () =>
        expect(['completed', 'failed']).toContain(
          (await db.task.findUniqueOrThrow({ where: { id: task.id } })).status,
        ),
      { timeout: 30_000, interval: 50 },
    );
    await stop(second, 'SIGTERM');
    expect(second.exitCode).toBe(0); // graceful shutdown completed

    const after = await db.taskDevice.findMany({ where: { taskId: task.id } });
    expect(after.filter((r) => r.status === 'running' || r.status === 'pending')).toEqual([]);
    for (const s of saved) expect(after.find((r) => r.id === s.id)).toEqual(s); // byte-for-byte the same row
    for (const id of midRun)
      expect(after.find((r) => r.id === id)).toMatchObject({
        status: 'failed',
        error: INTERRUPTED_DEVICE_ERROR,
      });
    const t = await db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(t.completedDevices).toBe(30);
    expect(t.succeededDevices + t.failedDevices).toBe(30);
    expect(t.failedDevices).toBe(midRun.length);
  }, 90_000);

  it('with resuming off, an unfinished task is marked interrupted with the reason', async () => {
    const task = await queuedTask('no resume', 1);
    await db.task.update({ where: { id: task.id }, data: { status: 'running' } });
    const rows = await db.taskDevice.findMany({ where: { taskId: task.id }, orderBy: { deviceName: 'asc' } });
    await db.taskDevice.update({
      where: { id: rows[0]!.id },
      data: {
        status: 'success',
        output: '[{"command":"x","output":"kept","status":"success"}]',
        finishedAt: new Date(),
      },
    });
    await db.task.update({ where: { id: task.id }, data: { completedDevices: 1, succeededDevices: 1 } });
    await db.taskDevice.update({ where: { id: rows[1]!.id }, data: { status: 'running' } });
    const queue = new InProcessTaskQueue();
    const out = await reconcileTasks(db, queue, pino({ level: 'silent' }), { resume: false });
    expect(out.interrupted).toEqual([task.id]);
    expect(queue.stats().queued).toBe(0);
    const t = await db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(t).toMatchObject({
      status: 'interrupted',
      completedDevices: 30,
      succeededDevices: 1,
      failedDevices: 29,
    });
    expect(t.statusReason).toMatch(/restarted/);
    expect((await db.taskDevice.findUniqueOrThrow({ where: { id: rows[0]!.id } })).output).toContain('kept');
    await queue.close();
  });
});
