import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import { deviceHistory, diffVersions, purgeOutputHistory, versionText } from '../lib/automation/history';
import { searchTask, searchTemplateHistory } from '../lib/automation/search';
import { createTemplate, runTemplate } from '../lib/automation/templates';
import { createTask } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, waitFinalDetail, type Portal } from './harness';

let portal: Portal;
const admin = () => ({ id: portal.users.admin, role: 'admin' as const });

beforeAll(async () => {
  portal = await startPortal({
    lab: [...defaultLabFleet(3, LAB_CREDS, 'huawei_vrp'), ...defaultLabFleet(1, LAB_CREDS, 'cisco_ios')],
  });
}, 60_000);
afterAll(() => portal.close());

async function run(templateId: string, names: string[]) {
  const ids = await Promise.all(names.map((n) => portal.deviceId(n)));
  const r = await runTemplate(admin(), templateId, { deviceIds: ids, inputs: {} }, portal.tasks);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return waitFinalDetail(portal, r.id);
}

describe('configuration history across runs', () => {
  it('new, then unchanged, then exactly the changed line on the device that changed', async () => {
    const t = await createTemplate(
      admin(),
      {
        name: 'backup-test',
        commands: '',
        vendorCommands: JSON.stringify({
          huawei_vrp: 'display current-configuration',
          cisco_ios: 'show running-config',
        }),
        concurrency: '4',
        timeoutSeconds: '20',
        // VRP stamps the configuration with when it last changed: not a change of its own
        ignorePatterns: '^!Last configuration was .*$',
      },
      portal.tasks,
    );
    if (!t.ok) throw new Error(JSON.stringify(t.errors));
    const fleet = ['lab-vrp-01', 'lab-vrp-02', 'lab-ios-01'];
    const first = await run(t.id, fleet);
    expect(first.task.status).toBe('completed');
    const changes = async () =>
      Object.fromEntries(
        await Promise.all(
          fleet.map(async (n) => [n, (await deviceHistory(portal.db, await portal.deviceId(n)))[0]?.change]),
        ),
      );
    expect(await changes()).toEqual({ 'lab-vrp-01': 'new', 'lab-vrp-02': 'new', 'lab-ios-01': 'new' });

    await run(t.id, fleet);
    expect(await changes()).toEqual({
      'lab-vrp-01': 'unchanged',
      'lab-vrp-02': 'unchanged',
      'lab-ios-01': 'unchanged',
    });

    // change one interface description on lab-vrp-02 through the CLI, as an engineer would
    const change = await createTask(
      admin(),
      {
        name: 'change',
        commands: [
          'system-view',
          'interface GigabitEthernet0/0/1',
          'description changed-by-test',
          'quit',
          'quit',
        ].join('\n'),
        deviceIds: [await portal.deviceId('lab-vrp-02')],
        concurrency: '1',
        timeoutSeconds: '20',
      },
      portal.tasks,
    );
    if (!change.ok) throw new Error(JSON.stringify(change.errors));
    expect((await waitFinalDetail(portal, change.id)).task.status).toBe('completed');

    await run(t.id, fleet);
    expect(await changes()).toEqual({
      'lab-vrp-01': 'unchanged',
      'lab-vrp-02': 'changed',
      'lab-ios-01': 'unchanged',
    });
    const history = await deviceHistory(portal.db, await portal.deviceId('lab-vrp-02'));
    expect(history.map((h) => h.change)).toEqual(['changed', 'unchanged', 'new']);
    expect(history[0]).toMatchObject({ template: 'backup-test', added: 1, removed: 1 });
    // the diff, with the template's ignore patterns, shows exactly that line
    const d = await diffVersions(portal.db, history[1]!.id, history[0]!.id, (text) =>
      text.replace(/^!Last configuration was .*$/gm, '<ignored>'),
    );
    const changed = d?.patch?.split('\n').filter((l) => /^[+-](?![+-]{2} )/.test(l));
    expect(changed).toHaveLength(2);
    expect(changed![0]).toMatch(/^- description /);
    expect(changed![1]).toBe('+ description changed-by-test');
    // identical configurations are stored once: 3 runs of an unchanged device share one blob
    const v01 = await deviceHistory(portal.db, await portal.deviceId('lab-vrp-01'));
    const hashes = await portal.db.outputVersion.findMany({
      where: { id: { in: v01.map((v) => v.id) } },
      select: { blobHash: true },
    });
    expect(new Set(hashes.map((h) => h.blobHash)).size).toBe(1);
    expect(await versionText(portal.db, v01[0]!.id)).toContain('sysname lab-vrp-01');

    // which devices' latest configuration holds the new description, and which task output does
    const found = await searchTemplateHistory(portal.db, t.id, 'changed-by-test');
    expect(found.ok && found.hits.map((h) => [h.device, h.lines.map((l) => l.text)])).toEqual([
      ['lab-vrp-02', [' description changed-by-test']],
    ]);
    expect(found.ok && found.searched).toBe(3);
    const inTask = await searchTask(portal.db, change.id, '/^description changed/');
    expect(inTask.ok && inTask.hits).toEqual([]); // the change task printed nothing matching
    const sysnames = await searchTemplateHistory(portal.db, t.id, '/^sysname lab-vrp-0[12]$/');
    expect(sysnames.ok && sysnames.hits.map((h) => h.device)).toEqual(['lab-vrp-01', 'lab-vrp-02']);
  });

  it('purging keeps each device’s latest version and drops blobs nobody refers to', async () => {
    const future = new Date(Date.now() + 60_000);
    const before = await portal.db.outputVersion.count();
    const r = await purgeOutputHistory(portal.db, future);
    const after = await portal.db.outputVersion.findMany();
    // one version per device and template is left
    expect(after.length).toBe(new Set(after.map((v) => `${v.deviceId}|${v.templateId}`)).size);
    expect(r.versions).toBe(before - after.length);
    const blobs = await portal.db.outputBlob.findMany({ select: { hash: true } });
    expect(new Set(blobs.map((b) => b.hash))).toEqual(new Set(after.map((v) => v.blobHash)));
  });
});
