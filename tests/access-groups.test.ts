import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CurrentUser } from '../lib/auth/session';
import { setTeamGrants, setUserGrants } from '../lib/auth/grants';
import { createTeam, deleteTeam, setTeamMembers } from '../lib/auth/teams';
import { addDevicesToGroup, createGroup, deleteGroup, removeDevicesFromGroup } from '../lib/devices/groups';
import { createTask } from '../lib/tasks/service';
import { usersWhoSee } from '../lib/notifications/notifier';
import { defaultLabFleet } from '../lab';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';

/**
 * Grants through groups and teams, end to end against the lab: a team's grant opens terminals for
 * its members, a `view` grant does not, and every way such access is taken away (team grant
 * lowered, member removed, device taken out of the group, group or team deleted) closes the
 * terminals it allowed at once, and only those.
 */
let portal: Portal;
let admin: CurrentUser;

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(20, LAB_CREDS) });
  admin = { id: portal.users.admin, username: 'admin', displayName: '', role: 'admin' };
});
afterAll(() => portal.close());

let n = 0;
async function operator(role: 'operator' | 'viewer' = 'operator') {
  const username = `grp-${role}-${++n}`;
  const u = await portal.db.user.create({ data: { username, role, passwordHash: 'unused' } });
  return { id: u.id, username, role, displayName: '' } as CurrentUser;
}

/** A group holding these lab devices and a team with these members operating it. */
async function teamOnGroup(devices: string[], members: CurrentUser[], level: 'view' | 'operate' = 'operate') {
  const g = await createGroup(admin, { name: `site:grp-${++n}` }, portal.runtime);
  if (!g.ok) throw new Error(g.error);
  const ids = await Promise.all(devices.map((d) => portal.deviceId(d)));
  expect(await addDevicesToGroup(admin, g.id, ids, portal.runtime)).toMatchObject({ ok: true });
  const t = await createTeam(admin, { name: `team-${n}` }, portal.runtime);
  if (!t.ok) throw new Error(t.error);
  await setTeamMembers(
    admin,
    t.id,
    members.map((m) => m.id),
    portal.runtime,
  );
  await setTeamGrants(admin, t.id, { groups: [{ id: g.id, level }] }, portal.runtime);
  return { groupId: g.id, teamId: t.id, deviceIds: ids };
}

async function openTerminal(userId: string, device: string) {
  const client = await TestClient.open(portal, `/ws/terminal/${await portal.deviceId(device)}`, userId);
  client.send({ type: 'connect', cols: 80, rows: 24 });
  await client.waitFrame('terminal_connected', 10_000);
  await client.waitOutput(new RegExp(`${device}[>#]$`), 10_000);
  return client;
}

/** The terminal opens read-only: display commands only (the guard rails' read-only rules). */
async function expectReadOnly(userId: string, device: string) {
  const client = await openTerminal(userId, device);
  expect(client.frames.find((f) => f.type === 'terminal_connected')).toMatchObject({ read_only: true });
  client.send({ type: 'input', data: 'system-view\r' });
  await client.waitOutput(/Not sent: Rule «Read-only terminal: everything else \(viewers\)» denies/);
  await client.close();
}

async function expectClosed(client: TestClient, reason: RegExp) {
  const frame = await client.waitFrame('terminal_closed');
  expect(frame.reason).toMatch(reason);
}

async function expectOpen(client: TestClient, device: string) {
  const from = client.outputTotal;
  client.send({ type: 'input', data: '\r' });
  await client.waitUntil(
    () => client.outputTotal > from && new RegExp(`${device}[>#]$`).test(client.output),
    `a fresh prompt from ${device}`,
  );
  expect(client.closed).toBe(false);
}

