import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import {
  deviceChangeDiff,
  searchTaskResults,
  taskChangeRows,
  taskChanges,
  taskOutputGroups,
  variantDiff,
} from '../lib/automation/task-results';
import { createTemplate, runTemplate } from '../lib/automation/templates';
import { createTask, getTaskPage } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, waitFinal, type Portal } from './harness';

/**
 * The task page's results against the lab: a template run twice on a few devices with one device's
 * configuration changed in between shows exactly that device as changed, with the line; identical
 * outputs are grouped (after the template's ignore patterns) and the odd one diffs against the
 * majority; search finds the device; nobody else sees any of it.
 */
let portal: Portal;
const admin = () => ({ id: portal.users.admin, role: 'admin' as const });
const operator = () => ({ id: portal.users.operator, role: 'operator' as const });
const operator2 = () => ({ id: portal.users.operator2, role: 'operator' as const });

const FLEET = ['lab-vrp-01', 'lab-vrp-02', 'lab-vrp-03', 'lab-ios-01'];

beforeAll(async () => {
  portal = await startPortal({
    lab: [...defaultLabFleet(3, LAB_CREDS, 'huawei_vrp'), ...defaultLabFleet(1, LAB_CREDS, 'cisco_ios')],
  });
}, 60_000);
afterAll(() => portal.close());

