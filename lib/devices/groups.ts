import 'server-only';
import { z } from 'zod';
import type { CurrentUser } from '../auth/session';
import { type AccessDeps, usersReachingGroup, withAccessChange } from '../auth/access-change';
import { plural } from '../format/plural';
import type { PrismaClient } from '../db/client';
import { operableDevicesWhere } from './visibility';

/**
 * Device groups: named sets of devices (a device may be in several), e.g. `site:shanghai-dc1`,
 * `role:access`. Admins create, rename and delete them; operators may add devices they operate to a
 * group and remove them (bulk actions), since membership can widen others' access only through
 * grants an admin made. Every change that can take access away closes the lost terminals.
 */
export const GROUP_NAME_MAX_CHARS = 64;
/** Most devices one call adds, removes or sets. */
export const GROUP_MEMBERS_MAX = 10_000;

export const groupNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the group a name.')
  .max(GROUP_NAME_MAX_CHARS, `At most ${GROUP_NAME_MAX_CHARS} characters.`)
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} _.:/@+-]*$/u,
    'Letters, digits, spaces and _ . : / @ + - only, starting with a letter or digit.',
  );

export const groupInputSchema = z.object({
  name: groupNameSchema,
  description: z.string().trim().max(500, 'At most 500 characters.').default(''),
});

export type GroupResult =
  { ok: true; id: string } | { ok: false; error: string; field?: 'name' | 'description' };

export interface GroupSummary {
  id: string;
  name: string;
  description: string;
  /** The jump host's name, if the group names one. */
  jumpHost: string | null;
  devices: number;
  /** Grants on the group (users and teams). */
  grants: number;
}

export async function listGroups(db: PrismaClient): Promise<GroupSummary[]> {
  const groups = await db.deviceGroup.findMany({
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      description: true,
      jumpHost: { select: { name: true } },
      _count: { select: { members: true, userGrants: true, teamGrants: true } },
    },
  });
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    description: g.description,
    jumpHost: g.jumpHost?.name ?? null,
    devices: g._count.members,
    grants: g._count.userGrants + g._count.teamGrants,
  }));
}

/** A name another group already has, compared without case (`Site:A` and `site:a` collide). */
async function collision(db: PrismaClient, name: string, exceptId?: string): Promise<string | null> {
  const lower = name.toLowerCase();
  const all = await db.deviceGroup.findMany({ select: { id: true, name: true } });
  const hit = all.find((g) => g.id !== exceptId && g.name.toLowerCase() === lower);
  return hit ? hit.name : null;
}

export async function createGroup(
  actor: CurrentUser,
  raw: { name?: unknown; description?: unknown },
  deps: AccessDeps,
): Promise<GroupResult> {
  const parsed = groupInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: issue?.message ?? 'Invalid group.', field: issue?.path[0] as 'name' };
  }
  const { name, description } = parsed.data;
  const taken = await collision(deps.db, name);
  if (taken) return { ok: false, field: 'name', error: `A group named “${taken}” already exists.` };
  try {
    const g = await deps.db.deviceGroup.create({ data: { name, description } });
    await deps.audit({ userId: actor.id, action: 'group.create', target: name });
    return { ok: true, id: g.id };
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      return { ok: false, field: 'name', error: `A group named “${name}” already exists.` };
    throw err;
  }
}

export async function updateGroup(
  actor: CurrentUser,
  id: string,
  raw: { name?: unknown; description?: unknown },
  deps: AccessDeps,
): Promise<GroupResult> {
  const existing = await deps.db.deviceGroup.findUnique({ where: { id } });
  if (!existing) return { ok: false, error: 'No such group.' };
  const parsed = groupInputSchema.safeParse({
    name: raw.name ?? existing.name,
    description: raw.description ?? existing.description,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: issue?.message ?? 'Invalid group.', field: issue?.path[0] as 'name' };
  }
  const { name, description } = parsed.data;
  const taken = await collision(deps.db, name, id);
  if (taken) return { ok: false, field: 'name', error: `A group named “${taken}” already exists.` };
  await deps.db.deviceGroup.update({ where: { id }, data: { name, description } });
  await deps.audit({
    userId: actor.id,
    action: 'group.update',
    target: name,
    detail: existing.name !== name ? `renamed from ${existing.name}` : '',
  });
  return { ok: true, id };
}

/**
 * Name the SSH jump host of a group's devices (those without one of their own), or none (`null`).
 * Admins only (the caller authorises). The jump host must be an SSH device; the login refuses a loop
 * or a route longer than JUMP_MAX_HOPS with the reason, and SSH logins still verify each device's own
 * host key end to end, so the jump host relays, never reads, their credentials.
 */
