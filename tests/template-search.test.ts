import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import { searchTemplateFor } from '../lib/automation/template-search';
import { createTemplate, runTemplate } from '../lib/automation/templates';
import { LAB_CREDS, startPortal, type Portal } from './harness';

// "Which devices' latest configuration holds this line?" from a template's history, limited to the
// devices the asker sees (the harness's operator is not granted lab-ios-02).

let portal: Portal;
let templateId: string;

beforeAll(async () => {
  portal = await startPortal({
    lab: [...defaultLabFleet(1, LAB_CREDS, 'huawei_vrp'), ...defaultLabFleet(2, LAB_CREDS, 'cisco_ios')],
  });
  const admin = { id: portal.users.admin, role: 'admin' as const };
  const team = await portal.db.team.create({
    data: { name: 'search-team', members: { create: [{ userId: portal.users.operator }] } },
  });
  const t = await createTemplate(
    admin,
    {
      name: 'search-backup',
      commands: '',
      vendorCommands: JSON.stringify({
        huawei_vrp: 'display current-configuration',
        cisco_ios: 'show running-config',
      }),
      concurrency: '3',
      timeoutSeconds: '20',
      teamId: team.id,
    },
    portal.tasks,
  );
  if (!t.ok) throw new Error(JSON.stringify(t.errors));
  templateId = t.id;
  const ids = await Promise.all(['lab-vrp-01', 'lab-ios-01', 'lab-ios-02'].map((n) => portal.deviceId(n)));
  const r = await runTemplate(admin, templateId, { deviceIds: ids, inputs: {} }, portal.tasks);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  await vi.waitFor(
    async () =>
      expect((await portal.db.task.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('completed'),
    { timeout: 30_000, interval: 50 },
  );
}, 90_000);
afterAll(() => portal.close());

describe('searching a template history', () => {
  it('finds the matching line on every device an admin sees', async () => {
    const r = await searchTemplateFor(
      { id: portal.users.admin, role: 'admin' },
      templateId,
      '/^(sysname|hostname) /',
      portal.db,
    );
    expect(r.ok && r.hits.map((h) => [h.device, h.lines.map((l) => l.text)])).toEqual([
      ['lab-ios-01', ['hostname lab-ios-01']],
      ['lab-ios-02', ['hostname lab-ios-02']],
      ['lab-vrp-01', ['sysname lab-vrp-01']],
    ]);
  });

  it('leaves out devices the user cannot see, and says nothing of templates they cannot see', async () => {
    const op = await searchTemplateFor(
      { id: portal.users.operator, role: 'operator' },
      templateId,
      'HOSTNAME',
      portal.db,
    );
    expect(op.ok && op.hits.map((h) => h.device)).toEqual(['lab-ios-01']);
    expect(op.ok && op.searched).toBe(2);
    // the viewer is not in the team the template is shared with
    expect(
      await searchTemplateFor({ id: portal.users.viewer, role: 'viewer' }, templateId, 'x', portal.db),
    ).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });

  it('refuses an empty query and a pattern RE2 cannot compile, with the reason', async () => {
    const admin = { id: portal.users.admin, role: 'admin' as const };
    expect(await searchTemplateFor(admin, templateId, '  ', portal.db)).toMatchObject({
      ok: false,
      code: 'bad_query',
    });
    const bad = await searchTemplateFor(admin, templateId, '/(a+/', portal.db);
    expect(bad).toMatchObject({ ok: false, code: 'bad_query' });
    expect(!bad.ok && bad.error).toMatch(/pattern|missing|\)/i);
  });
});
