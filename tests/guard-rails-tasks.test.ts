import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import pino from 'pino';
import { createSchedule, tickSchedules, updateSchedule } from '../lib/automation/scheduler';
import { createTemplate, runTemplate } from '../lib/automation/templates';
import { createTask, runAgain } from '../lib/tasks/service';
import * as tasksRoute from '../app/api/v1/tasks/route';
import * as schedulesRoute from '../app/api/v1/schedules/route';
import { setRuntime } from '../lib/server/registry';
import { call, mintToken } from './api-client';
import { LAB_CREDS, startPortal, TestClient, waitFinalDetail, type Portal } from './harness';

/**
 * Guard rails on batch tasks (issue 19): refused when the task is created (naming the device, the
 * command and the rule), confirmed by typing the device's name, and judged again when a device runs.
 */

let portal: Portal;
const op2 = () => ({ id: portal.users.operator2, role: 'operator' as const });

beforeAll(async () => {
  // screen models off: the terminals under guard rails below keep one all the same
  portal = await startPortal({ lab: defaultLabFleet(2, LAB_CREDS), screenModel: false }); // lab-vrp-01, lab-ios-01
  const { policy } = portal.runtime;
  const rules = [
    {
      name: 'op2: no reboot',
      patterns: ['reboot', 'reload'],
      action: 'deny',
      userIds: [portal.users.operator2],
    },
    {
      name: 'op2: confirm the clock',
      patterns: ['dis(play) clock'],
      action: 'confirm',
      userIds: [portal.users.operator2],
    },
    { name: 'op2: approve saves', patterns: ['save'], action: 'approve', userIds: [portal.users.operator2] },
  ];
  // at the top: rules decide in order, and the built-in ones would ask operators to confirm first
  const top = (await policy.list())[0]!.id;
  for (const r of rules) {
    const made = await policy.create(portal.users.admin, r, top);
    if (!made.ok) throw new Error(made.error);
  }
});
afterAll(async () => {
  await portal?.close();
});

const form = async (commands: string, devices: string[], extra: Record<string, unknown> = {}) => ({
  name: 'guarded',
  commands,
  deviceIds: await Promise.all(devices.map((d) => portal.deviceId(d))),
  concurrency: '2',
  timeoutSeconds: '20',
  ...extra,
});

/** A template of op2's with these commands for every vendor. */
async function template(name: string, commands: string): Promise<string> {
  const t = await createTemplate(
    op2(),
    {
      name,
      description: '',
      commands,
      vendorCommands: '{}',
      concurrency: '1',
      timeoutSeconds: '20',
      inputs: '[]',
      ignorePatterns: '',
    },
    portal.tasks,
  );
  if (!t.ok) throw new Error(JSON.stringify(t.errors));
  return t.id;
}

