import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  listTemplateVersions,
  previewTemplate,
  runTemplate,
  updateTemplate,
  validateTemplate,
} from '../lib/automation/templates';
import { CONFIG_BACKUP_NAME, ensureBuiltInTemplates } from '../lib/automation/builtins';
import { deviceHistory } from '../lib/automation/history';
import { runAgain } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, waitFinalDetail, type Portal } from './harness';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal({
    lab: [...defaultLabFleet(2, LAB_CREDS, 'huawei_vrp'), ...defaultLabFleet(2, LAB_CREDS, 'cisco_ios')],
  });
  await portal.db.device.update({
    where: { id: await portal.deviceId('lab-vrp-01') },
    data: { fields: JSON.stringify({ site: 'SHA-DC1' }) },
  });
  await portal.db.device.update({
    where: { id: await portal.deviceId('lab-ios-01') },
    data: { fields: JSON.stringify({ site: 'PEK-DC2' }) },
  });
}, 60_000);
afterAll(() => portal.close());

const admin = () => ({ id: portal.users.admin, role: 'admin' as const });
const operator = () => ({ id: portal.users.operator, role: 'operator' as const });
const operator2 = () => ({ id: portal.users.operator2, role: 'operator' as const });
const viewer = () => ({ id: portal.users.viewer, role: 'viewer' as const });

const inputs = JSON.stringify([
  { name: 'target', label: 'Ping target', type: 'text', required: true, pattern: '[0-9.]+' },
  {
    name: 'detail',
    label: 'Detail',
    type: 'choice',
    required: true,
    choices: ['brief', 'full'],
    default: 'brief',
  },
]);

const body = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  description: 'audit the version and site',
  commands: '',
  vendorCommands: JSON.stringify({
    huawei_vrp: 'display version\ndisplay current-configuration | include sysname {{device.name}}',
    cisco_ios: 'show version\nshow running-config | include hostname {{device.name}}',
  }),
  concurrency: '5',
  timeoutSeconds: '20',
  inputs: '[]',
  ignorePatterns: 'uptime is .*$',
  ...extra,
});

describe('validating a template', () => {
  it.each([
    [{ name: '' }, 'name', /Give the template a name/],
    [{ commands: '', vendorCommands: '' }, 'commands', /Enter at least one command/],
    [{ commands: 'display {{device.password}}', vendorCommands: '' }, 'commands', /Unknown variable/],
    [{ commands: 'ping {{input.host}}', vendorCommands: '' }, 'inputs', /no input is called “host”/],
    [{ inputs: '[{"name":"1x","label":"x","type":"text"}]' }, 'inputs', /Input names/],
    [
      { inputs: '[{"name":"a","label":"A","type":"choice","choices":["x"],"default":"y"}]' },
      'inputs',
      /default must be one of/,
    ],
    [
      { inputs: '[{"name":"a","label":"A","type":"text"},{"name":"a","label":"B","type":"text"}]' },
      'inputs',
      /Two inputs/,
    ],
    [{ inputs: '[{"name":"a","label":"A","type":"text","pattern":"(a"}]' }, 'inputs', /pattern is not valid/],
    [{ inputs: 'nope' }, 'inputs', /not valid JSON/],
    [{ ignorePatterns: 'x*' }, 'ignorePatterns', /matches empty text/],
    [{ concurrency: '0' }, 'concurrency', /between 1 and/],
  ])('refuses %j', (patch, field, error) => {
    const r = validateTemplate(body('t', patch));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[field as keyof typeof r.errors]).toMatch(error);
  });
});

