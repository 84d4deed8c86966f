import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as historyRoute from '../app/api/v1/devices/[id]/history/route';
import * as historyVersionRoute from '../app/api/v1/devices/[id]/history/[version]/route';
import * as historyDiffRoute from '../app/api/v1/devices/[id]/history/[version]/diff/route';
import * as schedulesRoute from '../app/api/v1/schedules/route';
import * as scheduleRoute from '../app/api/v1/schedules/[id]/route';
import * as taskGroupsRoute from '../app/api/v1/tasks/[id]/groups/route';
import * as templatesRoute from '../app/api/v1/templates/route';
import * as templateRoute from '../app/api/v1/templates/[id]/route';
import * as previewRoute from '../app/api/v1/templates/[id]/preview/route';
import * as runRoute from '../app/api/v1/templates/[id]/run/route';
import * as versionsRoute from '../app/api/v1/templates/[id]/versions/route';
import * as webhooksRoute from '../app/api/v1/webhooks/route';
import * as webhookRoute from '../app/api/v1/webhooks/[id]/route';
import * as webhookDeliveriesRoute from '../app/api/v1/webhooks/[id]/deliveries/route';
import * as webhookTestRoute from '../app/api/v1/webhooks/[id]/test/route';
import { defaultLabFleet } from '../lab';
import { ensureBuiltInTemplates } from '../lib/automation/builtins';
import { createApiToken } from '../lib/auth/tokens';
import { setRuntime } from '../lib/server/registry';
import { LAB_CREDS, startPortal, waitFinal, type Portal } from './harness';

/**
 * The automation API (issue 16) through its route handlers, with bearer tokens: templates, preview
 * and run, schedules, output history, identical-output groups and webhooks, and their refusals.
 */

type Handler = (req: Request, segment: { params: Promise<unknown> }) => Promise<Response>;
type Json = Record<string, unknown>;

let portal: Portal;
const tokens: Record<string, string> = {};