export async function setGroupJumpHost(
  actor: CurrentUser,
  groupId: string,
  jumpHost: string | null,
  deps: AccessDeps,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const group = await deps.db.deviceGroup.findUnique({
    where: { id: groupId },
    select: { name: true, jumpHost: { select: { name: true } } },
  });
  if (!group) return { ok: false, error: 'No such group.' };
  let hop: { id: string; name: string } | null = null;
  if (jumpHost !== null && jumpHost.trim() !== '') {
    const found = await deps.db.device.findFirst({
      where: { OR: [{ name: jumpHost.trim() }, { id: jumpHost.trim() }] },
      select: { id: true, name: true, transport: true },
    });
    if (!found) return { ok: false, error: `No device named ${jumpHost.trim()}.` };
    if (found.transport !== 'ssh')
      return { ok: false, error: `${found.name} is reached over telnet; a jump host must be an SSH device.` };
    hop = found;
  }
  await deps.db.deviceGroup.update({ where: { id: groupId }, data: { jumpHostId: hop?.id ?? null } });
  await deps.audit({
    userId: actor.id,
    action: 'group.jump_host',
    target: group.name,
    detail: hop ? `via ${hop.name}` : `none (was ${group.jumpHost?.name ?? 'none'})`,
  });
  return { ok: true };
}

export interface GroupDeleteImpact {
  group: string;
  devices: number;
  /** Who loses access to how many devices if the group goes (users through their own or a team's grant). */
  losses: { username: string; devices: number }[];
}

/** What deleting a group would take away from whom (shown before the admin confirms). */
export async function groupDeleteImpact(db: PrismaClient, id: string): Promise<GroupDeleteImpact | null> {
  const group = await db.deviceGroup.findUnique({
    where: { id },
    select: { name: true, _count: { select: { members: true } } },
  });
  if (!group) return null;
  const userIds = await usersReachingGroup(db, id);
  const users = await db.user.findMany({
    where: { id: { in: userIds }, role: { not: 'admin' } },
    select: { id: true, username: true, role: true },
    orderBy: { username: 'asc' },
  });
  const members = (
    await db.deviceGroupMember.findMany({ where: { groupId: id }, select: { deviceId: true } })
  ).map((m) => m.deviceId);
  const losses: GroupDeleteImpact['losses'] = [];
  for (const u of users) {
    // Devices of this group the user still sees without it (another grant or group).
    const still = await db.device.count({
      where: {
        id: { in: members },
        OR: [
          { grants: { some: { userId: u.id } } },
          { teamGrants: { some: { team: { members: { some: { userId: u.id } } } } } },
          {
            groups: {
              some: {
                groupId: { not: id },
                group: {
                  OR: [
                    { userGrants: { some: { userId: u.id } } },
                    { teamGrants: { some: { team: { members: { some: { userId: u.id } } } } } },
                  ],
                },
              },
            },
          },
        ],
      },
    });
    if (members.length - still > 0) losses.push({ username: u.username, devices: members.length - still });
  }
  return { group: group.name, devices: group._count.members, losses };
}

/**
 * Delete a group. A group that grants access needs `confirm` (the caller shows groupDeleteImpact
 * first); its devices stay in the inventory.
 */
export async function deleteGroup(
  actor: CurrentUser,
  id: string,
  opts: { confirm: boolean },
  deps: AccessDeps,
): Promise<{ ok: true } | { ok: false; error: string; impact?: GroupDeleteImpact }> {
  const impact = await groupDeleteImpact(deps.db, id);
  if (!impact) return { ok: false, error: 'No such group.' };
  if (impact.losses.length > 0 && !opts.confirm) {
    return {
      ok: false,
      impact,
      error: `Deleting ${impact.group} removes access: ${impact.losses
        .map((l) => `${l.username} loses ${plural(l.devices, 'device')}`)
        .join(', ')}. Confirm to delete it.`,
    };
  }
  const affected = await usersReachingGroup(deps.db, id);
  const members = (
    await deps.db.deviceGroupMember.findMany({ where: { groupId: id }, select: { deviceId: true } })
  ).map((m) => m.deviceId);
  await withAccessChange(actor, affected, members, () => deps.db.deviceGroup.delete({ where: { id } }), deps);
  await deps.audit({
    userId: actor.id,
    action: 'group.delete',
    target: impact.group,
    detail: `${plural(impact.devices, 'device')}${impact.losses.length ? `; ${plural(impact.losses.length, 'user')} lost access` : ''}`,
  });
  return { ok: true };
}

export type MembershipResult = { ok: true; changed: number } | { ok: false; error: string };