/** Set an interface description on a VRP lab device through its CLI, as an engineer would. */
async function setDescription(device: string, port: string, text: string) {
  const r = await createTask(
    operator(),
    {
      name: `describe ${device}`,
      commands: ['system-view', `interface ${port}`, `description ${text}`, 'quit', 'quit'].join('\n'),
      deviceIds: [await portal.deviceId(device)],
      concurrency: '1',
      timeoutSeconds: '20',
    },
    portal.tasks,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  expect((await waitFinal(portal, r.id)).status).toBe('completed');
}

async function runOn(templateId: string, names: string[]) {
  const ids = await Promise.all(names.map((n) => portal.deviceId(n)));
  const r = await runTemplate(operator(), templateId, { deviceIds: ids, inputs: {} }, portal.tasks);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  expect((await waitFinal(portal, r.id)).status).toBe('completed');
  return r.id;
}

const rowsOf = async (taskId: string) =>
  Object.fromEntries(
    (await getTaskPage(admin(), taskId, {}, portal.runtime))!.devices.map((d) => [d.deviceName, d.id]),
  );

/** The +/− lines of a unified diff (not its ---/+++ header). */
const edits = (patch: string | null | undefined) =>
  (patch ?? '').split('\n').filter((l) => /^[+-](?![+-]{2} )/.test(l) && !/^(\+\+\+|---) /.test(l));

describe('a templated task’s results', () => {
  let templateId = '';
  let first = '';
  let second = '';

  beforeAll(async () => {
    // a scratch description per device that the template ignores: it differs, yet compares equal
    for (const [i, d] of ['lab-vrp-01', 'lab-vrp-02', 'lab-vrp-03'].entries())
      await setDescription(d, 'GigabitEthernet0/0/5', `scratch-${i + 1}`);
    const t = await createTemplate(
      operator(),
      {
        name: 'descriptions',
        commands: '',
        vendorCommands: JSON.stringify({
          huawei_vrp: 'display current-configuration | include description',
          cisco_ios: 'show running-config | include description',
        }),
        concurrency: '4',
        timeoutSeconds: '20',
        ignorePatterns: '^ description scratch-.*$',
      },
      portal.tasks,
    );
    if (!t.ok) throw new Error(JSON.stringify(t.errors));
    templateId = t.id;
    first = await runOn(templateId, FLEET);
    // one real change on lab-vrp-02, and one the template ignores on lab-vrp-03
    await setDescription('lab-vrp-02', 'GigabitEthernet0/0/1', 'changed-by-test');
    await setDescription('lab-vrp-03', 'GigabitEthernet0/0/5', 'scratch-33');
    second = await runOn(templateId, FLEET);
  }, 120_000);

  it('counts every device new on the first run', async () => {
    const c = await taskChanges(portal.db, operator(), first);
    expect(c).toMatchObject({ templated: true, counts: { changed: 0, unchanged: 0, new: 4 } });
  });

  it('shows exactly one device changed, with its line counts, and the others unchanged', async () => {
    const rows = await rowsOf(second);
    const c = await taskChanges(portal.db, operator(), second, Object.values(rows));
    expect(c!.counts).toEqual({ changed: 1, unchanged: 3, new: 0 });
    expect(c!.rows[rows['lab-vrp-02']!]).toEqual({ change: 'changed', added: 1, removed: 1 });
    // the ignored scratch description did not count as a change
    expect(c!.rows[rows['lab-vrp-03']!]).toEqual({ change: 'unchanged', added: 0, removed: 0 });
    expect(c!.rows[rows['lab-ios-01']!]?.change).toBe('unchanged');

    const changed = await taskChangeRows(portal.db, operator(), second, 'changed');
    expect(changed!.devices.map((d) => d.deviceName)).toEqual(['lab-vrp-02']);
    expect(changed!.changes[rows['lab-vrp-02']!]).toEqual({ change: 'changed', added: 1, removed: 1 });
    expect(changed!.total).toBe(1);
    const unchanged = await taskChangeRows(portal.db, operator(), second, 'unchanged');
    expect(unchanged!.devices.map((d) => d.deviceName)).toEqual(['lab-ios-01', 'lab-vrp-01', 'lab-vrp-03']);
  });

  it('diffs the changed device against its previous run, with the changed line only', async () => {
    const rows = await rowsOf(second);
    const d = await deviceChangeDiff(portal.db, operator(), second, rows['lab-vrp-02']!);
    expect(d).toMatchObject({ deviceName: 'lab-vrp-02', change: 'changed', previous: 'ok' });
    expect(d!.diff!.cut).toBe(false);
    const lines = edits(d!.diff!.patch);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^- description /);
    expect(lines[1]).toBe('+ description changed-by-test');
    expect(d!.diff!.patch).toMatch(/^@@ /m);
    // an unchanged device compares equal (the scratch line is masked by the ignore pattern)
    const same = await deviceChangeDiff(portal.db, operator(), second, rows['lab-vrp-03']!);
    expect(same).toMatchObject({
      change: 'unchanged',
      previous: 'ok',
      diff: { changed: false, patch: null },
    });
    // the first run has nothing before it
    const firstRows = await rowsOf(first);
    expect(await deviceChangeDiff(portal.db, operator(), first, firstRows['lab-vrp-02']!)).toMatchObject({
      change: 'new',
      previous: 'none',
      diff: null,
    });
    // another task's row is not this task's
    expect(await deviceChangeDiff(portal.db, operator(), second, firstRows['lab-vrp-02']!)).toBeNull();
  });

  it('hides a previous version from a reader who no longer sees the device', async () => {
    const rows = await rowsOf(second);
    const device = await portal.deviceId('lab-vrp-02');
    await portal.db.deviceGrant.deleteMany({ where: { userId: portal.users.operator, deviceId: device } });
    try {
      const d = await deviceChangeDiff(portal.db, operator(), second, rows['lab-vrp-02']!);
      expect(d).toMatchObject({ change: 'changed', previous: 'hidden', diff: null });
    } finally {
      await portal.db.deviceGrant.create({ data: { userId: portal.users.operator, deviceId: device } });
    }
  });

  it('groups identical outputs after the ignore patterns and diffs a variant against the majority', async () => {
    // first run: the three VRP devices differ only in the ignored scratch line
    const g1 = await taskOutputGroups(portal.db, operator(), first);
    expect(g1).toMatchObject({ devices: 4, identical: 3, variantDevices: 1, variantCount: 1 });
    expect(g1!.variants.map((v) => v.devices)).toEqual([
      ['lab-vrp-01', 'lab-vrp-02', 'lab-vrp-03'],
      ['lab-ios-01'],
    ]);
    expect(g1!.ignorePatterns).toBe(true);

    const g = await taskOutputGroups(portal.db, operator(), second);
    expect(g).toMatchObject({ devices: 4, identical: 2, variantDevices: 2, variantCount: 2 });
    const [majority, ...others] = g!.variants;
    expect(g!.majority).toBe(majority!.hash);
    expect(majority).toMatchObject({
      count: 2,
      devices: ['lab-vrp-01', 'lab-vrp-03'],
      sampleDevice: 'lab-vrp-01',
    });
    expect(others.map((v) => v.devices).sort()).toEqual([['lab-ios-01'], ['lab-vrp-02']]);

    const odd = others.find((v) => v.sampleDevice === 'lab-vrp-02')!;
    const d = await variantDiff(portal.db, operator(), second, odd.hash);
    expect(d).toMatchObject({
      base: { sampleDevice: 'lab-vrp-01', count: 2, majority: true },
      variant: { sampleDevice: 'lab-vrp-02', count: 1 },
    });
    const lines = edits(d!.diff.patch);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^- description /);
    expect(lines[1]).toBe('+ description changed-by-test');
    // the majority has nothing to diff against itself; an unknown variant is nothing
    expect(await variantDiff(portal.db, operator(), second, majority!.hash)).toBeNull();
    expect(await variantDiff(portal.db, operator(), second, 'f'.repeat(64))).toBeNull();
  });

  it('finds the device whose output holds a string or matches a pattern, and refuses a bad pattern', async () => {
    const text = await searchTaskResults(portal.db, operator(), second, 'CHANGED-BY-TEST');
    expect(text).toMatchObject({ ok: true, searched: 4, total: 4, limited: false });
    expect(text!.ok && text!.hits.map((h) => [h.device, h.lines.map((l) => l.text)])).toEqual([
      ['lab-vrp-02', [' description changed-by-test']],
    ]);
    const re = await searchTaskResults(portal.db, operator(), second, '/^ description changed-by-\\w+$/');
    expect(re!.ok && re!.hits.map((h) => h.device)).toEqual(['lab-vrp-02']);
    const none = await searchTaskResults(portal.db, operator(), second, 'no-such-line-anywhere');
    expect(none).toMatchObject({ ok: true, hits: [] });
    expect(await searchTaskResults(portal.db, operator(), second, '/(a/')).toMatchObject({
      ok: false,
      code: 'patternInvalid',
      detail: expect.stringContaining('missing closing )'),
    });
    expect(await searchTaskResults(portal.db, operator(), second, '  ')).toMatchObject({
      ok: false,
      code: 'empty',
    });
  });

  it('gives nothing to a user who may not see the task, and nothing for an unknown task', async () => {
    const rows = await rowsOf(second);
    const groups = await taskOutputGroups(portal.db, operator(), second);
    for (const [actor, id] of [
      [operator2(), second],
      [operator(), 'no-such-task'],
      [operator(), ''],
    ] as const) {
      expect(await taskChanges(portal.db, actor, id, Object.values(rows))).toBeNull();
      expect(await taskChangeRows(portal.db, actor, id, 'changed')).toBeNull();
      expect(await deviceChangeDiff(portal.db, actor, id, rows['lab-vrp-02']!)).toBeNull();
      expect(await taskOutputGroups(portal.db, actor, id)).toBeNull();
      expect(await variantDiff(portal.db, actor, id, groups!.variants[1]!.hash)).toBeNull();
      expect(await searchTaskResults(portal.db, actor, id, 'description')).toBeNull();
    }
    // an admin sees every task
    expect((await taskChanges(portal.db, admin(), second))!.counts.changed).toBe(1);
  });
});

