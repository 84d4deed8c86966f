import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as listRoute from '../app/api/v1/recordings/route';
import * as oneRoute from '../app/api/v1/recordings/[id]/route';
import * as castRoute from '../app/api/v1/recordings/[id]/cast/route';
import * as teamGrantsRoute from '../app/api/v1/teams/[id]/grants/route';
import * as teamRoute from '../app/api/v1/teams/[id]/route';
import { setTeamGrants } from '../lib/auth/grants';
import type { CurrentUser } from '../lib/auth/session';
import {
  canObserveDevice,
  canSeeAllRecordings,
  formatTeamPermissions,
  parseTeamPermissions,
} from '../lib/auth/session-permissions';
import { createTeam, setTeamMembers, setTeamPermissions } from '../lib/auth/teams';
import { recordingFacets } from '../lib/recordings/service';
import { setRuntime } from '../lib/server/registry';
import { call, mintToken } from './api-client';
import { startPortal, type Portal } from './harness';

/**
 * Team permissions (issue 18): a team with `recordings` lets its members find and play everyone's
 * recordings (list, search, playback, API) and a team's group grant with `observe` lets its members
 * watch other users' sessions on that group's devices. Both are set on the team's admin page and
 * through the API, are audited, and end as soon as they are taken away or the member leaves.
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
const teamActions = await import('../app/(portal)/admin/teams/actions');

let portal: Portal;
let admin: CurrentUser;
const tokens = { admin: '', op: '', op2: '', viewer: '' };
const rec = { op: '', op2: '' };
const CAST = '{"version":2,"width":80,"height":24,"timestamp":1}\n[0.5,"o","show clock\\r\\n"]\n';

const list = (token: string, query = '') => call(listRoute.GET, { token, path: `/recordings${query}` });
const ids = (r: { json: Record<string, unknown> }) =>
  (r.json.items as { id: string }[]).map((i) => i.id).sort();
const one = (token: string, id: string) =>
  call(oneRoute.GET, { token, path: `/recordings/${id}`, params: { id } });
const cast = (token: string, id: string) =>
  call(castRoute.GET, { token, path: `/recordings/${id}/cast`, params: { id } });

/** A finished recording of `userId` on a lab device, its cast in the portal's store. */
async function recording(userId: string, username: string, command: string): Promise<string> {
  const store = portal.runtime.recordings!.store;
  const id = crypto.randomUUID();
  const startedAt = new Date();
  const key = store.keyFor(id, startedAt);
  const w = store.create(key);
  w.write(CAST);
  const { storedBytes } = await w.end();
  await portal.db.recording.create({
    data: {
      id,
      sessionId: crypto.randomUUID(),
      userId,
      username,
      deviceId: await portal.deviceId('lab-vrp-01'),
      deviceName: 'lab-vrp-01',
      nodeId: 'test',
      startedAt,
      endedAt: startedAt,
      state: 'complete',
      key,
      bytes: CAST.length,
      storedBytes,
      commandCount: 1,
      commands: { create: { offsetMs: 500, command } },
    },
  });
  return id;
}

const subject = (id: string, role: 'admin' | 'operator' | 'viewer') => ({ id, role });

beforeAll(async () => {
  portal = await startPortal();
  setRuntime(portal.runtime);
  admin = { id: portal.users.admin, username: 'admin', displayName: '', role: 'admin' };
  tokens.admin = (await mintToken(portal.runtime, portal.users.admin, 'write')).token;
  tokens.op = (await mintToken(portal.runtime, portal.users.operator, 'read')).token;
  tokens.op2 = (await mintToken(portal.runtime, portal.users.operator2, 'read')).token;
  tokens.viewer = (await mintToken(portal.runtime, portal.users.viewer, 'read')).token;
  rec.op = await recording(portal.users.operator, 'op', 'display clock');
  rec.op2 = await recording(portal.users.operator2, 'op2', 'reset saved-configuration');
});
afterAll(async () => {
  setRuntime(undefined);
  await portal?.close();
});

async function auditOf(action: string, target: string) {
  return portal.db.auditEvent.findMany({ where: { action, target }, orderBy: { at: 'asc' } });
}

