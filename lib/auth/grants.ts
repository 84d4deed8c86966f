import 'server-only';
import type { CurrentUser } from './session';
import { type AccessDeps, teamMemberIds, withAccessChange } from './access-change';
import { plural } from '../format/plural';
import type { PrismaClient } from '../db/client';
import { roleCap, type GrantLevel } from '../devices/visibility';
import { isRole } from './roles';

/**
 * Grants of a user or a team: `view` or `operate` on devices and on device groups. Setting them
 * replaces the whole set (what the admin page and `PUT …/grants` do); access taken away closes the
 * affected terminals at once. A team's grant on a group may also let its members observe other
 * users' sessions there (`observe`, lib/auth/session-permissions.ts).
 */
export interface GrantSet {
  devices: { id: string; level: GrantLevel }[];
  groups: { id: string; level: GrantLevel }[];
}

/** A team's grants: its group grants say whether they include observing. */
export interface TeamGrantSet {
  devices: { id: string; level: GrantLevel }[];
  groups: { id: string; level: GrantLevel; observe: boolean }[];
}

/** A grant as given by a caller: a plain id means the highest level the subject can hold. */
export type GrantInput = string | { id: string; level?: GrantLevel };
/** A team's group grant as given by a caller (`observe` left out: not included). */
export type TeamGroupGrantInput = string | { id: string; level?: GrantLevel; observe?: boolean };

export type GrantsResult = { ok: true; grants: GrantSet } | { ok: false; error: string; notFound?: boolean };
export type TeamGrantsResult =
  { ok: true; grants: TeamGrantSet } | { ok: false; error: string; notFound?: boolean };

export const GRANTS_MAX = 10_000;

function normalise(items: GrantInput[], plainLevel: GrantLevel): { id: string; level: GrantLevel }[] {
  const byId = new Map<string, GrantLevel>();
  for (const it of items) {
    const id = typeof it === 'string' ? it : it.id;
    const level = typeof it === 'string' ? plainLevel : (it.level ?? plainLevel);
    // The same id twice: the higher level wins.
    if (byId.get(id) !== 'operate') byId.set(id, level);
  }
  return [...byId].map(([id, level]) => ({ id, level }));
}

async function checkTargets(
  db: PrismaClient,
  devices: { id: string }[],
  groups: { id: string }[],
): Promise<string | null> {
  if (devices.length + groups.length > GRANTS_MAX) return `At most ${GRANTS_MAX} grants.`;
  const [d, g] = await Promise.all([
    db.device.findMany({ where: { id: { in: devices.map((x) => x.id) } }, select: { id: true } }),
    db.deviceGroup.findMany({ where: { id: { in: groups.map((x) => x.id) } }, select: { id: true } }),
  ]);
  const dk = new Set(d.map((x) => x.id));
  const gk = new Set(g.map((x) => x.id));
  const missingD = devices.filter((x) => !dk.has(x.id)).map((x) => x.id);
  const missingG = groups.filter((x) => !gk.has(x.id)).map((x) => x.id);
  if (missingD.length)
    return `No such device: ${missingD.slice(0, 5).join(', ')}${missingD.length > 5 ? ` and ${missingD.length - 5} more` : ''}.`;
  if (missingG.length) return `No such group: ${missingG.slice(0, 5).join(', ')}.`;
  return null;
}

function sorted<S extends GrantSet | TeamGrantSet>(set: S): S {
  const by = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return { ...set, devices: [...set.devices].sort(by), groups: [...set.groups].sort(by) };
}

/** Group ids (of those given) whose grant asks for observing; the same id twice observes if either does. */
function observed(items: TeamGroupGrantInput[]): Set<string> {
  return new Set(items.flatMap((it) => (typeof it !== 'string' && it.observe ? [it.id] : [])));
}

export async function userGrants(db: PrismaClient, userId: string): Promise<GrantSet> {
  const [devices, groups] = await Promise.all([
    db.deviceGrant.findMany({ where: { userId }, select: { deviceId: true, level: true } }),
    db.groupGrant.findMany({ where: { userId }, select: { groupId: true, level: true } }),
  ]);
  return sorted({
    devices: devices.map((g) => ({ id: g.deviceId, level: g.level as GrantLevel })),
    groups: groups.map((g) => ({ id: g.groupId, level: g.level as GrantLevel })),
  });
}

