import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as devicesRoute from '../app/api/v1/devices/route';
import * as groupsRoute from '../app/api/v1/groups/route';
import * as groupRoute from '../app/api/v1/groups/[id]/route';
import * as groupDevicesRoute from '../app/api/v1/groups/[id]/devices/route';
import * as teamsRoute from '../app/api/v1/teams/route';
import * as teamRoute from '../app/api/v1/teams/[id]/route';
import * as membersRoute from '../app/api/v1/teams/[id]/members/route';
import * as teamGrantsRoute from '../app/api/v1/teams/[id]/grants/route';
import * as userGrantsRoute from '../app/api/v1/users/[id]/grants/route';
import { setRuntime } from '../lib/server/registry';
import { defaultLabFleet } from '../lab';
import { call, mintToken } from './api-client';
import { LAB_CREDS, startPortal, type Portal } from './harness';

/**
 * The "done when" through the API: an admin groups devices, makes a team, grants it operate
 * on one group and view on another, and the team's engineer then sees exactly those devices
 * (list, group filter, group list) at the right level.
 */
let portal: Portal;
let admin: string;

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(8, LAB_CREDS) });
  setRuntime(portal.runtime);
  admin = (await mintToken(portal.runtime, portal.users.admin, 'write')).token;
});
afterAll(async () => {
  setRuntime(undefined);
  await portal.close();
});

const ids = (names: string[]) => Promise.all(names.map((n) => portal.deviceId(n)));

async function engineer() {
  const u = await portal.db.user.create({
    data: { username: `eng-${Math.random().toString(36).slice(2, 8)}`, role: 'operator', passwordHash: 'x' },
  });
  return { id: u.id, token: (await mintToken(portal.runtime, u.id, 'read')).token };
}

