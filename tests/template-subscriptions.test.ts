import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import { setSubscription } from '../lib/automation/subscriptions';
import { createTemplate, runTemplate, type TemplateActor } from '../lib/automation/templates';
import { createTask } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, type Portal } from './harness';

// Following a template: "configuration changed on N devices" reaches the people who follow it, once
// per run that found a change, in a form each of them may open, and nobody who cannot see it.

let portal: Portal;
const as = (id: string, role: TemplateActor['role']): TemplateActor => ({ id, role });
const admin = () => as(portal.users.admin, 'admin');
const op = () => as(portal.users.operator, 'operator');
const op2 = () => as(portal.users.operator2, 'operator');

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(2, LAB_CREDS, 'huawei_vrp') });
}, 60_000);
afterAll(() => portal.close());

async function finished(taskId: string) {
  await vi.waitFor(
    async () => {
      const t = await portal.db.task.findUniqueOrThrow({ where: { id: taskId } });
      expect(t.status).toBe('completed');
    },
    { timeout: 30_000, interval: 50 },
  );
}

async function run(actor: TemplateActor, templateId: string, device: string) {
  const r = await runTemplate(
    actor,
    templateId,
    { deviceIds: [await portal.deviceId(device)], inputs: {} },
    portal.tasks,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  await finished(r.id);
  return r.id;
}

/** Change an interface description on a lab device through its CLI, as an engineer would. */
async function changeConfig(device: string, description: string) {
  const r = await createTask(
    admin(),
    {
      name: `change ${description}`,
      commands: [
        'system-view',
        'interface GigabitEthernet0/0/1',
        `description ${description}`,
        'quit',
        'quit',
      ].join('\n'),
      deviceIds: [await portal.deviceId(device)],
      concurrency: '1',
      timeoutSeconds: '20',
    },
    portal.tasks,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  await finished(r.id);
}

/** A user's "configuration changed" notifications about one template. */
const changeNotes = (userId: string, template: string) =>
  portal.db.notification.findMany({
    where: { userId, kind: 'config_changed', title: { startsWith: `${template}:` } },
    orderBy: { seq: 'asc' },
  });

async function template(actor: TemplateActor, name: string, teamId?: string) {
  const t = await createTemplate(
    actor,
    {
      name,
      commands: 'display current-configuration',
      concurrency: '2',
      timeoutSeconds: '20',
      ignorePatterns: '^!Last configuration was .*$',
      ...(teamId ? { teamId } : {}),
    },
    portal.tasks,
  );
  if (!t.ok) throw new Error(JSON.stringify(t.errors));
  return t.id;
}

describe('following a template', () => {
  it('tells followers once per run that found a change, each with a link they may open', async () => {
    const id = await template(op(), 'follow-backup');
    // the author follows from the start; an admin follows; a viewer cannot see a private template
    expect(await setSubscription(admin(), id, true, portal.tasks)).toEqual({ ok: true, subscribed: true });
    expect(await setSubscription(as(portal.users.viewer, 'viewer'), id, true, portal.tasks)).toEqual({
      ok: false,
      error: 'not_found',
    });
    expect(await setSubscription(op(), 'no-such-template', true, portal.tasks)).toEqual({
      ok: false,
      error: 'not_found',
    });

    await run(op(), id, 'lab-vrp-01'); // first run: every output is new, nothing "changed"
    await run(op(), id, 'lab-vrp-01'); // unchanged
    expect(await changeNotes(portal.users.operator, 'follow-backup')).toEqual([]);

    await changeConfig('lab-vrp-01', 'followed-change-1');
    const changedRun = await run(op(), id, 'lab-vrp-01');
    await vi.waitFor(async () =>
      expect(await changeNotes(portal.users.admin, 'follow-backup')).toHaveLength(1),
    );
    const [mine] = await changeNotes(portal.users.operator, 'follow-backup');
    expect(mine).toMatchObject({
      link: `/tasks/${changedRun}`,
      title: 'follow-backup: output changed on 1 device',
    });
    expect(JSON.parse(mine!.params)).toEqual({ template: 'follow-backup', changed: 1, unchanged: 0, new: 0 });
    expect((await changeNotes(portal.users.admin, 'follow-backup'))[0]!.link).toBe(`/tasks/${changedRun}`);

    // unfollowing stops them; following twice is one follow
    expect(await setSubscription(op(), id, false, portal.tasks)).toEqual({ ok: true, subscribed: false });
    await setSubscription(admin(), id, true, portal.tasks);
    await changeConfig('lab-vrp-01', 'followed-change-2');
    await run(op(), id, 'lab-vrp-01');
    await vi.waitFor(async () =>
      expect(await changeNotes(portal.users.admin, 'follow-backup')).toHaveLength(2),
    );
    expect(await changeNotes(portal.users.operator, 'follow-backup')).toHaveLength(1);
  });

  it('sends team followers to the template, and forgets those who left the team', async () => {
    const team = await portal.db.team.create({
      data: {
        name: 'follow-team',
        members: { create: [{ userId: portal.users.operator }, { userId: portal.users.operator2 }] },
      },
    });
    const id = await template(op(), 'team-backup', team.id);
    expect(await setSubscription(op2(), id, true, portal.tasks)).toEqual({ ok: true, subscribed: true });
    await run(op(), id, 'lab-vrp-02');
    await changeConfig('lab-vrp-02', 'team-change-1');
    await run(op(), id, 'lab-vrp-02');
    // op2 cannot open op's task: the notification leads to the template instead
    await vi.waitFor(async () =>
      expect((await changeNotes(portal.users.operator2, 'team-backup')).map((n) => n.link)).toEqual([
        `/templates/${id}`,
      ]),
    );

    await portal.db.teamMember.deleteMany({ where: { teamId: team.id, userId: portal.users.operator2 } });
    await changeConfig('lab-vrp-02', 'team-change-2');
    await run(op(), id, 'lab-vrp-02');
    await vi.waitFor(async () =>
      expect(await changeNotes(portal.users.operator, 'team-backup')).toHaveLength(2),
    );
    expect(await changeNotes(portal.users.operator2, 'team-backup')).toHaveLength(1);
  });
});
