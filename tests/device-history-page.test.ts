import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackupAction } from '../app/(portal)/devices/[id]/history/actions';
import { CONFIG_BACKUP_NAME, ensureBuiltInTemplates } from '../lib/automation/builtins';
import { DIFF_MAX_BYTES } from '../lib/automation/diff';
import { recordOutputVersion } from '../lib/automation/history';
import { createTemplate, runTemplate } from '../lib/automation/templates';
import type { CurrentUser } from '../lib/auth/session';
import { fileSlug, getDeviceHistory, HISTORY_PAGE_SIZE, historyDownload } from '../lib/devices/history-page';
import { createTask } from '../lib/tasks/service';
import { startPortal, waitFinal, type Portal } from './harness';

/**
 * The device page's Configuration history tab (lib/devices/history-page.ts, which the page and the
 * download route call): the built-in backup run twice around a configuration change on a lab device,
 * the versions, the diff, a version's text as a file, and who may see what.
 */
let portal: Portal;
let backupId: string;
const as = (id: string, role: CurrentUser['role']): CurrentUser => ({
  id,
  role,
  username: role,
  displayName: '',
});
const admin = () => as(portal.users.admin, 'admin');
const operator = () => as(portal.users.operator, 'operator');
const viewer = () => as(portal.users.viewer, 'viewer');