describe('templates', () => {
  it('keep every version; an edit makes the next one and tasks keep the version they ran', async () => {
    const created = await createTemplate(operator(), body('version-audit'), portal.tasks);
    expect(created).toMatchObject({ ok: true, version: 1 });
    if (!created.ok) return;
    const run = await runTemplate(
      operator(),
      created.id,
      { deviceIds: [await portal.deviceId('lab-vrp-02'), await portal.deviceId('lab-ios-01')], inputs: {} },
      portal.tasks,
    );
    expect(run.ok).toBe(true);
    const edited = await updateTemplate(
      operator(),
      created.id,
      body('version-audit', { vendorCommands: JSON.stringify({ huawei_vrp: 'display clock' }) }),
      portal.tasks,
    );
    expect(edited).toEqual({ ok: true, id: created.id, version: 2 });
    if (!run.ok) return;
    const detail = await waitFinalDetail(portal, run.id);
    expect(detail.task.status).toBe('completed');
    const task = await portal.db.task.findUniqueOrThrow({ where: { id: run.id } });
    expect([task.templateId, task.templateVersion]).toEqual([created.id, 1]);
    // each device ran its vendor's commands with its own name filled in
    const byName = Object.fromEntries(
      detail.devices.map((d) => [d.deviceName, d.outputs.map((o) => o.command)]),
    );
    expect(byName).toEqual({
      'lab-vrp-02': ['display version', 'display current-configuration | include sysname lab-vrp-02'],
      'lab-ios-01': ['show version', 'show running-config | include hostname lab-ios-01'],
    });
    expect(detail.devices.find((d) => d.deviceName === 'lab-vrp-02')!.outputs[1]!.output).toContain(
      'sysname lab-vrp-02',
    );
    expect((await listTemplateVersions(operator(), created.id, portal.tasks))!.map((v) => v.version)).toEqual(
      [2, 1],
    );
    const v1 = await getTemplate(operator(), created.id, portal.tasks, 1);
    expect(v1?.vendorSteps.cisco_ios?.[0]?.command).toBe('show version');
    const v2 = await getTemplate(operator(), created.id, portal.tasks);
    expect(v2?.vendorSteps).toEqual({ huawei_vrp: [{ command: 'display clock', answers: [] }] });
  });

  it('preview shows exactly what each device receives, with fields and inputs filled in', async () => {
    const t = await createTemplate(
      operator(),
      body('ping-from-site', {
        commands: '',
        vendorCommands: JSON.stringify({
          huawei_vrp: 'ping -c 1 {{input.target}}',
          cisco_ios: 'ping {{input.target}} repeat 1',
        }),
        inputs,
      }),
      portal.tasks,
    );
    if (!t.ok) throw new Error(JSON.stringify(t.errors));
    const ids = [await portal.deviceId('lab-vrp-01'), await portal.deviceId('lab-ios-01')];
    const p = await previewTemplate(
      operator(),
      t.id,
      { deviceIds: ids, inputs: { target: '10.0.0.9' } },
      portal.tasks,
    );
    expect(p.ok && p.rows.map((r) => [r.device, r.status === 'ok' ? r.commands : r])).toEqual([
      ['lab-ios-01', ['ping 10.0.0.9 repeat 1']],
      ['lab-vrp-01', ['ping -c 1 10.0.0.9']],
    ]);
    expect(p.ok && p.inputs).toEqual({ target: '10.0.0.9', detail: 'brief' });
    // a value that is not of the expected form, and a missing one
    const bad = await previewTemplate(
      operator(),
      t.id,
      { deviceIds: ids, inputs: { target: '10.0.0.9\nreload' } },
      portal.tasks,
    );
    expect(bad).toMatchObject({ ok: false, inputErrors: { target: expect.stringMatching(/line breaks/) } });
    const missing = await previewTemplate(operator(), t.id, { deviceIds: ids, inputs: {} }, portal.tasks);
    expect(missing).toMatchObject({ ok: false, inputErrors: { target: 'Ping target is required.' } });
  });

  it('refuses to run when a device lacks a field the commands use, naming it', async () => {
    const t = await createTemplate(
      operator(),
      body('site-check', { commands: 'display {{field.site}}', vendorCommands: '' }),
      portal.tasks,
    );
    if (!t.ok) throw new Error(JSON.stringify(t.errors));
    const ids = [await portal.deviceId('lab-vrp-01'), await portal.deviceId('lab-vrp-02')];
    const p = await previewTemplate(operator(), t.id, { deviceIds: ids, inputs: {} }, portal.tasks);
    expect(p.ok && p.rows.map((r) => r.status)).toEqual(['ok', 'error']);
    const r = await runTemplate(operator(), t.id, { deviceIds: ids, inputs: {} }, portal.tasks);
    expect(r).toEqual({
      ok: false,
      errors: {
        deviceIds: '1 device cannot run this template: lab-vrp-02 has no field “site” ({{field.site}}).',
      },
    });
  });

  it('private to its owner, shared with a team, editable only by the owner and admins', async () => {
    const team = await portal.db.team.create({
      data: {
        name: 'noc',
        members: { create: [{ userId: portal.users.operator }, { userId: portal.users.viewer }] },
      },
    });
    const mine = await createTemplate(operator(), body('mine-only'), portal.tasks);
    const shared = await createTemplate(operator(), body('noc-shared', { teamId: team.id }), portal.tasks);
    if (!mine.ok || !shared.ok) throw new Error('create failed');
    const names = async (a: { id: string; role: 'admin' | 'operator' | 'viewer' }) =>
      (await listTemplates(a, portal.tasks)).map((t) => t.name);
    expect(await names(operator2())).not.toContain('mine-only');
    expect(await names(operator2())).not.toContain('noc-shared');
    expect(await names(viewer())).toContain('noc-shared');
    expect(await names(viewer())).not.toContain('mine-only');
    expect(await names(admin())).toEqual(expect.arrayContaining(['mine-only', 'noc-shared']));
    // the team member who does not own it cannot change it; another operator cannot even see it
    expect(await updateTemplate(viewer(), shared.id, body('noc-shared'), portal.tasks)).toEqual({
      ok: false,
      errors: { form: 'Only its owner or an admin can change this template.' },
    });
    expect(await updateTemplate(operator2(), mine.id, body('x'), portal.tasks)).toEqual({
      ok: false,
      errors: { form: 'No such template.' },
    });
    expect(await createTemplate(viewer(), body('viewer-made'), portal.tasks)).toMatchObject({ ok: false });
    // sharing with a team one is not in is refused
    const other = await portal.db.team.create({ data: { name: 'other-team' } });
    expect(await createTemplate(operator2(), body('sneaky', { teamId: other.id }), portal.tasks)).toEqual({
      ok: false,
      errors: { teamId: 'You can share a template only with a team you are in.' },
    });
    // names are unique
    expect(await createTemplate(operator2(), body('mine-only'), portal.tasks)).toEqual({
      ok: false,
      errors: { name: 'A template called “mine-only” exists.' },
    });
    expect(await deleteTemplate(operator2(), mine.id, portal.tasks)).toEqual({
      ok: false,
      error: 'No such template.',
    });
    expect(await deleteTemplate(admin(), mine.id, portal.tasks)).toEqual({ ok: true });
  });

  it('a built-in template cannot be deleted', async () => {
    const t = await createTemplate(admin(), body('built-in-backup'), portal.tasks, { builtIn: true });
    if (!t.ok) throw new Error('create failed');
    expect(await deleteTemplate(admin(), t.id, portal.tasks)).toEqual({
      ok: false,
      error: 'A built-in template cannot be deleted (edit it instead).',
    });
  });

  it('the built-in configuration backup is created once and backs up every lab vendor', async () => {
    expect(await ensureBuiltInTemplates(portal.tasks)).toEqual([CONFIG_BACKUP_NAME]);
    expect(await ensureBuiltInTemplates(portal.tasks)).toEqual([]);
    const t = await portal.db.taskTemplate.findFirstOrThrow({ where: { name: CONFIG_BACKUP_NAME } });
    expect(t.builtIn).toBe(true);
    const ids = [await portal.deviceId('lab-vrp-02'), await portal.deviceId('lab-ios-02')];
    const run = await runTemplate(admin(), t.id, { deviceIds: ids, inputs: {} }, portal.tasks);
    if (!run.ok) throw new Error(JSON.stringify(run.errors));
    const detail = await waitFinalDetail(portal, run.id);
    expect(detail.task.status).toBe('completed');
    expect(detail.devices).toHaveLength(2);
    for (const d of detail.devices) {
      expect(d.outputs[0]!.output).toMatch(
        d.deviceName.startsWith('lab-vrp') ? /sysname lab-vrp-02/ : /hostname lab-ios-02/,
      );
      expect((await deviceHistory(portal.db, d.deviceId!))[0]).toMatchObject({
        template: CONFIG_BACKUP_NAME,
        change: 'new',
      });
    }
  });

  it('run again repeats a templated task: same version, inputs and devices, as a new task', async () => {
    const t = await createTemplate(
      operator(),
      body('again', {
        commands: '',
        vendorCommands: JSON.stringify({ huawei_vrp: 'display clock', cisco_ios: 'show clock' }),
      }),
      portal.tasks,
    );
    if (!t.ok) throw new Error('create failed');
    const ids = [await portal.deviceId('lab-vrp-01'), await portal.deviceId('lab-ios-01')];
    const first = await runTemplate(operator(), t.id, { deviceIds: ids, inputs: {} }, portal.tasks);
    if (!first.ok) throw new Error('run failed');
    await waitFinalDetail(portal, first.id);
    const again = await runAgain(operator(), first.id, portal.tasks);
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    const detail = await waitFinalDetail(portal, again.id);
    expect(detail.task.status).toBe('completed');
    expect(detail.task.vendorSteps).toEqual({
      huawei_vrp: [{ command: 'display clock', answers: [] }],
      cisco_ios: [{ command: 'show clock', answers: [] }],
    });
    const row = await portal.db.task.findUniqueOrThrow({ where: { id: again.id } });
    expect([row.templateId, row.templateVersion]).toEqual([t.id, 1]);
    expect(detail.devices.map((d) => d.deviceName).sort()).toEqual(['lab-ios-01', 'lab-vrp-01']);
    expect(await runAgain(operator2(), first.id, portal.tasks)).toEqual({
      ok: false,
      errors: { form: 'No such task.' },
    });
  });
});