async function call(
  handler: Handler | undefined,
  method: string,
  path: string,
  opts: {
    as?: string;
    body?: unknown;
    params?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; json: Json; headers: Headers }> {
  const res = await handler!(
    new Request(`http://127.0.0.1/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[opts.as ?? 'operator']}`,
        'content-type': 'application/json',
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    }),
    { params: Promise.resolve(opts.params ?? {}) },
  );
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

const errorsOf = (r: { json: Json }) => (r.json.errors ?? {}) as Record<string, string>;

beforeAll(async () => {
  portal = await startPortal({
    lab: [...defaultLabFleet(2, LAB_CREDS, 'huawei_vrp'), ...defaultLabFleet(2, LAB_CREDS, 'cisco_ios')],
  });
  setRuntime(portal.runtime);
  for (const [who, userId, scope] of [
    ['admin', portal.users.admin, 'write'],
    ['operator', portal.users.operator, 'write'],
    ['operator-read', portal.users.operator, 'read'],
    ['operator2', portal.users.operator2, 'write'],
    ['viewer', portal.users.viewer, 'write'],
  ] as const) {
    const t = await createApiToken({ id: userId }, { name: who, scope }, portal.runtime);
    if (!t.ok) throw new Error(JSON.stringify(t.errors));
    tokens[who] = t.token;
  }
  await portal.db.device.update({
    where: { id: await portal.deviceId('lab-vrp-01') },
    data: { fields: JSON.stringify({ site: 'SHA-DC1' }) },
  });
}, 60_000);
afterAll(async () => {
  setRuntime(undefined);
  await portal.close();
});

const audit = (extra: Json = {}) => ({
  name: 'site-audit',
  description: 'the site of each switch',
  commands: {
    huawei_vrp: ['display version', 'display current-configuration | include {{field.site}}'],
  },
  concurrency: 5,
  timeout_s: 20,
  inputs: [{ name: 'detail', label: 'Detail', type: 'choice', choices: ['brief', 'full'], default: 'brief' }],
  ignore_patterns: ['uptime is .*$'],
  ...extra,
});

/** A template of the operator's through the API, for a test (or its describe) that needs one of its own. */
async function ownTemplate(body: Json) {
  const r = await call(templatesRoute.POST, 'POST', '/templates', { body });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.id as string;
}

describe('templates', () => {
  it('are created, read, versioned by PATCH and listed; older versions stay readable', async () => {
    const created = await call(templatesRoute.POST, 'POST', '/templates', { body: audit() });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.json).toMatchObject({
      name: 'site-audit',
      version: 1,
      current_version: 1,
      editable: true,
      team_id: null,
      steps: [],
      vendor_steps: {
        huawei_vrp: [
          { command: 'display version', timeout_seconds: null, answers: [] },
          { command: 'display current-configuration | include {{field.site}}' },
        ],
      },
      concurrency: 5,
      timeout_s: 20,
      inputs: [{ name: 'detail', type: 'choice', required: true, default: 'brief' }],
      ignore_patterns: ['uptime is .*$'],
      failure_patterns: [],
      expect_output: null,
    });

    const patched = await call(templateRoute.PATCH, 'PATCH', `/templates/${id}`, {
      params: { id },
      body: audit({ commands: ['display clock'], expect_output: 'UTC' }),
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      version: 2,
      steps: [{ command: 'display clock' }],
      vendor_steps: {},
    });

    const v1 = await call(templateRoute.GET, 'GET', `/templates/${id}?version=1`, { params: { id } });
    expect(v1.json).toMatchObject({ version: 1, current_version: 2, steps: [], expect_output: null });
    expect((await call(templateRoute.GET, 'GET', `/templates/${id}`, { params: { id } })).json).toMatchObject(
      {
        version: 2,
        expect_output: 'UTC',
      },
    );
    expect(
      (await call(templateRoute.GET, 'GET', `/templates/${id}?version=9`, { params: { id } })).status,
    ).toBe(404);
    const versions = await call(versionsRoute.GET, 'GET', `/templates/${id}/versions`, { params: { id } });
    expect((versions.json.items as Json[]).map((v) => [v.version, v.created_by])).toEqual([
      [2, 'op'],
      [1, 'op'],
    ]);
    const list = await call(templatesRoute.GET, 'GET', '/templates');
    expect((list.json.items as Json[]).find((t) => t.id === id)).toMatchObject({
      owner: 'op',
      team: null,
      version: 2,
      built_in: false,
    });
  });

  it('name each bad field (422), refuse a taken name (409), viewers and read tokens (403)', async () => {
    const cases: [Json, string, RegExp][] = [
      [{ name: '' }, 'name', /name/],
      [{ commands: ['display version', 'show\nreload'] }, 'commands.1', /One command per item/],
      [{ commands: { nokia_sros: ['show version'] } }, 'commands', /./],
      [{ commands: ['ping {{input.host}}'] }, 'inputs', /no input is called “host”/],
      [{ commands: ['display {{device.password}}'] }, 'commands', /Unknown variable/],
      [{ inputs: [{ name: '1x', label: 'x', type: 'text' }] }, 'inputs.0.name', /Input names/],
      [
        { inputs: [{ name: 'a', label: 'A', type: 'choice', choices: ['x'], default: 'y' }] },
        'inputs',
        /default/,
      ],
      [{ ignore_patterns: ['x*'] }, 'ignore_patterns', /matches empty text/],
      [{ failure_patterns: ['(a)\\1'] }, 'failure_patterns.0', /./],
      [{ concurrency: 0 }, 'concurrency', /between 1 and/],
      [{ timeout_s: 99999 }, 'timeout_s', /./],
      [{ team_id: 'no-such-team' }, 'team_id', /No such team/],
      [{ colour: 'red' }, '(body)', /./],
    ];
    for (const [patch, field, message] of cases) {
      const r = await call(templatesRoute.POST, 'POST', '/templates', {
        body: audit({ name: 'bad', ...patch }),
      });
      expect([JSON.stringify(patch), r.status]).toEqual([JSON.stringify(patch), 422]);
      expect(errorsOf(r)[field], `${JSON.stringify(patch)} → ${JSON.stringify(r.json)}`).toMatch(message);
    }
    await ownTemplate(audit({ name: 'taken' }));
    const taken = await call(templatesRoute.POST, 'POST', '/templates', { body: audit({ name: 'taken' }) });
    expect([taken.status, taken.json.code]).toEqual([409, 'conflict']);
    const viewer = await call(templatesRoute.POST, 'POST', '/templates', {
      as: 'viewer',
      body: audit({ name: 'v' }),
    });
    expect([viewer.status, viewer.json.code]).toEqual([403, 'role']);
    const read = await call(templatesRoute.POST, 'POST', '/templates', {
      as: 'operator-read',
      body: audit({ name: 'r' }),
    });
    expect([read.status, read.json.code]).toEqual([403, 'read_only_token']);
  });

  it("another user's private template is a 404 everywhere; a teammate sees a shared one but cannot change it", async () => {
    const id = await ownTemplate(audit({ name: 'private-audit' }));
    for (const [handler, method, path, body] of [
      [templateRoute.GET, 'GET', `/templates/${id}`, undefined],
      [templateRoute.PATCH, 'PATCH', `/templates/${id}`, audit({ name: 'taken-over' })],
      [templateRoute.DELETE, 'DELETE', `/templates/${id}`, undefined],
      [versionsRoute.GET, 'GET', `/templates/${id}/versions`, undefined],
      [previewRoute.POST, 'POST', `/templates/${id}/preview`, { devices: ['lab-vrp-01'] }],
      [runRoute.POST, 'POST', `/templates/${id}/run`, { devices: ['lab-vrp-01'] }],
    ] as const) {
      const r = await call(handler, method, path, { as: 'operator2', params: { id }, body });
      expect([method, path, r.status]).toEqual([method, path, 404]);
    }
    expect(
      ((await call(templatesRoute.GET, 'GET', '/templates', { as: 'operator2' })).json.items as Json[]).some(
        (t) => t.id === id,
      ),
    ).toBe(false);
    const unknown = await call(templateRoute.GET, 'GET', '/templates/nope', { params: { id: 'nope' } });
    expect([unknown.status, unknown.json.code]).toEqual([404, 'not_found']);

    const team = await portal.db.team.create({ data: { name: 'noc' } });
    await portal.db.teamMember.createMany({
      data: [
        { teamId: team.id, userId: portal.users.operator },
        { teamId: team.id, userId: portal.users.operator2 },
      ],
    });
    const shared = await call(templatesRoute.POST, 'POST', '/templates', {
      body: audit({ name: 'shared', team_id: team.id }),
    });
    expect(shared.status).toBe(201);
    const sid = shared.json.id as string;
    expect(
      (await call(templateRoute.GET, 'GET', `/templates/${sid}`, { as: 'operator2', params: { id: sid } }))
        .json,
    ).toMatchObject({
      team_id: team.id,
      editable: false,
    });
    const patch = await call(templateRoute.PATCH, 'PATCH', `/templates/${sid}`, {
      as: 'operator2',
      params: { id: sid },
      body: audit({ name: 'shared' }),
    });
    expect([patch.status, patch.json.code]).toEqual([403, 'not_owner']);
    const del = await call(templateRoute.DELETE, 'DELETE', `/templates/${sid}`, {
      as: 'operator2',
      params: { id: sid },
    });
    expect(del.status).toBe(403);
    expect(
      (await call(templateRoute.DELETE, 'DELETE', `/templates/${sid}`, { params: { id: sid } })).status,
    ).toBe(204);
    expect((await call(templateRoute.GET, 'GET', `/templates/${sid}`, { params: { id: sid } })).status).toBe(
      404,
    );
  });

  it('a built-in template cannot be deleted (409)', async () => {
    // as server start-up creates it
    await ensureBuiltInTemplates(portal.runtime);
    const builtIn = await portal.db.taskTemplate.findFirstOrThrow({ where: { builtIn: true } });
    const r = await call(templateRoute.DELETE, 'DELETE', `/templates/${builtIn.id}`, {
      as: 'admin',
      params: { id: builtIn.id },
    });
    expect([r.status, r.json.code]).toEqual([409, 'built_in']);
  });
});