describe('the recordings permission', () => {
  it('is stored as a known list: unknown names are dropped, the order is fixed', () => {
    expect(parseTeamPermissions('recordings')).toEqual(['recordings']);
    expect(parseTeamPermissions('')).toEqual([]);
    expect(parseTeamPermissions('superpowers,recordings')).toEqual(['recordings']);
    expect(parseTeamPermissions('recordingsx')).toEqual([]);
    expect(formatTeamPermissions(['recordings', 'recordings'])).toBe('recordings');
    expect(formatTeamPermissions([])).toBe('');
  });

  it('lets a team’s members list, search, open and download everyone’s recordings, until it is taken away', async () => {
    // before: each operator sees their own; the viewer (no recordings) none
    expect(ids(await list(tokens.op))).toEqual([rec.op]);
    expect((await one(tokens.op, rec.op2)).status).toBe(404);
    expect((await cast(tokens.op, rec.op2)).status).toBe(404);
    expect(await canSeeAllRecordings(portal.db, subject(portal.users.operator, 'operator'))).toBe(false);

    const team = await createTeam(admin, { name: 'Auditors' }, portal.runtime);
    if (!team.ok) throw new Error(team.error);
    await setTeamMembers(admin, team.id, [portal.users.operator, portal.users.viewer], portal.runtime);
    // members of a team without the permission: still their own only
    expect(ids(await list(tokens.op))).toEqual([rec.op]);

    const patched = await call(teamRoute.PATCH, {
      method: 'PATCH',
      token: tokens.admin,
      params: { id: team.id },
      body: { permissions: ['recordings'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: 'Auditors', permissions: ['recordings'], members: 2 });
    // a PATCH of the permissions alone is not a rename in the audit
    expect(await auditOf('team.update', 'Auditors')).toEqual([]);
    // (the API adds which token did it)
    expect((await auditOf('team.permissions', 'Auditors')).map((e) => e.detail)).toEqual([
      expect.stringMatching(/^\+recordings; via API token/),
    ]);

    const all = [rec.op, rec.op2].sort();
    expect(ids(await list(tokens.op))).toEqual(all);
    // the viewer (a member too) sees them whatever the role: watching changes nothing
    expect(ids(await list(tokens.viewer))).toEqual(all);
    // search by user and by command reach other users' recordings
    expect(ids(await list(tokens.op, '?user=op2'))).toEqual([rec.op2]);
    expect(ids(await list(tokens.op, '?command=saved-config'))).toEqual([rec.op2]);
    expect((await one(tokens.op, rec.op2)).json).toMatchObject({ id: rec.op2, username: 'op2' });
    const played = await cast(tokens.op, rec.op2);
    expect([played.status, played.text]).toEqual([200, CAST]);
    expect(await recordingFacets(subject(portal.users.operator, 'operator'), portal.runtime)).toEqual({
      devices: ['lab-vrp-01'],
      users: ['op', 'op2'],
    });
    // someone outside the team: unchanged
    expect(ids(await list(tokens.op2))).toEqual([rec.op2]);
    expect((await cast(tokens.op2, rec.op)).status).toBe(404);

    // out of the team: back to their own at once
    await setTeamMembers(admin, team.id, [portal.users.viewer], portal.runtime);
    expect(ids(await list(tokens.op))).toEqual([rec.op]);
    expect((await cast(tokens.op, rec.op2)).status).toBe(404);
    expect(ids(await list(tokens.viewer))).toEqual(all);

    // the permission taken away: the remaining member is back to their own (none)
    const off = await setTeamPermissions(admin, team.id, [], portal.runtime);
    expect(off).toEqual({ ok: true, permissions: [] });
    expect(ids(await list(tokens.viewer))).toEqual([]);
    expect((await auditOf('team.permissions', 'Auditors')).map((e) => e.detail)).toEqual([
      expect.stringMatching(/^\+recordings/),
      '−recordings',
    ]);
    // setting what it already has changes nothing and audits nothing
    await setTeamPermissions(admin, team.id, [], portal.runtime);
    expect(await auditOf('team.permissions', 'Auditors')).toHaveLength(2);
  });

  it('refuses a permission it does not know, in the service and in the API', async () => {
    const team = await createTeam(admin, { name: 'Strict' }, portal.runtime);
    if (!team.ok) throw new Error(team.error);
    expect(await setTeamPermissions(admin, team.id, ['recordings', 'root'], portal.runtime)).toEqual({
      ok: false,
      error: 'No such permission: root.',
    });
    expect(await setTeamPermissions(admin, 'no-such-team', ['recordings'], portal.runtime)).toEqual({
      ok: false,
      error: 'No such team.',
    });
    const r = await call(teamRoute.PATCH, {
      method: 'PATCH',
      token: tokens.admin,
      params: { id: team.id },
      body: { permissions: ['root'] },
    });
    expect([r.status, r.json.code]).toEqual([422, 'invalid']);
    const missing = await call(teamRoute.PATCH, {
      method: 'PATCH',
      token: tokens.admin,
      params: { id: 'nope' },
      body: { permissions: ['recordings'] },
    });
    expect(missing.status).toBe(404);
    expect((await portal.db.team.findUniqueOrThrow({ where: { id: team.id } })).permissions).toBe('');
  });
});

describe('observing through a team’s group grant', () => {
  it('lets the members observe the group’s devices only, and only while the grant includes it', async () => {
    const [vrp1, vrp2] = [await portal.deviceId('lab-vrp-01'), await portal.deviceId('lab-vrp-02')];
    const group = await portal.db.deviceGroup.create({
      data: { name: 'site:observed', members: { create: { deviceId: vrp1 } } },
    });
    const other = await portal.db.deviceGroup.create({ data: { name: 'site:elsewhere' } });
    const team = await createTeam(admin, { name: 'NOC watch' }, portal.runtime);
    if (!team.ok) throw new Error(team.error);
    await setTeamMembers(admin, team.id, [portal.users.viewer], portal.runtime);
    const viewer = subject(portal.users.viewer, 'viewer');
    const op2 = subject(portal.users.operator2, 'operator');

    // a grant without observe: seeing is not watching
    await setTeamGrants(admin, team.id, { groups: [{ id: group.id, level: 'view' }] }, portal.runtime);
    expect(await canObserveDevice(portal.db, viewer, vrp1)).toBe(false);

    const put = await call(teamGrantsRoute.PUT, {
      method: 'PUT',
      token: tokens.admin,
      params: { id: team.id },
      body: { groups: [{ id: group.id, level: 'view', observe: true }, other.id] },
    });
    expect(put.status).toBe(200);
    expect(put.json.groups).toEqual(
      [
        { id: group.id, level: 'view', observe: true },
        { id: other.id, level: 'operate', observe: false },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect((await call(teamGrantsRoute.GET, { token: tokens.admin, params: { id: team.id } })).json).toEqual(
      put.json,
    );
    // a viewer may watch (read-only) on the group's device; not on a device outside it
    expect(await canObserveDevice(portal.db, viewer, vrp1)).toBe(true);
    expect(await canObserveDevice(portal.db, viewer, vrp2)).toBe(false);
    // nor may someone outside the team; an admin always may
    expect(await canObserveDevice(portal.db, op2, vrp1)).toBe(false);
    expect(await canObserveDevice(portal.db, subject(portal.users.admin, 'admin'), vrp2)).toBe(true);
    // observing is not the recordings permission
    expect(await canSeeAllRecordings(portal.db, viewer)).toBe(false);

    const audits = await auditOf('team.grants', 'NOC watch');
    expect(audits.map((a) => a.detail.replace(/; via API token .*$/, ''))).toEqual([
      '0 devices, 1 group',
      '0 devices, 2 groups (observe on 1 group, was 0)',
    ]);

    // a device added to the group later is observable at once; a grant set again without observe ends it
    await portal.db.deviceGroupMember.create({ data: { groupId: group.id, deviceId: vrp2 } });
    expect(await canObserveDevice(portal.db, viewer, vrp2)).toBe(true);
    const again = await call(teamGrantsRoute.PUT, {
      method: 'PUT',
      token: tokens.admin,
      params: { id: team.id },
      body: { groups: [{ id: group.id, level: 'view' }] },
    });
    expect(again.json.groups).toEqual([{ id: group.id, level: 'view', observe: false }]);
    expect(await canObserveDevice(portal.db, viewer, vrp1)).toBe(false);
    expect((await auditOf('team.grants', 'NOC watch')).at(-1)?.detail).toMatch(
      /^0 devices, 1 group \(observe on 0 groups, was 1\)/,
    );
    // user grants have no observe: the team-only field is refused there
    const bad = await call(teamGrantsRoute.PUT, {
      method: 'PUT',
      token: tokens.admin,
      params: { id: team.id },
      body: { groups: [{ id: group.id, observe: 'yes' }] },
    });
    expect(bad.status).toBe(422);
  });
});

describe('the team page’s actions', () => {
  it('save the permissions and observing grants for admins only, and refuse what they do not know', async () => {
    const team = await createTeam(admin, { name: 'Page team' }, portal.runtime);
    if (!team.ok) throw new Error(team.error);
    const group = await portal.db.deviceGroup.create({ data: { name: 'site:page' } });
    acting = { id: portal.users.operator, username: 'op', displayName: '', role: 'operator' };
    expect(await teamActions.setTeamPermissionsAction(team.id, ['recordings'])).toEqual({
      error: 'Your role does not allow this.',
    });
    acting = admin;
    expect(await teamActions.setTeamPermissionsAction(team.id, ['recordings'])).toEqual({
      ok: 'Saved: permissions updated.',
    });
    expect((await portal.db.team.findUniqueOrThrow({ where: { id: team.id } })).permissions).toBe(
      'recordings',
    );
    expect(
      await teamActions.setTeamGrantsAction(team.id, {
        devices: [],
        groups: [{ id: group.id, level: 'operate', observe: true }],
      }),
    ).toEqual({ ok: 'Saved: 1 group granted.' });
    expect(
      await portal.db.teamGroupGrant.findUniqueOrThrow({
        where: { teamId_groupId: { teamId: team.id, groupId: group.id } },
      }),
    ).toMatchObject({ level: 'operate', observe: true });
    for (const args of [
      [team.id, ['root']],
      [team.id, 'recordings'],
      [{ not: '' }, ['recordings']],
      [team.id, ['recordings', 'recordings']],
    ] as const) {
      expect(
        await (teamActions.setTeamPermissionsAction as (...a: unknown[]) => Promise<unknown>)(...args),
      ).toEqual({ error: 'Invalid request.' });
    }
    expect(
      await (teamActions.setTeamGrantsAction as (...a: unknown[]) => Promise<unknown>)(team.id, {
        devices: [],
        groups: [{ id: group.id, level: 'view', observe: 'yes' }],
      }),
    ).toEqual({ error: 'Invalid request.' });
    // unchanged by the refused calls
    expect((await portal.db.team.findUniqueOrThrow({ where: { id: team.id } })).permissions).toBe(
      'recordings',
    );
  });
});
