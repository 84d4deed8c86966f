import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CurrentUser } from '../lib/auth/session';
import { setRuntime } from '../lib/server/registry';
import { startPortal, type Portal } from './harness';

/**
 * The admin pages' Server Actions for groups, teams and grants, run against a real runtime: the
 * device picker searches and pages in the database (and says which devices are in a group), grant
 * sets keep their levels, and only admins get anything.
 */
let acting: CurrentUser | null = null;
vi.mock('../lib/auth/session', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../lib/auth/session')>();
  const { can } = await import('../lib/auth/roles');
  return {
    ...actual,
    authorise: async (permission: import('../lib/auth/roles').Permission) => {
      if (!acting) return { ok: false, error: 'Your session has ended. Sign in again.' };
      return can(acting.role, permission)
        ? { ok: true, user: acting }
        : { ok: false, error: 'Your role does not allow this.' };
    },
  };
});
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

const groups = await import('../app/(portal)/admin/groups/actions');
const teams = await import('../app/(portal)/admin/teams/actions');
const users = await import('../app/(portal)/admin/users/actions');

let portal: Portal;
let admin: CurrentUser;
const EXTRA_DEVICES = 30;

beforeAll(async () => {
  portal = await startPortal();
  setRuntime(portal.runtime);
  admin = { id: portal.users.admin, username: 'admin', displayName: '', role: 'admin' };
  await portal.db.device.createMany({
    data: Array.from({ length: EXTRA_DEVICES }, (_, i) => ({
      name: `pick-${String(i + 1).padStart(2, '0')}`,
      host: `10.9.0.${i + 1}`,
      vendor: 'cisco_ios',
      username: 'u',
      authType: 'password',
      secretEnc: 'unused',
    })),
  });
});
afterAll(async () => {
  setRuntime(undefined);
  await portal.close();
});

function formData(values: Record<string, string>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, v);
  return fd;
}

describe('the admin device picker', () => {
  it('searches and pages in the database, 25 rows at a time', async () => {
    acting = admin;
    const first = await groups.searchDevicesAction({ q: 'pick-', page: 0 });
    if ('error' in first) throw new Error(first.error);
    expect(first.total).toBe(EXTRA_DEVICES);
    expect(first.rows).toHaveLength(25);
    expect(first.rows[0]!.name).toBe('pick-01');
    const second = await groups.searchDevicesAction({ q: 'pick-', page: 1 });
    if ('error' in second) throw new Error(second.error);
    expect(second.rows.map((r) => r.name)).toEqual(['pick-26', 'pick-27', 'pick-28', 'pick-29', 'pick-30']);
    const byHost = await groups.searchDevicesAction({ q: '10.9.0.7', page: 0 });
    if ('error' in byHost) throw new Error(byHost.error);
    expect(byHost.rows.map((r) => r.name)).toEqual(['pick-07']);
  });

  it('with a group, marks members and narrows to members or non-members', async () => {
    acting = admin;
    const created = await groups.createGroupAction({}, formData({ name: 'site:picker', description: '' }));
    expect(created.ok).toBe('Group site:picker created.');
    const id = (await portal.db.deviceGroup.findUniqueOrThrow({ where: { name: 'site:picker' } })).id;
    const three = ['pick-01', 'pick-02', 'pick-03'];
    const ids = await Promise.all(three.map((n) => portal.deviceId(n)));
    expect(await groups.addGroupDevicesAction(id, ids)).toEqual({ ok: 'Added 3 devices.' });
    expect(await groups.addGroupDevicesAction(id, ids.slice(0, 1))).toEqual({
      ok: 'Added 0 devices (1 already in the group).',
    });
    const inGroup = await groups.searchDevicesAction({ q: '', page: 0, groupId: id, scope: 'in' });
    if ('error' in inGroup) throw new Error(inGroup.error);
    expect(inGroup.rows.map((r) => [r.name, r.inGroup])).toEqual(three.map((n) => [n, true]));
    const out = await groups.searchDevicesAction({ q: 'pick-0', page: 0, groupId: id, scope: 'out' });
    if ('error' in out) throw new Error(out.error);
    expect(out.rows.map((r) => r.name)).toEqual([
      'pick-04',
      'pick-05',
      'pick-06',
      'pick-07',
      'pick-08',
      'pick-09',
    ]);
    expect(out.rows.every((r) => r.inGroup === false)).toBe(true);
    expect(await groups.removeGroupDevicesAction(id, ids.slice(0, 1))).toEqual({ ok: 'Removed 1 device.' });
  });

  it('answers nothing but a refusal to operators and to no session', async () => {
    acting = { id: portal.users.operator, username: 'op', displayName: '', role: 'operator' };
    expect(await groups.searchDevicesAction({ q: '', page: 0 })).toEqual({
      error: 'Your role does not allow this.',
    });
    expect(await teams.createTeamAction({}, formData({ name: 'sneaky' }))).toEqual({
      error: 'Your role does not allow this.',
    });
    acting = null;
    expect(await groups.searchDevicesAction({ q: '', page: 0 })).toEqual({
      error: 'Your session has ended. Sign in again.',
    });
    expect(await portal.db.team.count({ where: { name: 'sneaky' } })).toBe(0);
  });
});