describe('access through groups and teams', () => {
  it('a team operating a group opens terminals and tasks; a view grant opens only a read-only terminal and refuses tasks', async () => {
    const alice = await operator();
    const { teamId, groupId } = await teamOnGroup(['lab-vrp-03', 'lab-ios-03'], [alice]);
    const term = await openTerminal(alice.id, 'lab-vrp-03');
    await term.close();
    // another device: not reachable
    expect(
      await TestClient.refusal(portal, `/ws/terminal/${await portal.deviceId('lab-vrp-04')}`, alice.id),
    ).toBe(404);

    await setTeamGrants(admin, teamId, { groups: [{ id: groupId, level: 'view' }] }, portal.runtime);
    await expectReadOnly(alice.id, 'lab-vrp-03');
    const task = await createTask(
      alice,
      {
        name: 't',
        commands: 'display clock',
        deviceIds: [await portal.deviceId('lab-vrp-03')],
        concurrency: '1',
        timeoutSeconds: '10',
      },
      portal.tasks,
    );
    expect(task.ok).toBe(false);
    // but alice still sees it, and is told when it goes down
    expect(await usersWhoSee(portal.db, await portal.deviceId('lab-vrp-03'))).toContain(alice.id);
  });

  it('a viewer in an operating team only views', async () => {
    const vic = await operator('viewer');
    await teamOnGroup(['lab-vrp-05'], [vic]);
    await expectReadOnly(vic.id, 'lab-vrp-05');
    expect(await usersWhoSee(portal.db, await portal.deviceId('lab-vrp-05'))).toContain(vic.id);
  });

  it('lowering a team grant to view closes the members’ terminals on the group, and only there', async () => {
    const [bob, carol] = [await operator(), await operator()];
    const { teamId, groupId } = await teamOnGroup(['lab-vrp-06'], [bob, carol]);
    // bob also has his own grant on another device
    await setUserGrants(admin, bob.id, { devices: [await portal.deviceId('lab-ios-06')] }, portal.runtime);
    const b = await openTerminal(bob.id, 'lab-vrp-06');
    const c = await openTerminal(carol.id, 'lab-vrp-06');
    const own = await openTerminal(bob.id, 'lab-ios-06');
    const bystander = await openTerminal(portal.users.operator, 'lab-vrp-06');

    await setTeamGrants(admin, teamId, { groups: [{ id: groupId, level: 'view' }] }, portal.runtime);

    await expectClosed(b, /access to lab-vrp-06 was removed/);
    await expectClosed(c, /access to lab-vrp-06 was removed/);
    await expectOpen(own, 'lab-ios-06');
    await expectOpen(bystander, 'lab-vrp-06');
    expect(
      await portal.db.auditEvent.count({
        where: { action: 'access.revoked', target: { in: [bob.username, carol.username] } },
      }),
    ).toBe(2);
    await Promise.all([own.close(), bystander.close()]);
  });

  it('removing a member, taking a device out of the group, deleting the group or the team each close at once', async () => {
    const users = await Promise.all([operator(), operator(), operator(), operator()]);
    const [m1, m2, m3, m4] = users as [CurrentUser, CurrentUser, CurrentUser, CurrentUser];
    const a = await teamOnGroup(['lab-vrp-07', 'lab-ios-07'], [m1, m2]);
    const t1 = await openTerminal(m1.id, 'lab-vrp-07');
    const t2 = await openTerminal(m2.id, 'lab-vrp-07');
    // member removed: m1 loses it, m2 keeps it
    await setTeamMembers(admin, a.teamId, [m2.id], portal.runtime);
    await expectClosed(t1, /removed/);
    await expectOpen(t2, 'lab-vrp-07');
    // the device taken out of the group: m2's terminal on it closes; the other device stays reachable
    const t2b = await openTerminal(m2.id, 'lab-ios-07');
    await removeDevicesFromGroup(admin, a.groupId, [await portal.deviceId('lab-vrp-07')], portal.runtime);
    await expectClosed(t2, /lab-vrp-07/);
    await expectOpen(t2b, 'lab-ios-07');
    await t2b.close();

    // deleting a group that grants access needs confirmation, naming who loses what
    const b = await teamOnGroup(['lab-vrp-08'], [m3]);
    const t3 = await openTerminal(m3.id, 'lab-vrp-08');
    const refused = await deleteGroup(admin, b.groupId, { confirm: false }, portal.runtime);
    expect(refused).toMatchObject({ ok: false, impact: { losses: [{ username: m3.username, devices: 1 }] } });
    await expectOpen(t3, 'lab-vrp-08');
    expect(await deleteGroup(admin, b.groupId, { confirm: true }, portal.runtime)).toEqual({ ok: true });
    await expectClosed(t3, /lab-vrp-08/);
    // the device itself is still in the inventory
    expect(await portal.db.device.count({ where: { name: 'lab-vrp-08' } })).toBe(1);

    // deleting the team
    const c = await teamOnGroup(['lab-vrp-09'], [m4]);
    const t4 = await openTerminal(m4.id, 'lab-vrp-09');
    await deleteTeam(admin, c.teamId, portal.runtime);
    await expectClosed(t4, /lab-vrp-09/);
  });

  it('bad input: name collisions ignore case, unknown ids change nothing, operators cannot group what they cannot operate', async () => {
    const g = await createGroup(admin, { name: 'Site:Collide' }, portal.runtime);
    expect(g.ok).toBe(true);
    expect(await createGroup(admin, { name: 'site:collide' }, portal.runtime)).toMatchObject({
      ok: false,
      field: 'name',
      error: expect.stringContaining('already exists'),
    });
    expect(await createGroup(admin, { name: '=cmd|calc' }, portal.runtime)).toMatchObject({
      ok: false,
      field: 'name',
    });
    expect(await createGroup(admin, { name: 'x'.repeat(65) }, portal.runtime)).toMatchObject({ ok: false });
    const u = await operator();
    const before = await portal.db.groupGrant.count({ where: { userId: u.id } });
    const r = await setUserGrants(admin, u.id, { groups: ['no-such-group'] }, portal.runtime);
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('no-such-group') });
    expect(await portal.db.groupGrant.count({ where: { userId: u.id } })).toBe(before);
    if (!g.ok) return;
    // an operator with no grant on lab-vrp-10 cannot put it in a group
    const add = await addDevicesToGroup(u, g.id, [await portal.deviceId('lab-vrp-10')], portal.runtime);
    expect(add).toMatchObject({ ok: false });
    expect(await portal.db.deviceGroupMember.count({ where: { groupId: g.id } })).toBe(0);
  });
});
