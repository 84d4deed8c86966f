import 'server-only';
import type { CurrentUser } from './session';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';
import type { EventBus } from '../events/types';
import { operableDevicesWhere, visibleDevicesWhere } from '../devices/visibility';
import type { Role } from './roles';

/** What changing grants, groups or teams needs from the runtime. */
export interface AccessDeps {
  db: PrismaClient;
  audit: AuditSink;
  /** `access.revoked` goes here: every node closes the user's affected sockets and terminals. */
  bus: EventBus;
}

/** Device names in an audit line: a few, then how many more. */
export const AUDIT_DEVICE_NAMES_MAX = 5;

type Subject = { id: string; username: string; role: Role };

/**
 * For each user, the devices (among `candidates`, or all) they may operate, and those they may only
 * see (a read-only terminal stays open on those). Two queries per user.
 */
async function operableNow(
  db: PrismaClient,
  users: Subject[],
  candidates: string[] | null,
): Promise<Map<string, { operate: Set<string>; view: Set<string> }>> {
  const out = new Map<string, { operate: Set<string>; view: Set<string> }>();
  const among = candidates ? [{ id: { in: candidates } }] : [];
  for (const u of users) {
    const [operate, view] = await Promise.all([
      db.device.findMany({ where: { AND: [operableDevicesWhere(u), ...among] }, select: { id: true } }),
      db.device.findMany({ where: { AND: [visibleDevicesWhere(u), ...among] }, select: { id: true } }),
    ]);
    out.set(u.id, { operate: new Set(operate.map((r) => r.id)), view: new Set(view.map((r) => r.id)) });
  }
  return out;
}

/**
 * Run a change to grants, group membership or team membership, then close what it took away: each
 * affected user who may no longer operate a device loses that device's terminals at once, on every
 * node (`access.revoked`, audited once per user). Admins operate everything whatever their grants,
 * so they are never affected. `candidates` narrows the devices whose access can change (e.g. the
 * devices removed from a group); null means any.
 */
export async function withAccessChange<T>(
  actor: CurrentUser,
  affectedUserIds: Iterable<string>,
  candidates: string[] | null,
  change: () => Promise<T>,
  deps: AccessDeps,
): Promise<T> {
  const ids = [...new Set(affectedUserIds)];
  if (candidates && candidates.length === 0) return change();
  const users: Subject[] =
    ids.length === 0
      ? []
      : ((await deps.db.user.findMany({
          where: { id: { in: ids }, role: { not: 'admin' } },
          select: { id: true, username: true, role: true },
        })) as Subject[]);
  const before = await operableNow(deps.db, users, candidates);
  const result = await change();
  const after = await operableNow(deps.db, users, candidates);
  for (const u of users) {
    // what they may no longer operate (their terminals there), or no longer see (read-only ones too)
    const was = before.get(u.id);
    const now = after.get(u.id);
    const lost = [
      ...new Set([
        ...[...(was?.operate ?? [])].filter((id) => !now?.operate.has(id)),
        ...[...(was?.view ?? [])].filter((id) => !now?.view.has(id)),
      ]),
    ];
    if (lost.length === 0) continue;
    const devices = await deps.db.device.findMany({
      where: { id: { in: lost.slice(0, AUDIT_DEVICE_NAMES_MAX) } },
      select: { name: true },
    });
    const names = devices.map((d) => d.name);
    const reason =
      lost.length === 1 && names[0]
        ? `Your access to ${names[0]} was removed.`
        : `Your access to ${lost.length} devices was removed.`;
    const shown =
      names.join(', ') + (lost.length > names.length ? ` and ${lost.length - names.length} more` : '');
    await deps.audit({
      userId: actor.id,
      action: 'access.revoked',
      target: u.username,
      detail: `${reason} (terminals on ${shown})`,
    });
    await deps.bus.publish('access.revoked', { userId: u.id, scope: { deviceIds: lost }, reason });
  }
  // admins included: a demoted one is checked by the role change; here anything a team gave is
  if (ids.length > 0) await deps.bus.publish('access.changed', { userIds: ids });
  return result;
}

/** Users who reach a group: granted it directly or members of a team granted it. */
export async function usersReachingGroup(db: PrismaClient, groupId: string): Promise<string[]> {
  const users = await db.user.findMany({
    where: {
      OR: [
        { groupGrants: { some: { groupId } } },
        { teams: { some: { team: { groupGrants: { some: { groupId } } } } } },
      ],
    },
    select: { id: true },
  });
  return users.map((u) => u.id);
}

/** Members of a team. */
export async function teamMemberIds(db: PrismaClient, teamId: string): Promise<string[]> {
  const rows = await db.teamMember.findMany({ where: { teamId }, select: { userId: true } });
  return rows.map((r) => r.userId);
}