async function backup(user: CurrentUser, device: string) {
  const r = await runTemplate(
    user,
    backupId,
    { deviceIds: [await portal.deviceId(device)], inputs: {} },
    portal.tasks,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  expect((await waitFinal(portal, r.id)).status).toBe('completed');
  return r.id;
}

beforeAll(async () => {
  portal = await startPortal();
  await ensureBuiltInTemplates(portal.tasks);
  backupId = (await portal.db.taskTemplate.findFirstOrThrow({ where: { name: CONFIG_BACKUP_NAME } })).id;
}, 60_000);
afterAll(() => portal?.close());

describe('configuration history of a device', () => {
  // lab-vrp-01's backup history, which several tests read and none adds to: the operator's backup,
  // a configuration change, and a second backup
  let vrp: string;
  let first: string;
  let second: string;

  beforeAll(async () => {
    vrp = await portal.deviceId('lab-vrp-01');
    first = await backup(operator(), 'lab-vrp-01');
    const change = await createTask(
      operator(),
      {
        name: 'describe',
        commands: [
          'system-view',
          'interface GigabitEthernet0/0/7',
          'description history-tab-test',
          'return',
        ].join('\n'),
        deviceIds: [vrp],
        concurrency: '1',
        timeoutSeconds: '20',
      },
      portal.tasks,
    );
    if (!change.ok) throw new Error(JSON.stringify(change.errors));
    expect((await waitFinal(portal, change.id)).status).toBe('completed');
    second = await backup(operator(), 'lab-vrp-01');
  }, 90_000);

  it('before any backup: the backup template, no versions, and the run offered to operators', async () => {
    // lab-ios-01: a device no test backs up
    const ios = await portal.deviceId('lab-ios-01');
    const h = await getDeviceHistory(operator(), ios, {}, portal.runtime);
    expect(h).toMatchObject({
      level: 'operate',
      template: { id: backupId, name: CONFIG_BACKUP_NAME, versions: 0 },
      backupTemplateId: backupId,
      versions: [],
      total: 0,
      compare: null,
      view: null,
    });
  });

  it('two backups around a change: newest first, changed +1 −1, the diff shows the line', async () => {
    const h = (await getDeviceHistory(operator(), vrp, {}, portal.runtime))!;
    expect(h.versions.map((v) => [v.change, v.added, v.removed, v.task?.id, v.task?.visible])).toEqual([
      ['changed', 1, 1, second, true],
      ['new', 0, 0, first, true],
    ]);
    expect(h.versions[0]!.previousId).toBe(h.versions[1]!.id);
    const [newer, older] = h.versions;

    // either order in the URL: older → newer
    const c = (await getDeviceHistory(operator(), vrp, { from: newer!.id, to: older!.id }, portal.runtime))!;
    expect(c.compare?.from.id).toBe(older!.id);
    expect(c.compare?.to.id).toBe(newer!.id);
    expect(c.compare?.diff).toMatchObject({
      changed: true,
      added: 1,
      removed: 1,
      cut: false,
      tooDifferent: false,
    });
    const lines = c.compare!.diff.patch!.split('\n').filter((l) => /^[+-](?![+-]{2} )/.test(l));
    expect(lines).toEqual([expect.stringMatching(/^- description /), '+ description history-tab-test']);

    const v = (await getDeviceHistory(operator(), vrp, { view: newer!.id }, portal.runtime))!;
    expect(v.view?.text).toContain(' description history-tab-test');
    expect(v.view?.truncated).toBe(false);
  });

  it('the download: the version’s text, named <device>-<template>-<date>.txt', async () => {
    const h = (await getDeviceHistory(operator(), vrp, {}, portal.runtime))!;
    const file = await historyDownload(operator(), vrp, h.versions[0]!.id, portal.runtime);
    expect(file?.filename).toMatch(/^lab-vrp-01-configuration-backup-\d{4}-\d{2}-\d{2}-\d{6}\.txt$/);
    expect(file?.text).toContain('sysname lab-vrp-01');
    expect(file?.text).toContain(' description history-tab-test');
    const old = await historyDownload(operator(), vrp, h.versions[1]!.id, portal.runtime);
    expect(old?.text).not.toContain('history-tab-test');
  });

  it('someone who may only view the device sees the history and downloads, without the run', async () => {
    const h = (await getDeviceHistory(viewer(), vrp, {}, portal.runtime))!;
    expect(h.level).toBe('view');
    expect(h.versions).toHaveLength(2);
    // the tasks were the operator's: named, not linked
    expect(h.versions.map((v) => v.task?.visible)).toEqual([false, false]);
    expect(h.versions.map((v) => v.task?.id)).toEqual([second, first]);
    expect((await historyDownload(viewer(), vrp, h.versions[0]!.id, portal.runtime))?.text).toContain(
      'sysname lab-vrp-01',
    );
  });

  it('not found: a device one cannot see, another device’s version, unknown ids, another user’s private template', async () => {
    // operators are not granted lab-ios-02 (the harness)
    const ios = await portal.deviceId('lab-ios-02');
    await backup(admin(), 'lab-ios-02');
    const iosVersion = (await getDeviceHistory(admin(), ios, {}, portal.runtime))!.versions[0]!.id;
    expect(await getDeviceHistory(operator(), ios, {}, portal.runtime)).toBeNull();
    expect(await historyDownload(operator(), ios, iosVersion, portal.runtime)).toBeNull();
    expect((await historyDownload(admin(), ios, iosVersion, portal.runtime))?.text).toContain(
      'hostname lab-ios-02',
    );

    // a version of lab-ios-02 through lab-vrp-01's URL, even for an admin
    expect(await historyDownload(admin(), vrp, iosVersion, portal.runtime)).toBeNull();
    expect(await getDeviceHistory(admin(), vrp, { view: iosVersion }, portal.runtime)).toBeNull();
    const mine = (await getDeviceHistory(admin(), vrp, {}, portal.runtime))!.versions[0]!.id;
    expect(await getDeviceHistory(admin(), vrp, { from: mine, to: iosVersion }, portal.runtime)).toBeNull();

    expect(await getDeviceHistory(operator(), 'no-such-device', {}, portal.runtime)).toBeNull();
    expect(await historyDownload(operator(), 'no-such-device', mine, portal.runtime)).toBeNull();
    expect(await historyDownload(operator(), vrp, 'no-such-version', portal.runtime)).toBeNull();
    expect(
      await getDeviceHistory(operator(), vrp, { template: 'no-such-template' }, portal.runtime),
    ).toBeNull();

    // operator2's own template run on the device: listed for them, invisible to the operator
    const op2 = as(portal.users.operator2, 'operator');
    const t = await createTemplate(
      op2,
      { name: 'op2-clock', commands: 'display clock', concurrency: '1', timeoutSeconds: '10' },
      portal.tasks,
    );
    if (!t.ok) throw new Error(JSON.stringify(t.errors));
    const run = await runTemplate(op2, t.id, { deviceIds: [vrp], inputs: {} }, portal.tasks);
    if (!run.ok) throw new Error(JSON.stringify(run.errors));
    await waitFinal(portal, run.id);
    const theirs = (await getDeviceHistory(op2, vrp, { template: t.id }, portal.runtime))!;
    expect(theirs.templates.map((x) => x.name)).toEqual([CONFIG_BACKUP_NAME, 'op2-clock']);
    expect(theirs.versions).toHaveLength(1);
    const hidden = theirs.versions[0]!.id;
    expect(
      (await getDeviceHistory(operator(), vrp, {}, portal.runtime))!.templates.map((x) => x.name),
    ).toEqual([CONFIG_BACKUP_NAME]);
    expect(await getDeviceHistory(operator(), vrp, { template: t.id }, portal.runtime)).toBeNull();
    expect(await getDeviceHistory(operator(), vrp, { view: hidden }, portal.runtime)).toBeNull();
    expect(await historyDownload(operator(), vrp, hidden, portal.runtime)).toBeNull();
  });

  it('pages of HISTORY_PAGE_SIZE, newest first; a bounded diff says it was cut', async () => {
    const dev = await portal.deviceId('lab-vrp-02');
    const n = HISTORY_PAGE_SIZE + 3;
    for (let i = 0; i < n; i++)
      await recordOutputVersion(portal.db, {
        deviceId: dev,
        deviceName: 'lab-vrp-02',
        templateId: backupId,
        taskId: `t${i}`,
        taskDeviceId: `td-${dev}-${i}`,
        text: `sysname lab-vrp-02\nversion ${i}\n`,
      });
    const p1 = (await getDeviceHistory(operator(), dev, {}, portal.runtime))!;
    expect([p1.total, p1.pages, p1.page, p1.versions.length]).toEqual([n, 2, 1, HISTORY_PAGE_SIZE]);
    expect(p1.versions[0]!.change).toBe('changed');
    expect(p1.versions.at(-1)!.change).toBe('changed');
    // a task id that names no task: the version says so instead of linking
    expect(p1.versions[0]!.task).toBeNull();
    const p2 = (await getDeviceHistory(operator(), dev, { page: 2 }, portal.runtime))!;
    expect(p2.versions.map((v) => v.change)).toEqual(['changed', 'changed', 'new']);
    // past the end: the last page
    expect((await getDeviceHistory(operator(), dev, { page: 99 }, portal.runtime))!.page).toBe(2);

    // two versions longer than DIFF_MAX_BYTES: compared in part, and the page says so
    const big = (tail: string) => 'x'.repeat(80) + '\n' + `line\n`.repeat(DIFF_MAX_BYTES / 5) + tail;
    for (const [i, tail] of ['end-a\n', 'end-b\n'].entries())
      await recordOutputVersion(portal.db, {
        deviceId: dev,
        deviceName: 'lab-vrp-02',
        templateId: backupId,
        taskId: `big${i}`,
        taskDeviceId: `td-big-${i}`,
        text: `changed ${i}\n` + big(tail),
      });
    const latest = (await getDeviceHistory(operator(), dev, {}, portal.runtime))!.versions;
    const c = (await getDeviceHistory(
      operator(),
      dev,
      { from: latest[1]!.id, to: latest[0]!.id },
      portal.runtime,
    ))!;
    expect(c.compare?.diff.cut).toBe(true);
    expect(c.compare?.diff.changed).toBe(true);
  }, 60_000);

  it('file names are safe whatever the template is called', () => {
    expect(fileSlug('Configuration backup').toLowerCase()).toBe('configuration-backup');
    expect(fileSlug('配置备份')).toBe('output');
    expect(fileSlug('a/b\\c"d')).toBe('a-b-c-d');
  });

  it('the run action refuses arguments that are not an id, a state and a form, before any session', async () => {
    const run = runBackupAction as (...a: unknown[]) => Promise<unknown>;
    for (const args of [
      [{ in: [] }, {}, new FormData()],
      ['d1', {}, 'x'],
      ['d1', null, new FormData()],
      ['x'.repeat(65), {}, new FormData()],
    ])
      expect(await run(...args)).toEqual({ error: 'Invalid request.' });
  });
});
