import 'server-only';
import { z } from 'zod';
import type { CurrentUser } from './session';
import { type AccessDeps, teamMemberIds, withAccessChange } from './access-change';
import { plural } from '../format/plural';
import type { PrismaClient } from '../db/client';
import {
  formatTeamPermissions,
  isTeamPermission,
  parseTeamPermissions,
  type TeamPermission,
} from './session-permissions';

/**
 * Teams of users. A grant to a team reaches every member; teams do not nest (so there is no grant
 * loop to detect). Admins manage teams; a member removed from a team loses the team's access at once.
 */
export const TEAM_NAME_MAX_CHARS = 64;
export const TEAM_MEMBERS_MAX = 5_000;

export const teamInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the team a name.')
    .max(TEAM_NAME_MAX_CHARS, `At most ${TEAM_NAME_MAX_CHARS} characters.`)
    .regex(
      /^[\p{L}\p{N}][\p{L}\p{N} _.:/@+-]*$/u,
      'Letters, digits, spaces and _ . : / @ + - only, starting with a letter or digit.',
    ),
  description: z.string().trim().max(500, 'At most 500 characters.').default(''),
});

export type TeamResult =
  { ok: true; id: string } | { ok: false; error: string; field?: 'name' | 'description' };

export interface TeamSummary {
  id: string;
  name: string;
  description: string;
  members: number;
  grants: number;
  /** What the team gives its members beyond device access (`recordings`). */
  permissions: TeamPermission[];
}

export async function listTeams(db: PrismaClient): Promise<TeamSummary[]> {
  const teams = await db.team.findMany({
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      description: true,
      permissions: true,
      _count: { select: { members: true, deviceGrants: true, groupGrants: true } },
    },
  });
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    members: t._count.members,
    grants: t._count.deviceGrants + t._count.groupGrants,
    permissions: parseTeamPermissions(t.permissions),
  }));
}

async function collision(db: PrismaClient, name: string, exceptId?: string): Promise<string | null> {
  const lower = name.toLowerCase();
  const all = await db.team.findMany({ select: { id: true, name: true } });
  return all.find((t) => t.id !== exceptId && t.name.toLowerCase() === lower)?.name ?? null;
}

function invalid(error: z.ZodError): TeamResult {
  const issue = error.issues[0];
  return { ok: false, error: issue?.message ?? 'Invalid team.', field: issue?.path[0] as 'name' };
}

export async function createTeam(
  actor: CurrentUser,
  raw: { name?: unknown; description?: unknown },
  deps: AccessDeps,
): Promise<TeamResult> {
  const parsed = teamInputSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { name, description } = parsed.data;
  const taken = await collision(deps.db, name);
  if (taken) return { ok: false, field: 'name', error: `A team named “${taken}” already exists.` };
  try {
    const t = await deps.db.team.create({ data: { name, description } });
    await deps.audit({ userId: actor.id, action: 'team.create', target: name });
    return { ok: true, id: t.id };
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      return { ok: false, field: 'name', error: `A team named “${name}” already exists.` };
    throw err;
  }
}

export async function updateTeam(
  actor: CurrentUser,
  id: string,
  raw: { name?: unknown; description?: unknown },
  deps: AccessDeps,
): Promise<TeamResult> {
  const existing = await deps.db.team.findUnique({ where: { id } });
  if (!existing) return { ok: false, error: 'No such team.' };
  const parsed = teamInputSchema.safeParse({
    name: raw.name ?? existing.name,
    description: raw.description ?? existing.description,
  });
  if (!parsed.success) return invalid(parsed.error);
  const { name, description } = parsed.data;
  const taken = await collision(deps.db, name, id);
  if (taken) return { ok: false, field: 'name', error: `A team named “${taken}” already exists.` };
  await deps.db.team.update({ where: { id }, data: { name, description } });
  await deps.audit({
    userId: actor.id,
    action: 'team.update',
    target: name,
    detail: existing.name !== name ? `renamed from ${existing.name}` : '',
  });
  return { ok: true, id };
}