describe('a task under the guard rails', () => {
  it('a denied command refuses the task, naming the device, the command and the rule; nothing is stored', async () => {
    const before = await portal.db.task.count();
    const r = await createTask(op2(), await form('display version\nreb', ['lab-vrp-01']), portal.tasks);
    expect(r).toEqual({
      ok: false,
      errors: { commands: 'Refused by the guard rails: «reb» on lab-vrp-01 (rule «op2: no reboot»).' },
      // the same as data: the pages say it in their reader's language
      guard: {
        kind: 'denied',
        items: [{ command: 'reb', device: 'lab-vrp-01', rule: 'op2: no reboot' }],
        more: 0,
      },
    });
    expect(await portal.db.task.count()).toBe(before);
    const audit = await portal.db.auditEvent.findMany({
      where: { userId: portal.users.operator2, action: 'guard.denied' },
    });
    expect(audit.map((a) => a.detail)).toContainEqual(
      expect.stringMatching(/^reb — deny by rule «op2: no reboot».*task refused/),
    );
  });

  it('a command that needs approval cannot wait in a task: refused, saying where to run it', async () => {
    const r = await createTask(op2(), await form('save', ['lab-vrp-01']), portal.tasks);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.commands).toMatch(
      /Needs a second person's approval: «save» on lab-vrp-01.*run these commands from a terminal/,
    );
  });

  it('confirm: the creator types the device name (or "N devices"); confirmed, the task runs', async () => {
    const unconfirmed = await createTask(op2(), await form('dis clock', ['lab-vrp-01']), portal.tasks);
    expect(unconfirmed).toEqual({
      ok: false,
      errors: {
        confirmGuarded:
          'Needs confirming: «dis clock» on lab-vrp-01 (rule «op2: confirm the clock»). Type «lab-vrp-01» to run it.',
      },
      guard: {
        kind: 'confirm',
        items: [{ command: 'dis clock', device: 'lab-vrp-01', rule: 'op2: confirm the clock' }],
        more: 0,
        phrase: 'lab-vrp-01',
      },
    });
    const wrong = await createTask(
      op2(),
      await form('dis clock', ['lab-vrp-01'], { confirmGuarded: 'lab-vrp-02' }),
      portal.tasks,
    );
    expect(wrong.ok).toBe(false);
    const two = await createTask(op2(), await form('dis clock', ['lab-vrp-01', 'lab-ios-01']), portal.tasks);
    expect(two.ok === false && two.errors.confirmGuarded).toMatch(/Type «2 devices» to run it/);
    const ok = await createTask(
      op2(),
      await form('dis clock', ['lab-vrp-01'], { confirmGuarded: ' lab-vrp-01 ' }),
      portal.tasks,
    );
    if (!ok.ok) throw new Error(JSON.stringify(ok.errors));
    const detail = await waitFinalDetail(portal, ok.id);
    expect(detail.task.status).toBe('completed');
    expect((await portal.db.task.findUniqueOrThrow({ where: { id: ok.id } })).guardConfirmed).toBe(true);
    // "Run again" keeps the owner's confirmation of the same commands
    const again = await runAgain(op2(), ok.id, portal.tasks);
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect((await waitFinalDetail(portal, again.id)).task.status).toBe('completed');
  });

  it('a denied command coming from a template variable is refused too', async () => {
    const t = await createTemplate(
      op2(),
      {
        name: 'run anything',
        description: '',
        commands: '{{input.what}}',
        vendorCommands: '{}',
        concurrency: '1',
        timeoutSeconds: '20',
        inputs: JSON.stringify([{ name: 'what', label: 'Command', type: 'text' }]),
        ignorePatterns: '',
      },
      portal.tasks,
    );
    if (!t.ok) throw new Error(JSON.stringify(t.errors));
    const r = await runTemplate(
      op2(),
      t.id,
      { deviceIds: [await portal.deviceId('lab-ios-01')], inputs: { what: 'reload' } },
      portal.tasks,
    );
    expect(r).toMatchObject({
      ok: false,
      errors: { commands: 'Refused by the guard rails: «reload» on lab-ios-01 (rule «op2: no reboot»).' },
    });
  });

  it('a confirmed task runs only what was confirmed, device by device: a command a rule asks to confirm since is not sent, and "Run again" asks for it', async () => {
    // created where the guard rails saw only «dis clock» (as if the rule asked nothing of the other
    // command then); the real executor and "Run again" judge both
    const real = portal.runtime.policy;
    const partial = Object.assign(Object.create(real) as typeof real, {
      judgeCommands: (
        user: Parameters<typeof real.judgeCommands>[0],
        devices: Parameters<typeof real.judgeCommands>[1],
      ) =>
        real.judgeCommands(
          user,
          devices.map((d) => ({ ...d, commands: d.commands.filter((c) => c !== 'display clock') })),
        ),
    });
    const r = await createTask(
      op2(),
      await form('dis clock\ndisplay clock', ['lab-vrp-01'], { confirmGuarded: 'lab-vrp-01' }),
      { ...portal.tasks, policy: partial },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const row = await portal.db.task.findUniqueOrThrow({ where: { id: r.id } });
    expect(row.guardConfirmed).toBe(true);
    expect(JSON.parse(row.guardConfirmedCommands)).toEqual([
      { rule: expect.any(String), command: 'dis clock', devices: [await portal.deviceId('lab-vrp-01')] },
    ]);
    const detail = await waitFinalDetail(portal, r.id);
    expect(detail.devices[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /^Not run: «display clock» now needs confirming \(Rule «op2: confirm the clock» asks to confirm «display clock»\.\); create the task again/,
      ),
    });
    const again = await runAgain(op2(), r.id, portal.tasks);
    expect(again).toMatchObject({
      ok: false,
      errors: {
        confirmGuarded:
          'Needs confirming: «display clock» on lab-vrp-01 (rule «op2: confirm the clock»), which was not confirmed for the task this repeats. Start it as a new task to confirm it.',
      },
    });
  });

  it('judged again when a device runs: a command denied since creation is not sent', async () => {
    // created where nothing checks (as a task queued before the rule existed), run by the real executor
    const unchecked = { ...portal.tasks, policy: undefined };
    const r = await createTask(op2(), await form('display version\nreboot', ['lab-vrp-01']), unchecked);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const detail = await waitFinalDetail(portal, r.id);
    expect(detail.task.status).toBe('failed');
    expect(detail.devices[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /^Not run: the guard rails refuse «reboot» \(Rule «op2: no reboot» denies «reboot»\.\); no command was sent\.$/,
      ),
    });
  });
});