/** Devices among `ids` the actor may put in or take out of a group (admins: all that exist). */
async function manageable(db: PrismaClient, actor: CurrentUser, ids: string[]): Promise<string[]> {
  const rows = await db.device.findMany({
    where: { AND: [{ id: { in: ids } }, operableDevicesWhere(actor)] },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

function checkIds(ids: string[]): string | null {
  if (ids.length > GROUP_MEMBERS_MAX) return `At most ${GROUP_MEMBERS_MAX} devices at once.`;
  return null;
}

/** The group and the devices one bulk add or remove may touch: all of them, or an error and none. */
async function membershipTargets(
  actor: CurrentUser,
  groupId: string,
  deviceIds: string[],
  deps: AccessDeps,
): Promise<{ ok: true; group: { name: string }; ids: string[] } | { ok: false; error: string }> {
  const ids = [...new Set(deviceIds)];
  const tooMany = checkIds(ids);
  if (tooMany) return { ok: false, error: tooMany };
  const group = await deps.db.deviceGroup.findUnique({ where: { id: groupId }, select: { name: true } });
  if (!group) return { ok: false, error: 'No such group.' };
  const ok = await manageable(deps.db, actor, ids);
  if (ok.length < ids.length)
    return {
      ok: false,
      error: `You may not change ${ids.length - ok.length} of these devices (unknown, or not yours to operate).`,
    };
  return { ok: true, group, ids: ok };
}

export async function addDevicesToGroup(
  actor: CurrentUser,
  groupId: string,
  deviceIds: string[],
  deps: AccessDeps,
): Promise<MembershipResult> {
  const m = await membershipTargets(actor, groupId, deviceIds, deps);
  if (!m.ok) return m;
  const { group, ids: ok } = m;
  const existing = new Set(
    (
      await deps.db.deviceGroupMember.findMany({
        where: { groupId, deviceId: { in: ok } },
        select: { deviceId: true },
      })
    ).map((m) => m.deviceId),
  );
  const fresh = ok.filter((id) => !existing.has(id));
  if (fresh.length > 0)
    await deps.db.deviceGroupMember.createMany({ data: fresh.map((deviceId) => ({ groupId, deviceId })) });
  await deps.audit({
    userId: actor.id,
    action: 'group.devices_add',
    target: group.name,
    detail: plural(fresh.length, 'device'),
  });
  return { ok: true, changed: fresh.length };
}

export async function removeDevicesFromGroup(
  actor: CurrentUser,
  groupId: string,
  deviceIds: string[],
  deps: AccessDeps,
): Promise<MembershipResult> {
  const m = await membershipTargets(actor, groupId, deviceIds, deps);
  if (!m.ok) return m;
  const { group, ids: ok } = m;
  const affected = await usersReachingGroup(deps.db, groupId);
  const r = await withAccessChange(
    actor,
    affected,
    ok,
    () => deps.db.deviceGroupMember.deleteMany({ where: { groupId, deviceId: { in: ok } } }),
    deps,
  );
  await deps.audit({
    userId: actor.id,
    action: 'group.devices_remove',
    target: group.name,
    detail: plural(r.count, 'device'),
  });
  return { ok: true, changed: r.count };
}

/** Make a group hold exactly these devices (admins; unknown ids are an error, nothing changes). */
export async function setGroupDevices(
  actor: CurrentUser,
  groupId: string,
  deviceIds: string[],
  deps: AccessDeps,
): Promise<MembershipResult> {
  const ids = [...new Set(deviceIds)];
  const tooMany = checkIds(ids);
  if (tooMany) return { ok: false, error: tooMany };
  const group = await deps.db.deviceGroup.findUnique({ where: { id: groupId }, select: { name: true } });
  if (!group) return { ok: false, error: 'No such group.' };
  const known = await deps.db.device.findMany({ where: { id: { in: ids } }, select: { id: true } });
  if (known.length < ids.length) {
    const have = new Set(known.map((d) => d.id));
    const missing = ids.filter((id) => !have.has(id));
    return {
      ok: false,
      error: `No such device: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}.`,
    };
  }
  const current = (
    await deps.db.deviceGroupMember.findMany({ where: { groupId }, select: { deviceId: true } })
  ).map((m) => m.deviceId);
  const want = new Set(ids);
  const removed = current.filter((id) => !want.has(id));
  const have = new Set(current);
  const added = ids.filter((id) => !have.has(id));
  const affected = await usersReachingGroup(deps.db, groupId);
  await withAccessChange(
    actor,
    affected,
    removed,
    () =>
      deps.db.$transaction([
        deps.db.deviceGroupMember.deleteMany({ where: { groupId, deviceId: { in: removed } } }),
        deps.db.deviceGroupMember.createMany({ data: added.map((deviceId) => ({ groupId, deviceId })) }),
      ]),
    deps,
  );
  await deps.audit({
    userId: actor.id,
    action: 'group.devices_set',
    target: group.name,
    detail: `${plural(ids.length, 'device')} (+${added.length} −${removed.length})`,
  });
  return { ok: true, changed: added.length + removed.length };
}