describe('a plain task’s results', () => {
  it('has no changes column but groups and searches its outputs', async () => {
    // the two devices differ only in a scratch description (the values the templated run above leaves)
    await setDescription('lab-vrp-01', 'GigabitEthernet0/0/5', 'scratch-1');
    await setDescription('lab-vrp-03', 'GigabitEthernet0/0/5', 'scratch-33');
    const r = await createTask(
      operator(),
      {
        name: 'plain descriptions',
        commands: 'display current-configuration | include description',
        deviceIds: await Promise.all(['lab-vrp-01', 'lab-vrp-03'].map((n) => portal.deviceId(n))),
        concurrency: '2',
        timeoutSeconds: '20',
      },
      portal.tasks,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect((await waitFinal(portal, r.id)).status).toBe('completed');
    expect(await taskChanges(portal.db, operator(), r.id)).toEqual({
      templated: false,
      counts: { changed: 0, unchanged: 0, new: 0 },
      rows: {},
    });
    // no ignore patterns: the scratch descriptions make two variants, neither a majority
    const g = await taskOutputGroups(portal.db, operator(), r.id);
    expect(g).toMatchObject({ devices: 2, identical: 0, variantDevices: 2, variantCount: 2, majority: null });
    expect(g!.ignorePatterns).toBe(false);
    const d = await variantDiff(portal.db, operator(), r.id, g!.variants[1]!.hash);
    expect(d).toMatchObject({ base: { sampleDevice: 'lab-vrp-01', majority: false } });
    expect(edits(d!.diff.patch)).toEqual(['- description scratch-1', '+ description scratch-33']);
    const s = await searchTaskResults(portal.db, operator(), r.id, 'scratch-33');
    expect(s!.ok && s!.hits.map((h) => h.device)).toEqual(['lab-vrp-03']);
  });
});

describe('a large fleet', () => {
  const DEVICES = 3000;
  it('groups and counts thousands of devices without holding every output in the browser’s answer', async () => {
    const config = (i: number) =>
      [`sysname sw-${i}`, ...Array.from({ length: 50 }, (_, l) => ` line ${l}`)].join('\n') +
      (i % 100 === 7 ? '\n extra line' : '');
    const task = await portal.db.task.create({
      data: {
        ownerId: portal.users.operator,
        name: 'fleet',
        commands: JSON.stringify(['show run']),
        concurrency: 10,
        timeoutMs: 10_000,
        status: 'completed',
        totalDevices: DEVICES,
        completedDevices: DEVICES,
        succeededDevices: DEVICES,
        finishedAt: new Date(),
      },
    });
    for (let i = 0; i < DEVICES; i += 500)
      await portal.db.taskDevice.createMany({
        data: Array.from({ length: 500 }, (_, j) => ({
          taskId: task.id,
          deviceName: `sw-${String(i + j).padStart(4, '0')}`,
          status: 'success',
          output: JSON.stringify([
            // the name differs on every device: only a template's ignore pattern would group them
            {
              command: 'show run',
              status: 'success',
              output: config(i + j).replace(/^sysname .*$/m, 'sysname x'),
            },
          ]),
        })),
      });
    const started = Date.now();
    const g = await taskOutputGroups(portal.db, operator(), task.id);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(g).toMatchObject({
      devices: DEVICES,
      identical: DEVICES - 30,
      variantDevices: 30,
      variantCount: 1,
    });
    expect(g!.variants[1]!.devices).toHaveLength(30);
    const d = await variantDiff(portal.db, operator(), task.id, g!.variants[1]!.hash);
    expect(edits(d!.diff.patch)).toEqual(['+ extra line']);
    const s = await searchTaskResults(portal.db, operator(), task.id, 'extra line');
    expect(s).toMatchObject({ ok: true, searched: 1000, total: DEVICES, limited: true });
    expect(s!.ok && s!.hits).toHaveLength(10);
    // a finished task's groups are remembered: outputs emptied behind its back do not change them
    await portal.db.taskDevice.updateMany({ where: { taskId: task.id }, data: { output: '[]' } });
    expect(await taskOutputGroups(portal.db, operator(), task.id)).toEqual(g);
  }, 60_000);

  it('counts the changes of thousands of devices (looked up a chunk at a time)', async () => {
    const t = await createTemplate(
      operator(),
      { name: 'fleet-template', commands: 'show run', concurrency: '4', timeoutSeconds: '20' },
      portal.tasks,
    );
    if (!t.ok) throw new Error(JSON.stringify(t.errors));
    const task = await portal.db.task.create({
      data: {
        ownerId: portal.users.operator,
        name: 'fleet run',
        commands: JSON.stringify(['show run']),
        concurrency: 10,
        timeoutMs: 10_000,
        status: 'completed',
        totalDevices: DEVICES,
        templateId: t.id,
        templateVersion: 1,
      },
    });
    await portal.db.taskDevice.createMany({
      data: Array.from({ length: DEVICES }, (_, i) => ({
        taskId: task.id,
        deviceName: `sw-${String(i).padStart(4, '0')}`,
        status: 'success',
      })),
    });
    const rows = await portal.db.taskDevice.findMany({
      where: { taskId: task.id },
      orderBy: { deviceName: 'asc' },
    });
    await portal.db.outputVersion.createMany({
      data: rows.map((r, i) => ({
        deviceName: r.deviceName,
        templateId: t.id,
        taskId: task.id,
        taskDeviceId: r.id,
        blobHash: 'x',
        comparableHash: 'x',
        change: i % 10 === 0 ? 'changed' : 'unchanged',
        added: i % 10 === 0 ? 2 : 0,
        removed: 0,
      })),
    });
    const c = await taskChanges(portal.db, operator(), task.id, [rows[10]!.id, rows[11]!.id]);
    expect(c!.counts).toEqual({ changed: 300, unchanged: 2700, new: 0 });
    expect(c!.rows).toEqual({
      [rows[10]!.id]: { change: 'changed', added: 2, removed: 0 },
      [rows[11]!.id]: { change: 'unchanged', added: 0, removed: 0 },
    });
    const page2 = await taskChangeRows(portal.db, operator(), task.id, 'changed', 2);
    expect(page2).toMatchObject({ total: 300, page: 2, pages: 12, pageSize: 25 });
    expect(page2!.devices.map((d) => d.deviceName).slice(0, 2)).toEqual(['sw-0250', 'sw-0260']);
  }, 60_000);
});