describe('groups, teams and grants', () => {
  it('a colliding group name is reported on the name field with what was typed', async () => {
    acting = admin;
    await groups.createGroupAction({}, formData({ name: 'role:access', description: 'first' }));
    const again = await groups.createGroupAction(
      {},
      formData({ name: 'ROLE:Access', description: 'second' }),
    );
    expect(again).toEqual({
      error: 'A group named “role:access” already exists.',
      field: 'name',
      values: { name: 'ROLE:Access', description: 'second' },
    });
  });

  it('a user grant set keeps its levels, and says what was saved', async () => {
    acting = admin;
    const group = await portal.db.deviceGroup.findUniqueOrThrow({ where: { name: 'site:picker' } });
    const device = await portal.deviceId('pick-10');
    const r = await users.setGrantsAction(portal.users.viewer, {
      devices: [{ id: device, level: 'operate' }],
      groups: [{ id: group.id, level: 'view' }],
    });
    expect(r).toEqual({ ok: 'Saved: 1 group and 1 device granted.' });
    expect(
      await portal.db.deviceGrant.findMany({
        where: { userId: portal.users.viewer },
        select: { deviceId: true, level: true },
      }),
    ).toEqual([{ deviceId: device, level: 'operate' }]);
    expect(
      await portal.db.groupGrant.findMany({
        where: { userId: portal.users.viewer },
        select: { groupId: true, level: true },
      }),
    ).toEqual([{ groupId: group.id, level: 'view' }]);
    expect(await users.setGrantsAction(portal.users.viewer, { devices: [], groups: [] })).toEqual({
      ok: 'Saved: 0 devices granted.',
    });
  });

  it('a team: members and a group grant, then deleted', async () => {
    acting = admin;
    expect(await teams.createTeamAction({}, formData({ name: 'NOC', description: '' }))).toMatchObject({
      ok: 'Team NOC created.',
    });
    const team = await portal.db.team.findUniqueOrThrow({ where: { name: 'NOC' } });
    expect(await teams.setTeamMembersAction(team.id, [portal.users.operator2])).toEqual({
      ok: 'Saved: 1 member.',
    });
    expect(await teams.setTeamMembersAction(team.id, ['no-such-user'])).toEqual({
      error: 'No such user: no-such-user.',
    });
    const group = await portal.db.deviceGroup.findUniqueOrThrow({ where: { name: 'site:picker' } });
    expect(
      await teams.setTeamGrantsAction(team.id, { devices: [], groups: [{ id: group.id, level: 'operate' }] }),
    ).toEqual({
      ok: 'Saved: 1 group granted.',
    });
    expect(await teams.deleteTeamAction(team.id)).toEqual({ ok: 'Team deleted.' });
    expect(await portal.db.teamGroupGrant.count({ where: { groupId: group.id } })).toBe(0);
  });
});