describe('groups, teams and grants through the API', () => {
  it('a team operating one group and viewing another sees exactly those devices', async () => {
    const core = await call(groupsRoute.POST, { method: 'POST', token: admin, body: { name: 'role:core' } });
    expect(core.status).toBe(201);
    const access = await call(groupsRoute.POST, {
      method: 'POST',
      token: admin,
      body: { name: 'role:access', description: 'access switches' },
    });
    const coreId = core.json.id as string;
    const accessId = access.json.id as string;
    const put = await call(groupDevicesRoute.PUT, {
      method: 'PUT',
      token: admin,
      params: { id: coreId },
      body: { devices: await ids(['lab-vrp-01', 'lab-ios-01']) },
    });
    expect((put.json.devices as string[]).length).toBe(2);
    await call(groupDevicesRoute.PUT, {
      method: 'PUT',
      token: admin,
      params: { id: accessId },
      body: { devices: await ids(['lab-vrp-02', 'lab-ios-02', 'lab-vrp-03']) },
    });

    const team = await call(teamsRoute.POST, {
      method: 'POST',
      token: admin,
      body: { name: 'NOC Shanghai' },
    });
    expect(team.status).toBe(201);
    const teamId = team.json.id as string;
    const [e1, e2] = [await engineer(), await engineer()];
    const members = await call(membersRoute.PUT, {
      method: 'PUT',
      token: admin,
      params: { id: teamId },
      body: { users: [e1.id, e2.id] },
    });
    expect((members.json.users as string[]).sort()).toEqual([e1.id, e2.id].sort());
    const grants = await call(teamGrantsRoute.PUT, {
      method: 'PUT',
      token: admin,
      params: { id: teamId },
      body: {
        groups: [
          { id: coreId, level: 'operate' },
          { id: accessId, level: 'view' },
        ],
      },
    });
    expect(grants.json).toEqual({
      devices: [],
      groups: [
        { id: coreId, level: 'operate', observe: false },
        { id: accessId, level: 'view', observe: false },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    });

    const list = await call(devicesRoute.GET, { token: e1.token, path: '/devices?limit=100' });
    const names = (list.json.items as { name: string; groups: string[] }[]).map((d) => d.name).sort();
    expect(names).toEqual(['lab-ios-01', 'lab-ios-02', 'lab-vrp-01', 'lab-vrp-02', 'lab-vrp-03']);
    const vrp1 = (list.json.items as { name: string; groups: string[] }[]).find(
      (d) => d.name === 'lab-vrp-01',
    );
    expect(vrp1?.groups).toEqual(['role:core']);
    const byGroup = await call(devicesRoute.GET, { token: e2.token, path: `/devices?group=${accessId}` });
    expect((byGroup.json.items as { name: string }[]).map((d) => d.name).sort()).toEqual([
      'lab-ios-02',
      'lab-vrp-02',
      'lab-vrp-03',
    ]);
    // the engineer's group list shows both groups, counting only what they see
    const groups = await call(groupsRoute.GET, { token: e1.token });
    expect(
      (groups.json.items as { name: string; devices: number }[]).filter((g) => g.name.startsWith('role:')),
    ).toEqual([
      expect.objectContaining({ name: 'role:access', devices: 3 }),
      expect.objectContaining({ name: 'role:core', devices: 2 }),
    ]);

    // deleting a granting group: 409 naming who loses what, then with confirm
    const refused = await call(groupRoute.DELETE, {
      method: 'DELETE',
      token: admin,
      params: { id: accessId },
    });
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('confirm_required');
    expect(refused.json.losses).toHaveLength(2);
    const gone = await call(groupRoute.DELETE, {
      method: 'DELETE',
      token: admin,
      path: `/groups/${accessId}?confirm=true`,
      params: { id: accessId },
    });
    expect(gone.status).toBe(204);
    const after = await call(devicesRoute.GET, { token: e1.token, path: '/devices?limit=100' });
    expect((after.json.items as unknown[]).length).toBe(2);
  });

  it('user grants take plain ids (the first shape) or {id, level}; levels are kept per grant', async () => {
    const viewer = await portal.db.user.create({
      data: { username: 'api-viewer-grants', role: 'viewer', passwordHash: 'x' },
    });
    const [a, b] = await ids(['lab-vrp-04', 'lab-ios-04']);
    const r = await call(userGrantsRoute.PUT, {
      method: 'PUT',
      token: admin,
      params: { id: viewer.id },
      body: { devices: [a, { id: b, level: 'operate' }] },
    });
    // a plain id for a viewer means view; an explicit operate is stored (the role caps it when used)
    expect(r.json.devices).toEqual(
      [
        { id: a, level: 'view' },
        { id: b, level: 'operate' },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );
    // leaving `groups` out keeps them; a bad level is refused
    const bad = await call(userGrantsRoute.PUT, {
      method: 'PUT',
      token: admin,
      params: { id: viewer.id },
      body: { devices: [{ id: a, level: 'root' }] },
    });
    expect(bad.status).toBe(422);
  });

  it('bad input: collisions 409, unknown ids 404/422, non-admins 403', async () => {
    await call(teamsRoute.POST, { method: 'POST', token: admin, body: { name: 'Dup Team' } });
    const dup = await call(teamsRoute.POST, { method: 'POST', token: admin, body: { name: 'dup team' } });
    expect(dup.status).toBe(409);
    expect((await call(teamRoute.GET, { token: admin, params: { id: 'nope' } })).status).toBe(404);
    expect(
      (
        await call(membersRoute.PUT, {
          method: 'PUT',
          token: admin,
          params: { id: 'nope' },
          body: { users: [] },
        })
      ).status,
    ).toBe(404);
    const g = await call(groupsRoute.POST, { method: 'POST', token: admin, body: { name: 'bad-input' } });
    const unknown = await call(groupDevicesRoute.PUT, {
      method: 'PUT',
      token: admin,
      params: { id: g.json.id as string },
      body: { devices: ['no-such-device'] },
    });
    expect(unknown.status).toBe(422);
    // a group's jump host: an SSH device by name, or null; anything else is refused
    const bad = await call(groupRoute.PATCH, {
      method: 'PATCH',
      token: admin,
      params: { id: g.json.id as string },
      body: { jump_host: 'no-such-hop' },
    });
    expect(bad.status).toBe(422);
    const set = await call(groupRoute.PATCH, {
      method: 'PATCH',
      token: admin,
      params: { id: g.json.id as string },
      body: { jump_host: 'lab-vrp-04' },
    });
    expect(set.json).toMatchObject({ name: 'bad-input', jump_host: 'lab-vrp-04' });
    const cleared = await call(groupRoute.PATCH, {
      method: 'PATCH',
      token: admin,
      params: { id: g.json.id as string },
      body: { jump_host: null },
    });
    expect(cleared.json).toMatchObject({ jump_host: null });
    const name = await call(groupsRoute.POST, { method: 'POST', token: admin, body: { name: '' } });
    expect(name.status).toBe(422);
    const op = (await mintToken(portal.runtime, portal.users.operator, 'write')).token;
    expect((await call(groupsRoute.POST, { method: 'POST', token: op, body: { name: 'mine' } })).status).toBe(
      403,
    );
    expect((await call(teamsRoute.GET, { token: op })).status).toBe(403);
  });
});
