import 'server-only';
import type { PrismaClient } from '../db/client';
import { listGroups, type GroupSummary } from '../devices/groups';
import { visibleDevicesWhere } from '../devices/visibility';
import { listTeams } from '../auth/teams';
import type { ApiActor } from './route';
import { ApiProblem } from './problem';

/**
 * Groups as the API shows them: admins get every group with its grant count; others get the groups
 * holding a device they see, counting only those devices (a group name is no secret, its other
 * members are).
 */
export async function groupsFor(db: PrismaClient, actor: ApiActor): Promise<GroupSummary[]> {
  if (actor.role === 'admin') return listGroups(db);
  const groups = await db.deviceGroup.findMany({
    where: { members: { some: { device: visibleDevicesWhere(actor) } } },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      description: true,
      jumpHost: { select: { name: true } },
      _count: { select: { members: { where: { device: visibleDevicesWhere(actor) } } } },
    },
  });
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    description: g.description,
    jumpHost: g.jumpHost?.name ?? null,
    devices: g._count.members,
    grants: 0,
  }));
}

/** A group as the API answers it. */
export function groupView(g: GroupSummary) {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    jump_host: g.jumpHost,
    devices: g.devices,
    grants: g.grants,
  };
}

export async function teamView(db: PrismaClient, id: string) {
  return (await listTeams(db)).find((t) => t.id === id) ?? null;
}

/** A service's `{ok:false}` as a problem: unknown ids 404, name collisions 409, the rest 422. */
export function accessProblem(r: { error: string; field?: string }, what: 'group' | 'team'): ApiProblem {
  if (r.error === `No such ${what}.`) return new ApiProblem(404, 'not_found', r.error);
  if (r.error.includes('already exists'))
    return new ApiProblem(409, 'conflict', r.error, { errors: { name: r.error } });
  return new ApiProblem(422, 'invalid', r.error, r.field ? { errors: { [r.field]: r.error } } : {});
}
