import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../lib/db/client';
import { getTaskDeviceOutputs, getTaskPage, TASK_DEVICES_PAGE_SIZE } from '../lib/tasks/service';
import { freshDatabase } from './helpers';

let db: PrismaClient;
let owner: { id: string; role: 'operator' };
let other: { id: string; role: 'operator' };
let taskId: string;
const DEVICES = 60; // every third failed

beforeAll(async () => {
  ({ db } = freshDatabase());
  const mk = async (username: string) =>
    ({
      id: (await db.user.create({ data: { username, role: 'operator', passwordHash: 'x' } })).id,
      role: 'operator',
    }) as const;
  owner = await mk('owner');
  other = await mk('other');
  const task = await db.task.create({
    data: {
      ownerId: owner.id,
      name: 'paged',
      commands: JSON.stringify(['display version']),
      concurrency: 10,
      timeoutMs: 10_000,
      status: 'completed',
      totalDevices: DEVICES,
      devices: {
        createMany: {
          data: Array.from({ length: DEVICES }, (_, i) => ({
            deviceName: `sw-${String(i).padStart(3, '0')}`,
            status: i % 3 === 0 ? 'failed' : 'success',
            output: JSON.stringify([{ command: 'display version', status: 'success', output: `out ${i}` }]),
          })),
        },
      },
    },
  });
  taskId = task.id;
});
afterAll(async () => {
  await db.$disconnect();
});

describe('task page data', () => {
  it('one page of rows without outputs, counts over the whole task', async () => {
    const p1 = (await getTaskPage(owner, taskId, {}, { db }))!;
    expect(p1.devices).toHaveLength(TASK_DEVICES_PAGE_SIZE);
    expect(p1.devices[0]!.deviceName).toBe('sw-000');
    expect(p1.devices[0]).not.toHaveProperty('outputs');
    expect(p1.counts).toEqual({ failed: 20, success: 40 });
    expect(p1).toMatchObject({ page: 1, pages: Math.ceil(DEVICES / TASK_DEVICES_PAGE_SIZE), status: 'all' });
    const last = (await getTaskPage(owner, taskId, { page: 99 }, { db }))!;
    expect(last.page).toBe(last.pages);
    expect(last.devices.at(-1)!.deviceName).toBe(`sw-0${DEVICES - 1}`);
  });
  it('a status filter pages through that status only', async () => {
    const failed = (await getTaskPage(owner, taskId, { status: 'failed' }, { db }))!;
    expect(failed.pages).toBe(1);
    expect(failed.devices).toHaveLength(20);
    expect(new Set(failed.devices.map((d) => d.status))).toEqual(new Set(['failed']));
  });
  it("one device's outputs on demand, for whoever may see the task", async () => {
    const row = (await getTaskPage(owner, taskId, {}, { db }))!.devices[4]!;
    const detail = await getTaskDeviceOutputs(owner, taskId, row.id, { db });
    expect(detail!.outputs).toEqual([{ command: 'display version', status: 'success', output: 'out 4' }]);
    expect(await getTaskDeviceOutputs(other, taskId, row.id, { db })).toBeNull();
    expect(await getTaskPage(other, taskId, {}, { db })).toBeNull();
  });
});