describe('with TERMINAL_SCREEN_MODEL=off', () => {
  it('a terminal under guard rails keeps its screen model: a tab-completed denied line is still read and refused', async () => {
    const c = await TestClient.open(
      portal,
      `/ws/terminal/${await portal.deviceId('lab-vrp-01')}`,
      portal.users.operator2,
    );
    c.send({ type: 'connect', cols: 120, rows: 30 });
    await c.waitFrame('terminal_connected');
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'input', data: 'reb\t\r' });
    await c.waitOutput(/Not sent: Rule «op2: no reboot» denies «reboot»\.[\s\S]*<lab-vrp-01>$/);
    expect(c.output).not.toMatch(/system will reboot/i);
    await c.close();
  });
});

describe('the API', () => {
  it('POST /api/v1/tasks: a command to confirm is refused (422, field confirm) until `confirm` holds the phrase', async () => {
    setRuntime(portal.runtime);
    const { token } = await mintToken(portal.runtime, portal.users.operator2, 'write');
    const body = {
      name: 'api guarded',
      devices: [await portal.deviceId('lab-vrp-01')],
      commands: ['dis clock'],
    };
    const refused = await call(tasksRoute.POST, { method: 'POST', path: '/tasks', token, body });
    expect(refused.status, JSON.stringify(refused.json)).toBe(422);
    expect(JSON.stringify(refused.json)).toMatch(/"confirm".*Type «lab-vrp-01» to run it/);
    // the same as data, for a script: what to send as `confirm`, and which rule asked
    expect(refused.json.guard).toEqual({
      kind: 'confirm',
      items: [{ command: 'dis clock', device: 'lab-vrp-01', rule: 'op2: confirm the clock' }],
      more: 0,
      phrase: 'lab-vrp-01',
    });
    const denied = await call(tasksRoute.POST, {
      method: 'POST',
      path: '/tasks',
      token,
      body: { ...body, commands: ['reboot'], confirm: 'lab-vrp-01' },
    });
    expect(denied.status).toBe(422);
    expect(JSON.stringify(denied.json)).toMatch(
      /Refused by the guard rails: «reboot» on lab-vrp-01 \(rule «op2: no reboot»\)/,
    );
    const ok = await call(tasksRoute.POST, {
      method: 'POST',
      path: '/tasks',
      token,
      body: { ...body, confirm: 'lab-vrp-01' },
    });
    expect(ok.status).toBe(201);
    expect((await waitFinalDetail(portal, ok.json.id as string)).task.status).toBe('completed');
  });
});

describe('templates', () => {
  it('a template run confirms its guarded commands with `confirm` as a task does', async () => {
    const id = await template('clock check', 'display clock');
    const deviceIds = [await portal.deviceId('lab-vrp-01')];
    const asked = await runTemplate(op2(), id, { deviceIds, inputs: {} }, portal.tasks);
    expect(asked).toMatchObject({
      ok: false,
      errors: { confirmGuarded: expect.stringMatching(/Type «lab-vrp-01»/) },
    });
    const run = await runTemplate(op2(), id, { deviceIds, inputs: {}, confirm: 'lab-vrp-01' }, portal.tasks);
    if (!run.ok) throw new Error(JSON.stringify(run.errors));
    expect((await waitFinalDetail(portal, run.id)).task.status).toBe('completed');
  });
});