describe('preview and run', () => {
  let tid = '';
  beforeAll(async () => {
    tid = await ownTemplate(
      audit({
        name: 'site-check',
        inputs: [{ name: 'word', label: 'Word', type: 'text', required: false, pattern: '[a-z]+' }],
        commands: { huawei_vrp: ['display current-configuration | include {{field.site}}{{input.word}}'] },
      }),
    );
  });

  it('shows per device what it receives, or why it is skipped or cannot render (a missing field)', async () => {
    const r = await call(previewRoute.POST, 'POST', `/templates/${tid}/preview`, {
      params: { id: tid },
      body: {
        devices: ['lab-vrp-01', await portal.deviceId('lab-vrp-02'), 'lab-ios-01'],
        inputs: { word: 'x' },
      },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ template_id: tid, version: 1, inputs: { word: 'x' } });
    const rows = Object.fromEntries((r.json.items as Json[]).map((x) => [x.device, x]));
    expect(rows['lab-vrp-01']).toMatchObject({
      status: 'ok',
      vendor: 'huawei_vrp',
      commands: ['display current-configuration | include SHA-DC1x'],
    });
    expect(rows['lab-vrp-02']).toMatchObject({ status: 'error', reason: expect.stringMatching(/site/) });
    expect(rows['lab-ios-01']).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/cisco_ios/),
    });
  });

  it('refuses unknown or unavailable devices and bad inputs, naming them (422)', async () => {
    const unknown = await call(previewRoute.POST, 'POST', `/templates/${tid}/preview`, {
      params: { id: tid },
      body: { devices: ['lab-vrp-01', 'no-such-switch', 'lab-ios-02'] },
    });
    expect(unknown.status).toBe(422);
    expect(Object.keys(errorsOf(unknown)).sort()).toEqual(['devices.1', 'devices.2']);
    expect(errorsOf(unknown)['devices.1']).toMatch(/no-such-switch/);
    const badInput = await call(previewRoute.POST, 'POST', `/templates/${tid}/preview`, {
      params: { id: tid },
      body: { devices: ['lab-vrp-01'], inputs: { word: 'UPPER', other: 'x' } },
    });
    expect(badInput.status).toBe(422);
    expect(Object.keys(errorsOf(badInput)).sort()).toEqual(['inputs.other', 'inputs.word']);
    const none = await call(previewRoute.POST, 'POST', `/templates/${tid}/preview`, {
      params: { id: tid },
      body: { devices: [] },
    });
    expect([none.status, errorsOf(none)]).toEqual([
      422,
      { devices: 'Too small: expected array to have >=1 items' },
    ]);
    const missing = await call(previewRoute.POST, 'POST', '/templates/nope/preview', {
      params: { id: 'nope' },
      body: { devices: ['lab-vrp-01'] },
    });
    expect(missing.status).toBe(404);
    const viewer = await call(previewRoute.POST, 'POST', `/templates/${tid}/preview`, {
      as: 'viewer',
      params: { id: tid },
      body: { devices: ['lab-vrp-01'] },
    });
    expect(viewer.status).toBe(403);
  });

  it('a device that cannot render refuses the run, naming the reason', async () => {
    const r = await call(runRoute.POST, 'POST', `/templates/${tid}/run`, {
      params: { id: tid },
      body: { devices: ['lab-vrp-01', 'lab-vrp-02'] },
    });
    expect(r.status).toBe(422);
    expect(errorsOf(r).devices).toMatch(/1 device cannot run this template.*site/);
  });

  it('runs as a task; the same Idempotency-Key twice makes one task', async () => {
    const send = () =>
      call(runRoute.POST, 'POST', `/templates/${tid}/run`, {
        params: { id: tid },
        headers: { 'idempotency-key': 'site-check-1' },
        body: { devices: ['lab-vrp-01'], name: 'site check now', timeout_s: 30 },
      });
    const first = await send();
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ name: 'site check now', timeout_s: 30, total_devices: 1 });
    const again = await send();
    expect([again.status, again.json.id, again.headers.get('idempotent-replayed')]).toEqual([
      200,
      first.json.id,
      'true',
    ]);
    expect(await portal.db.task.count({ where: { templateId: tid } })).toBe(1);
    const task = await waitFinal(portal, first.json.id as string);
    expect(task.status).toBe('completed');
    const bad = await call(runRoute.POST, 'POST', `/templates/${tid}/run`, {
      params: { id: tid },
      headers: { 'idempotency-key': '' },
      body: { devices: ['lab-vrp-01'] },
    });
    expect([bad.status, bad.json.code]).toEqual([400, 'bad_idempotency_key']);
    const read = await call(runRoute.POST, 'POST', `/templates/${tid}/run`, {
      as: 'operator-read',
      params: { id: tid },
      body: { devices: ['lab-vrp-01'] },
    });
    expect([read.status, read.json.code]).toEqual([403, 'read_only_token']);
  });
});