export async function teamGrants(db: PrismaClient, teamId: string): Promise<TeamGrantSet> {
  const [devices, groups] = await Promise.all([
    db.teamDeviceGrant.findMany({ where: { teamId }, select: { deviceId: true, level: true } }),
    db.teamGroupGrant.findMany({ where: { teamId }, select: { groupId: true, level: true, observe: true } }),
  ]);
  return sorted({
    devices: devices.map((g) => ({ id: g.deviceId, level: g.level as GrantLevel })),
    groups: groups.map((g) => ({ id: g.groupId, level: g.level as GrantLevel, observe: g.observe })),
  });
}

/**
 * Replace a user's grants. A plain id means the highest level the user's role allows (`operate` for
 * operators, `view` for viewers); an explicit `operate` is stored as given and capped by the role
 * when used, so a viewer promoted later gets what was meant.
 */
export async function setUserGrants(
  actor: CurrentUser,
  userId: string,
  input: { devices?: GrantInput[]; groups?: GrantInput[] },
  deps: AccessDeps,
): Promise<GrantsResult> {
  const db = deps.db;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, username: true, role: true },
  });
  if (!user) return { ok: false, error: 'No such user.', notFound: true };
  const plainLevel = isRole(user.role) ? roleCap(user.role) : 'view';
  const devices = normalise(input.devices ?? [], plainLevel);
  const groups = normalise(input.groups ?? [], plainLevel);
  const bad = await checkTargets(db, devices, groups);
  if (bad) return { ok: false, error: bad };
  await withAccessChange(
    actor,
    [userId],
    null,
    () =>
      db.$transaction([
        db.deviceGrant.deleteMany({ where: { userId } }),
        db.deviceGrant.createMany({ data: devices.map((d) => ({ userId, deviceId: d.id, level: d.level })) }),
        db.groupGrant.deleteMany({ where: { userId } }),
        db.groupGrant.createMany({ data: groups.map((g) => ({ userId, groupId: g.id, level: g.level })) }),
      ]),
    deps,
  );
  await deps.audit({
    userId: actor.id,
    action: 'user.grants',
    target: user.username,
    detail: `${plural(devices.length, 'device')}, ${plural(groups.length, 'group')}`,
  });
  return { ok: true, grants: await userGrants(db, userId) };
}

/**
 * Replace a team's grants (a plain id means `operate`; each member's role still caps it). A group
 * grant with `observe` also lets the members watch other users' sessions on the group's devices.
 */
export async function setTeamGrants(
  actor: CurrentUser,
  teamId: string,
  input: { devices?: GrantInput[]; groups?: TeamGroupGrantInput[] },
  deps: AccessDeps,
): Promise<TeamGrantsResult> {
  const db = deps.db;
  const team = await db.team.findUnique({ where: { id: teamId }, select: { name: true } });
  if (!team) return { ok: false, error: 'No such team.', notFound: true };
  const devices = normalise(input.devices ?? [], 'operate');
  const observe = observed(input.groups ?? []);
  const groups = normalise(input.groups ?? [], 'operate').map((g) => ({ ...g, observe: observe.has(g.id) }));
  const bad = await checkTargets(db, devices, groups);
  if (bad) return { ok: false, error: bad };
  const observedBefore = await db.teamGroupGrant.count({ where: { teamId, observe: true } });
  await withAccessChange(
    actor,
    await teamMemberIds(db, teamId),
    null,
    () =>
      db.$transaction([
        db.teamDeviceGrant.deleteMany({ where: { teamId } }),
        db.teamDeviceGrant.createMany({
          data: devices.map((d) => ({ teamId, deviceId: d.id, level: d.level })),
        }),
        db.teamGroupGrant.deleteMany({ where: { teamId } }),
        db.teamGroupGrant.createMany({
          data: groups.map((g) => ({ teamId, groupId: g.id, level: g.level, observe: g.observe })),
        }),
      ]),
    deps,
  );
  // who may watch others' sessions is named in the audit line whenever it is or was granted
  const observing = groups.filter((g) => g.observe).length;
  await deps.audit({
    userId: actor.id,
    action: 'team.grants',
    target: team.name,
    detail:
      `${plural(devices.length, 'device')}, ${plural(groups.length, 'group')}` +
      (observing + observedBefore > 0
        ? ` (observe on ${plural(observing, 'group')}, was ${observedBefore})`
        : ''),
  });
  return { ok: true, grants: await teamGrants(db, teamId) };
}