describe('schedules', () => {
  const deps = () => ({ ...portal.tasks, feed: portal.runtime.feed, log: pino({ level: 'silent' }) });
  const at = (iso: string) => new Date(iso);

  it('its owner confirms the guarded commands once when saving it; its runs send them while the same rule asks, and stop when another rule does', async () => {
    const templateId = await template('nightly clock', 'display clock');
    const base = {
      templateId,
      cron: '0 2 * * *',
      timeZone: 'UTC',
      targets: { deviceIds: [await portal.deviceId('lab-vrp-01')], groupIds: [] },
      inputs: {},
    };
    const saving = at('2030-01-01T00:00:00Z');
    const asked = await createSchedule(op2(), base, deps(), saving);
    expect(asked).toMatchObject({
      ok: false,
      errors: {
        confirm: expect.stringMatching(
          /^Needs confirming: «display clock» on lab-vrp-01 \(rule «op2: confirm the clock»\)\. Type «lab-vrp-01» to run it\.$/,
        ),
      },
    });
    expect(await portal.db.schedule.count({ where: { templateId } })).toBe(0);
    expect(await createSchedule(op2(), { ...base, confirm: 'lab-vrp-02' }, deps(), saving)).toMatchObject({
      ok: false,
      errors: { confirm: expect.stringMatching(/Type «lab-vrp-01»/) },
    });
    const made = await createSchedule(op2(), { ...base, confirm: 'lab-vrp-01' }, deps(), saving);
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    const rule = (await portal.runtime.policy.list()).find((r) => r.name === 'op2: confirm the clock')!;
    const row = await portal.db.schedule.findUniqueOrThrow({ where: { id: made.id } });
    const vrp1 = await portal.deviceId('lab-vrp-01');
    expect(JSON.parse(row.confirmed)).toEqual([{ rule: rule.id, command: 'display clock', devices: [vrp1] }]);
    const created = await portal.db.auditEvent.findFirstOrThrow({
      where: { action: 'schedule.create', detail: { startsWith: made.id } },
    });
    expect(created.detail).toContain('guarded commands confirmed: «display clock» (1 device run)');

    // the planned run: a confirmed task, which the device runs
    const [taskId, ...others] = await tickSchedules(deps(), at('2030-01-01T02:00:10Z'));
    expect(others).toEqual([]);
    const task = await portal.db.task.findUniqueOrThrow({ where: { id: taskId! } });
    expect(task.guardConfirmed).toBe(true);
    expect((await waitFinalDetail(portal, taskId!)).task.status).toBe('completed');

    // a change that does not touch the commands keeps what was confirmed, an admin's too (the
    // schedule is judged as its owner: the rule asks operators, not admins)
    const stored = async () =>
      JSON.parse((await portal.db.schedule.findUniqueOrThrow({ where: { id: made.id } })).confirmed);
    const changed = await updateSchedule(op2(), made.id, { ...base, cron: '0 3 * * *' }, deps(), saving);
    expect(changed).toMatchObject({ ok: true });
    const admin = { id: portal.users.admin, role: 'admin' as const };
    expect(
      await updateSchedule(admin, made.id, { ...base, cron: '0 3 * * *', enabled: true }, deps(), saving),
    ).toMatchObject({ ok: true });
    expect(await stored()).toEqual([{ rule: rule.id, command: 'display clock', devices: [vrp1] }]);

    // a device added to its targets was not confirmed: the phrase again, now for both devices
    const wider = {
      ...base,
      targets: { deviceIds: [vrp1, await portal.deviceId('lab-ios-01')], groupIds: [] },
    };
    expect(await updateSchedule(op2(), made.id, wider, deps(), saving)).toMatchObject({
      ok: false,
      errors: { confirm: expect.stringMatching(/Type «2 devices» to run it/) },
    });
    expect(await stored()).toEqual([{ rule: rule.id, command: 'display clock', devices: [vrp1] }]);

    // another rule asks to confirm the same command now: the next run is not started, saying why
    const top = (await portal.runtime.policy.list())[0]!.id;
    const again = await portal.runtime.policy.create(
      portal.users.admin,
      {
        name: 'op2: clocks again',
        patterns: ['display clock'],
        action: 'confirm',
        userIds: [portal.users.operator2],
      },
      top,
    );
    if (!again.ok) throw new Error(again.error);
    try {
      const before = await portal.db.task.count();
      expect(await tickSchedules(deps(), at('2030-01-02T03:00:10Z'))).toEqual([]);
      expect(await portal.db.task.count()).toBe(before);
      const refused = await portal.db.schedule.findUniqueOrThrow({ where: { id: made.id } });
      expect(refused.lastError).toMatch(
        /Needs confirming: «display clock» on lab-vrp-01 \(rule «op2: clocks again»\), which the schedule's owner did not confirm when saving it\. Save the schedule again to confirm it\./,
      );
      // saving it without the phrase asks for it; with it, the new rule's confirmation is kept
      const unconfirmed = await updateSchedule(op2(), made.id, base, deps(), saving);
      expect(unconfirmed).toMatchObject({
        ok: false,
        errors: { confirm: expect.stringMatching(/Type «lab-vrp-01»/) },
      });
      const confirmed = await updateSchedule(
        op2(),
        made.id,
        { ...base, confirm: 'lab-vrp-01' },
        deps(),
        saving,
      );
      expect(confirmed).toMatchObject({ ok: true });
      const kept = JSON.parse(
        (await portal.db.schedule.findUniqueOrThrow({ where: { id: made.id } })).confirmed,
      );
      expect(kept).toEqual([{ rule: again.id, command: 'display clock', devices: [vrp1] }]);
    } finally {
      const id = (await portal.runtime.policy.list()).find((r) => r.name === 'op2: clocks again')?.id;
      if (id) await portal.runtime.policy.remove(portal.users.admin, id);
      await portal.db.schedule.delete({ where: { id: made.id } });
    }
  });

  it('a schedule whose commands a rule denies, or that need an approval, is refused when saved', async () => {
    const deviceIds = [await portal.deviceId('lab-vrp-01')];
    for (const [commands, error] of [
      ['reboot', /^Refused by the guard rails: «reboot» on lab-vrp-01 \(rule «op2: no reboot»\)\.$/],
      ['save', /^Needs a second person's approval: «save» on lab-vrp-01/],
    ] as const) {
      const templateId = await template(`scheduled ${commands}`, commands);
      const r = await createSchedule(
        op2(),
        { templateId, cron: '0 2 * * *', targets: { deviceIds, groupIds: [] }, confirm: 'lab-vrp-01' },
        deps(),
      );
      expect(r).toMatchObject({ ok: false, errors: { commands: expect.stringMatching(error) } });
      expect(await portal.db.schedule.count({ where: { templateId } })).toBe(0);
    }
  });

  it('POST /api/v1/schedules: refused (422, field confirm) until `confirm` holds the phrase', async () => {
    setRuntime(portal.runtime);
    const { token } = await mintToken(portal.runtime, portal.users.operator2, 'write');
    const body = {
      template_id: await template('api clock', 'dis clock'),
      cron: '30 1 * * *',
      targets: { device_ids: [await portal.deviceId('lab-vrp-01')] },
    };
    const refused = await call(schedulesRoute.POST, { method: 'POST', path: '/schedules', token, body });
    expect(refused.status, JSON.stringify(refused.json)).toBe(422);
    expect(JSON.stringify(refused.json)).toMatch(
      /"confirm":"Needs confirming: .*Type «lab-vrp-01» to run it/,
    );
    expect(refused.json.guard).toMatchObject({ kind: 'confirm', phrase: 'lab-vrp-01' });
    const ok = await call(schedulesRoute.POST, {
      method: 'POST',
      path: '/schedules',
      token,
      body: { ...body, confirm: 'lab-vrp-01' },
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    await portal.db.schedule.delete({ where: { id: ok.json.id as string } });
  });
});