describe('output history and identical-output groups', () => {
  let tid = '';
  const taskIds: string[] = [];
  const fleet = ['lab-vrp-01', 'lab-vrp-02'];

  beforeAll(async () => {
    tid = await ownTemplate(
      audit({
        name: 'sysname-backup',
        inputs: [],
        commands: { huawei_vrp: ['display current-configuration | include sysname'] },
        // every line: the two devices' outputs differ only by their names
        ignore_patterns: ['sysname .*$'],
      }),
    );
    for (let i = 0; i < 2; i++) {
      const run = await call(runRoute.POST, 'POST', `/templates/${tid}/run`, {
        params: { id: tid },
        body: { devices: fleet },
      });
      expect(run.status).toBe(201);
      taskIds.push(run.json.id as string);
      expect((await waitFinal(portal, run.json.id as string)).status).toBe('completed');
    }
  }, 90_000);

  it("lists a device's versions, reads one, and diffs it against the previous one", async () => {
    const device = await portal.deviceId('lab-vrp-02');
    const h = await call(historyRoute.GET, 'GET', `/devices/${device}/history?template=${tid}`, {
      params: { id: device },
    });
    expect(h.status).toBe(200);
    const items = h.json.items as Json[];
    expect(items.map((v) => [v.change, v.template, v.task_id])).toEqual([
      ['unchanged', 'sysname-backup', taskIds[1]],
      ['new', 'sysname-backup', taskIds[0]],
    ]);
    expect(items[0]!.bytes).toBeGreaterThan(0);
    const [latest, first] = items.map((v) => v.id as string);
    const text = await call(historyVersionRoute.GET, 'GET', `/devices/${device}/history/${latest}`, {
      params: { id: device, version: latest! },
    });
    expect(text.json).toEqual({ id: latest, text: expect.stringContaining('sysname lab-vrp-02') });
    const diff = await call(historyDiffRoute.GET, 'GET', `/devices/${device}/history/${latest}/diff`, {
      params: { id: device, version: latest! },
    });
    expect(diff.status).toBe(200);
    expect(diff.json).toMatchObject({
      from: { id: first },
      to: { id: latest },
      changed: false,
      added: 0,
      removed: 0,
      patch: null,
      cut: false,
      too_different: false,
    });
    // the other device's version, named against this device: compared as different text
    const other = await portal.deviceId('lab-vrp-01');
    const otherLatest = (
      (await call(historyRoute.GET, 'GET', `/devices/${other}/history`, { params: { id: other } })).json
        .items as Json[]
    )[0]!.id as string;
    const firstDiff = await call(historyDiffRoute.GET, 'GET', `/devices/${device}/history/${first}/diff`, {
      params: { id: device, version: first! },
    });
    expect([firstDiff.status, Object.keys(errorsOf(firstDiff))]).toEqual([422, ['against']]);
    const explicit = await call(
      historyDiffRoute.GET,
      'GET',
      `/devices/${device}/history/${first}/diff?against=${latest}`,
      { params: { id: device, version: first! } },
    );
    expect(explicit.json).toMatchObject({ from: { id: first }, to: { id: latest }, changed: false });

    // versions belong to their device: another device's is a 404, as is an unknown one
    for (const [handler, path, version] of [
      [historyVersionRoute.GET, `/devices/${device}/history/${otherLatest}`, otherLatest],
      [historyDiffRoute.GET, `/devices/${device}/history/${otherLatest}/diff`, otherLatest],
      [historyDiffRoute.GET, `/devices/${device}/history/${latest}/diff?against=${otherLatest}`, latest!],
      [historyVersionRoute.GET, `/devices/${device}/history/nope`, 'nope'],
    ] as const) {
      const r = await call(handler, 'GET', path, { params: { id: device, version } });
      expect([path, r.status]).toEqual([path, 404]);
    }
  });

  it('history is for those who see the device and the template', async () => {
    const hidden = await portal.deviceId('lab-ios-02');
    const r = await call(historyRoute.GET, 'GET', `/devices/${hidden}/history`, { params: { id: hidden } });
    expect(r.status).toBe(404);
    const device = await portal.deviceId('lab-vrp-01');
    const viewer = await call(historyRoute.GET, 'GET', `/devices/${device}/history?template=${tid}`, {
      as: 'viewer',
      params: { id: device },
    });
    // the viewer sees the device but not the operator's private template: none of its versions
    expect([viewer.status, (viewer.json.items as Json[]).length]).toEqual([200, 0]);
    const owner = await call(historyRoute.GET, 'GET', `/devices/${device}/history?template=${tid}`, {
      params: { id: device },
    });
    expect([owner.status, (owner.json.items as Json[]).length]).toEqual([200, 2]);
    const badQuery = await call(historyRoute.GET, 'GET', `/devices/${device}/history?limit=0`, {
      params: { id: device },
    });
    expect([badQuery.status, Object.keys(errorsOf(badQuery))]).toEqual([422, ['limit']]);
  });

  it("groups a task's devices by output after the template's ignore patterns", async () => {
    const id = taskIds[0]!;
    const r = await call(taskGroupsRoute.GET, 'GET', `/tasks/${id}/groups`, { params: { id } });
    expect(r.status).toBe(200);
    // only the names differ, and the template ignores them
    expect(r.json).toMatchObject({
      devices: 2,
      identical: 2,
      variant_devices: 0,
      variants: [{ devices: fleet, sample_device: 'lab-vrp-01' }],
    });
    expect(r.json.majority).toBe((r.json.variants as Json[])[0]!.hash);
    expect(
      (await call(taskGroupsRoute.GET, 'GET', `/tasks/${id}/groups`, { as: 'operator2', params: { id } }))
        .status,
    ).toBe(404);
    expect(
      (await call(taskGroupsRoute.GET, 'GET', `/tasks/${id}/groups`, { as: 'admin', params: { id } })).status,
    ).toBe(200);
  });
});