/** Delete a team: its members lose what only the team gave them, at once. */
export async function deleteTeam(
  actor: CurrentUser,
  id: string,
  deps: AccessDeps,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const team = await deps.db.team.findUnique({ where: { id }, select: { name: true } });
  if (!team) return { ok: false, error: 'No such team.' };
  const members = await teamMemberIds(deps.db, id);
  await withAccessChange(actor, members, null, () => deps.db.team.delete({ where: { id } }), deps);
  await deps.audit({
    userId: actor.id,
    action: 'team.delete',
    target: team.name,
    detail: plural(members.length, 'member'),
  });
  return { ok: true };
}

/** Make a team hold exactly these users (unknown ids are an error and nothing changes). */
export async function setTeamMembers(
  actor: CurrentUser,
  teamId: string,
  userIds: string[],
  deps: AccessDeps,
): Promise<{ ok: true; members: number } | { ok: false; error: string }> {
  const ids = [...new Set(userIds)];
  if (ids.length > TEAM_MEMBERS_MAX) return { ok: false, error: `At most ${TEAM_MEMBERS_MAX} members.` };
  const team = await deps.db.team.findUnique({ where: { id: teamId }, select: { name: true } });
  if (!team) return { ok: false, error: 'No such team.' };
  const known = await deps.db.user.findMany({ where: { id: { in: ids } }, select: { id: true } });
  if (known.length < ids.length) {
    const have = new Set(known.map((u) => u.id));
    return {
      ok: false,
      error: `No such user: ${ids
        .filter((id) => !have.has(id))
        .slice(0, 5)
        .join(', ')}.`,
    };
  }
  const current = await teamMemberIds(deps.db, teamId);
  const want = new Set(ids);
  const removed = current.filter((id) => !want.has(id));
  const have = new Set(current);
  const added = ids.filter((id) => !have.has(id));
  await withAccessChange(
    actor,
    removed,
    null,
    () =>
      deps.db.$transaction([
        deps.db.teamMember.deleteMany({ where: { teamId, userId: { in: removed } } }),
        deps.db.teamMember.createMany({ data: added.map((userId) => ({ teamId, userId })) }),
      ]),
    deps,
  );
  await deps.audit({
    userId: actor.id,
    action: 'team.members',
    target: team.name,
    detail: `${plural(ids.length, 'member')} (+${added.length} −${removed.length})`,
  });
  return { ok: true, members: ids.length };
}

/**
 * Give a team exactly these permissions (TEAM_PERMISSIONS; anything else is an error and nothing
 * changes). Audited as `team.permissions` with what was added and taken away.
 */
export async function setTeamPermissions(
  actor: CurrentUser,
  teamId: string,
  permissions: string[],
  deps: AccessDeps,
): Promise<{ ok: true; permissions: TeamPermission[] } | { ok: false; error: string }> {
  const unknown = permissions.filter((p) => !isTeamPermission(p));
  if (unknown.length > 0)
    return { ok: false, error: `No such permission: ${unknown.slice(0, 5).join(', ')}.` };
  const team = await deps.db.team.findUnique({
    where: { id: teamId },
    select: { name: true, permissions: true },
  });
  if (!team) return { ok: false, error: 'No such team.' };
  const value = formatTeamPermissions(permissions);
  const now = parseTeamPermissions(value);
  if (value === team.permissions) return { ok: true, permissions: now };
  const before = parseTeamPermissions(team.permissions);
  await deps.db.team.update({ where: { id: teamId }, data: { permissions: value } });
  const added = now.filter((p) => !before.includes(p));
  const removed = before.filter((p) => !now.includes(p));
  await deps.audit({
    userId: actor.id,
    action: 'team.permissions',
    target: team.name,
    detail: [...added.map((p) => `+${p}`), ...removed.map((p) => `−${p}`)].join(' '),
  });
  return { ok: true, permissions: now };
}
