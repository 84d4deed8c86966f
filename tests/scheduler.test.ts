import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import {
  createSchedule,
  deleteSchedule,
  listSchedules,
  tickSchedules,
  updateSchedule,
  type SchedulerDeps,
} from '../lib/automation/scheduler';
import { createTemplate, updateTemplate } from '../lib/automation/templates';
import { LAB_CREDS, startPortal, type Portal } from './harness';

let portal: Portal;
let deps: SchedulerDeps;
let templateId: string;

const admin = () => ({ id: portal.users.admin, role: 'admin' as const });
const operator = () => ({ id: portal.users.operator, role: 'operator' as const });
const operator2 = () => ({ id: portal.users.operator2, role: 'operator' as const });
const at = (s: string) => new Date(s);

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(3, LAB_CREDS, 'huawei_vrp') });
  deps = { ...portal.tasks, feed: portal.runtime.feed, log: pino({ level: 'silent' }) };
  const t = await createTemplate(
    operator(),
    { name: 'nightly-clock', commands: 'display clock', concurrency: '2', timeoutSeconds: '20' },
    portal.tasks,
  );
  if (!t.ok) throw new Error(JSON.stringify(t.errors));
  templateId = t.id;
}, 60_000);
afterAll(() => portal.close());

async function schedule(extra: Record<string, unknown> = {}, now = at('2026-12-02T12:00:00Z')) {
  const r = await createSchedule(
    operator(),
    {
      templateId,
      cron: '0 2 * * *',
      timeZone: 'UTC',
      targets: { deviceIds: [await portal.deviceId('lab-vrp-01')], groupIds: [] },
      ...extra,
    },
    portal.tasks,
    now,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
}

const tasksOf = (scheduleId: string) =>
  portal.db.task.findMany({ where: { idempotencyKey: { startsWith: `schedule:${scheduleId}:` } } });

describe('schedules', () => {
  it.each([
    [{ cron: '* * * * *' }, 'cron', /shortest interval allowed is 5 minutes/],
    [{ cron: '0 0 30 2 *' }, 'cron', /never fires/],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone', /Unknown time zone/],
    [{ templateId: 'nope' }, 'templateId', /No such template/],
    [{ targets: { deviceIds: [], groupIds: [] } }, 'targets', /Choose devices or groups/],
    [{ missedPolicy: 'catch_up_all' }, 'form', /./],
  ])('refuses %j', async (patch, field, error) => {
    const r = await createSchedule(
      operator(),
      { templateId, cron: '0 2 * * *', timeZone: 'UTC', targets: { deviceIds: ['x'] }, ...patch },
      portal.tasks,
      at('2026-12-02T12:00:00Z'),
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[field as keyof typeof r.errors]).toMatch(error);
  });

  it('runs once when its time comes, as its owner, whatever number of nodes tick at once', async () => {
    const s = await schedule();
    expect(s.nextRunAt.toISOString()).toBe('2026-12-03T02:00:00.000Z');
    expect(await tickSchedules(deps, at('2026-12-03T01:59:00Z'))).toEqual([]);
    // three nodes tick at the same moment: one run
    const started = (
      await Promise.all([1, 2, 3].map(() => tickSchedules(deps, at('2026-12-03T02:00:20Z'))))
    ).flat();
    const tasks = await tasksOf(s.id);
    expect(tasks).toHaveLength(1);
    expect(started).toEqual([tasks[0]!.id]);
    expect(tasks[0]).toMatchObject({ ownerId: portal.users.operator, templateId, templateVersion: 1 });
    expect(tasks[0]!.name).toBe('nightly-clock (scheduled 2026-12-03 02:00 UTC)');
    const [row] = (await listSchedules(operator(), portal.db)).filter((x) => x.id === s.id);
    expect(row).toMatchObject({
      nextRunAt: '2026-12-04T02:00:00.000Z',
      lastTaskId: tasks[0]!.id,
      lastError: null,
    });
    // the same tick again: nothing more
    expect(await tickSchedules(deps, at('2026-12-03T02:01:00Z'))).toEqual([]);
  });

  it('after missed runs: skip runs nothing and counts them; run_once runs once', async () => {
    const skip = await schedule({ missedPolicy: 'skip' });
    const once = await schedule({ missedPolicy: 'run_once' });
    await tickSchedules(deps, at('2026-12-06T12:00:00Z'));
    expect(await tasksOf(skip.id)).toHaveLength(0);
    expect(await tasksOf(once.id)).toHaveLength(1);
    const rows = await listSchedules(admin(), portal.db);
    expect(rows.find((r) => r.id === skip.id)).toMatchObject({
      missedRuns: 4,
      nextRunAt: '2026-12-07T02:00:00.000Z',
    });
    expect(rows.find((r) => r.id === once.id)).toMatchObject({
      missedRuns: 3,
      lastRunAt: '2026-12-06T02:00:00.000Z',
    });
  });

  it('uses the owner’s access at run time; with no device left it notifies the owner instead', async () => {
    const s = await schedule();
    const device = await portal.deviceId('lab-vrp-01');
    await portal.db.deviceGrant.deleteMany({ where: { userId: portal.users.operator, deviceId: device } });
    // tasks the earlier tests started may still finish (and notify the operator) meanwhile
    const notStarted = {
      userId: portal.users.operator,
      title: 'Scheduled run of "nightly-clock" did not start',
    };
    const before = await portal.db.notification.count({ where: notStarted });
    await tickSchedules(deps, at('2026-12-03T02:00:00Z'));
    expect(await tasksOf(s.id)).toHaveLength(0);
    const [row] = (await listSchedules(operator(), portal.db)).filter((x) => x.id === s.id);
    expect(row!.lastError).toBe('None of the schedule’s devices is available to its owner now.');
    const n = await portal.db.notification.findMany({ where: notStarted, orderBy: { seq: 'desc' }, take: 1 });
    expect(await portal.db.notification.count({ where: notStarted })).toBe(before + 1);
    expect(n[0]).toMatchObject({
      kind: 'task_failed',
      title: 'Scheduled run of "nightly-clock" did not start',
    });
    await portal.db.deviceGrant.create({ data: { userId: portal.users.operator, deviceId: device } });
  });

  it('a disabled schedule does not run; an edited template runs its new version next time', async () => {
    const s = await schedule({ enabled: false });
    await tickSchedules(deps, at('2026-12-10T02:00:00Z'));
    expect(await tasksOf(s.id)).toHaveLength(0);
    const upd = await updateTemplate(
      operator(),
      templateId,
      { name: 'nightly-clock', commands: 'display version', concurrency: '2', timeoutSeconds: '20' },
      portal.tasks,
    );
    expect(upd.ok).toBe(true);
    const enabled = await updateSchedule(
      operator(),
      s.id,
      {
        templateId,
        cron: '30 3 * * *',
        timeZone: 'Asia/Shanghai',
        targets: { deviceIds: [await portal.deviceId('lab-vrp-02')], groupIds: [] },
      },
      portal.tasks,
      at('2026-12-10T00:00:00Z'),
    );
    expect(enabled).toEqual({ ok: true, nextRunAt: at('2026-12-10T19:30:00Z') });
    await tickSchedules(deps, at('2026-12-10T19:30:00Z'));
    const [task] = await tasksOf(s.id);
    expect(task).toMatchObject({ templateVersion: 2 });
  });

  it('only its owner or an admin changes or deletes a schedule', async () => {
    const s = await schedule();
    expect(await deleteSchedule(operator2(), s.id, portal.tasks)).toEqual({
      ok: false,
      error: 'No such schedule.',
    });
    expect((await listSchedules(operator2(), portal.db)).some((x) => x.id === s.id)).toBe(false);
    expect(await deleteSchedule(admin(), s.id, portal.tasks)).toEqual({ ok: true });
  });
});