describe('schedules', () => {
  let tid = '';
  const schedule = (extra: Json = {}) => ({
    template_id: tid,
    cron: '0 2 * * *',
    time_zone: 'Asia/Shanghai',
    targets: { device_ids: ['lab-vrp-01'] },
    inputs: { detail: 'full' },
    ...extra,
  });
  beforeAll(async () => {
    tid = await ownTemplate(audit({ name: 'nightly', commands: ['display version'] }));
  });

  it('are created with their next five runs, read, changed and deleted', async () => {
    const r = await call(schedulesRoute.POST, 'POST', '/schedules', { body: schedule() });
    expect(r.status).toBe(201);
    const sid = r.json.id as string;
    const vrp = await portal.deviceId('lab-vrp-01');
    expect(r.json).toMatchObject({
      template_id: tid,
      template: 'nightly',
      owner: 'op',
      cron: '0 2 * * *',
      time_zone: 'Asia/Shanghai',
      enabled: true,
      missed_policy: 'skip',
      targets: { device_ids: [vrp], group_ids: [] },
      inputs: { detail: 'full' },
      last_run_at: null,
      last_task_id: null,
      last_error: null,
      missed_runs: 0,
    });
    const next = r.json.next_runs as string[];
    expect(next).toHaveLength(5);
    expect(r.json.next_run_at).toBe(next[0]);
    // 02:00 in Shanghai is 18:00 UTC, a day apart
    expect(next.every((t) => t.endsWith('T18:00:00.000Z'))).toBe(true);

    expect(
      (await call(scheduleRoute.GET, 'GET', `/schedules/${sid}`, { params: { id: sid } })).json,
    ).toMatchObject({
      id: sid,
    });
    expect(
      ((await call(schedulesRoute.GET, 'GET', '/schedules')).json.items as Json[]).map((s) => s.id),
    ).toContain(sid);

    const off = await call(scheduleRoute.PATCH, 'PATCH', `/schedules/${sid}`, {
      params: { id: sid },
      body: { enabled: false, missed_policy: 'run_once' },
    });
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({
      enabled: false,
      missed_policy: 'run_once',
      next_run_at: null,
      next_runs: [],
      cron: '0 2 * * *',
      inputs: { detail: 'full' },
    });
    const bad = await call(scheduleRoute.PATCH, 'PATCH', `/schedules/${sid}`, {
      params: { id: sid },
      body: { cron: '* * * * *' },
    });
    expect([bad.status, Object.keys(errorsOf(bad))]).toEqual([422, ['cron']]);

    expect(
      (await call(scheduleRoute.DELETE, 'DELETE', `/schedules/${sid}`, { params: { id: sid } })).status,
    ).toBe(204);
    expect((await call(scheduleRoute.GET, 'GET', `/schedules/${sid}`, { params: { id: sid } })).status).toBe(
      404,
    );
  });

  it('name each bad field (422)', async () => {
    const cases: [Json, string, RegExp][] = [
      [{ cron: '0 2 * *' }, 'cron', /five fields/],
      [{ time_zone: 'Mars/Olympus' }, 'time_zone', /Unknown time zone/],
      [{ template_id: 'nope' }, 'template_id', /No such template/],
      [{ targets: {} }, 'targets', /Choose devices or groups/],
      [{ targets: { device_ids: ['lab-ios-02'] } }, 'targets.device_ids.0', /lab-ios-02/],
      [{ targets: { group_ids: ['nope'] } }, 'targets.group_ids.0', /No group/],
      [{ inputs: { detail: 'everything' } }, 'inputs.detail', /choose one of/],
      [{ missed_policy: 'catch_up' }, 'missed_policy', /./],
    ];
    for (const [patch, field, message] of cases) {
      const r = await call(schedulesRoute.POST, 'POST', '/schedules', { body: schedule(patch) });
      expect([JSON.stringify(patch), r.status]).toEqual([JSON.stringify(patch), 422]);
      expect(errorsOf(r)[field], `${JSON.stringify(patch)} → ${JSON.stringify(r.json)}`).toMatch(message);
    }
  });

  it("another operator's schedule is a 404; viewers and read tokens are refused", async () => {
    const own = await call(schedulesRoute.POST, 'POST', '/schedules', { body: schedule() });
    expect(own.status).toBe(201);
    const sid = own.json.id as string;
    for (const [handler, method, body] of [
      [scheduleRoute.GET, 'GET', undefined],
      [scheduleRoute.PATCH, 'PATCH', { enabled: true }],
      [scheduleRoute.DELETE, 'DELETE', undefined],
    ] as const) {
      const r = await call(handler, method, `/schedules/${sid}`, {
        as: 'operator2',
        params: { id: sid },
        body,
      });
      expect([method, r.status]).toEqual([method, 404]);
    }
    const viewer = await call(schedulesRoute.POST, 'POST', '/schedules', { as: 'viewer', body: schedule() });
    expect([viewer.status, viewer.json.code]).toEqual([403, 'role']);
    const read = await call(scheduleRoute.DELETE, 'DELETE', `/schedules/${sid}`, {
      as: 'operator-read',
      params: { id: sid },
    });
    expect([read.status, read.json.code]).toEqual([403, 'read_only_token']);
    expect(
      (await call(scheduleRoute.GET, 'GET', `/schedules/${sid}`, { as: 'admin', params: { id: sid } }))
        .status,
    ).toBe(200);
    expect(
      (await call(scheduleRoute.DELETE, 'DELETE', `/schedules/${sid}`, { params: { id: sid } })).status,
    ).toBe(204);
    expect((await call(scheduleRoute.GET, 'GET', `/schedules/${sid}`, { params: { id: sid } })).status).toBe(
      404,
    );
  });
});

describe('webhooks', () => {
  it('are for admins only (403 for others)', async () => {
    for (const [handler, method, path, body] of [
      [webhooksRoute.GET, 'GET', '/webhooks', undefined],
      [
        webhooksRoute.POST,
        'POST',
        '/webhooks',
        { url: 'https://hooks.example.com/h', events: ['task.failed'] },
      ],
      [webhookRoute.DELETE, 'DELETE', '/webhooks/x', undefined],
      [webhookTestRoute.POST, 'POST', '/webhooks/x/test', undefined],
      [webhookDeliveriesRoute.GET, 'GET', '/webhooks/x/deliveries', undefined],
    ] as const) {
      const r = await call(handler, method, path, { params: { id: 'x' }, body });
      expect([method, path, r.status, r.json.code]).toEqual([method, path, 403, 'role']);
    }
  });

  it('refuse a loopback URL unless allowed; the secret is shown once; a test ping is logged as a delivery', async () => {
    const local = await call(webhooksRoute.POST, 'POST', '/webhooks', {
      as: 'admin',
      body: { url: 'http://127.0.0.1:9/hook', events: ['task.failed'] },
    });
    expect(local.status).toBe(422);
    expect(errorsOf(local).url).toMatch(/loopback or link-local/);
    const badEvent = await call(webhooksRoute.POST, 'POST', '/webhooks', {
      as: 'admin',
      body: { url: 'http://127.0.0.1:9/hook', events: ['task.exploded'], allow_local: true },
    });
    expect(Object.keys(errorsOf(badEvent))).toEqual(['events.0']);

    const r = await call(webhooksRoute.POST, 'POST', '/webhooks', {
      as: 'admin',
      body: { url: 'http://127.0.0.1:9/hook', events: ['task.failed', 'config.changed'], allow_local: true },
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      events: ['task.failed', 'config.changed'],
      enabled: true,
      allow_local: true,
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
    });
    const id = r.json.id as string;
    const list = await call(webhooksRoute.GET, 'GET', '/webhooks', { as: 'admin' });
    const listed = (list.json.items as Json[]).find((w) => w.id === id)!;
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('secret');

    const test = await call(webhookTestRoute.POST, 'POST', `/webhooks/${id}/test`, {
      as: 'admin',
      params: { id },
    });
    expect([test.status, test.json]).toEqual([202, { queued: true }]);
    const deliveries = await call(webhookDeliveriesRoute.GET, 'GET', `/webhooks/${id}/deliveries`, {
      as: 'admin',
      params: { id },
    });
    expect(deliveries.json.items).toEqual([
      {
        id: expect.any(String),
        event: 'ping',
        status: 'pending',
        attempts: 0,
        response_code: null,
        error: null,
        duration_ms: null,
        created_at: expect.any(String),
        delivered_at: null,
      },
    ]);

    for (const [handler, method, path] of [
      [webhookTestRoute.POST, 'POST', '/webhooks/nope/test'],
      [webhookDeliveriesRoute.GET, 'GET', '/webhooks/nope/deliveries'],
      [webhookRoute.DELETE, 'DELETE', '/webhooks/nope'],
    ] as const) {
      const x = await call(handler, method, path, { as: 'admin', params: { id: 'nope' } });
      expect([path, x.status]).toEqual([path, 404]);
    }
    expect(
      (await call(webhookRoute.DELETE, 'DELETE', `/webhooks/${id}`, { as: 'admin', params: { id } })).status,
    ).toBe(204);
    expect(
      (await call(webhookRoute.DELETE, 'DELETE', `/webhooks/${id}`, { as: 'admin', params: { id } })).status,
    ).toBe(404);
  });
});
