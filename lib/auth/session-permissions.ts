import type { PrismaClient } from '../db/generated/client';
import type { Role } from './roles';

/**
 * Who may watch other people's terminal sessions and play their recordings. Admins always may;
 * others through their teams:
 * - a team with the `recordings` permission (`Team.permissions`): its members see every user's
 *   recordings (list, search, playback, API), not only their own;
 * - a team's grant on a device group with `observe` (`TeamGroupGrant.observe`): its members may
 *   watch other users' live sessions on that group's devices, read-only.
 * Neither is capped by the member's role: both only read. A user's own recordings and sessions are
 * theirs whatever their teams.
 */
type Subject = { id: string; role: Role };

/** Permissions a team can give its members beyond device access (stored comma-separated). */
/**
 * `recordings`: see every user's recordings; `approve`: approve or reject commands the guard rails
 * hold for approval (lib/policy/approvals.ts) on devices the member may see.
 */
export const TEAM_PERMISSIONS = ['recordings', 'approve'] as const;
export type TeamPermission = (typeof TEAM_PERMISSIONS)[number];

export function isTeamPermission(value: unknown): value is TeamPermission {
  return typeof value === 'string' && (TEAM_PERMISSIONS as readonly string[]).includes(value);
}

/** A stored `Team.permissions` as a list (unknown names, e.g. a newer node's, are left out). */
export function parseTeamPermissions(csv: string): TeamPermission[] {
  return TEAM_PERMISSIONS.filter((p) => csv.split(',').includes(p));
}

/** The column's value for a set of permissions: known ones only, in TEAM_PERMISSIONS order. */
export function formatTeamPermissions(permissions: Iterable<string>): string {
  const want = new Set(permissions);
  return TEAM_PERMISSIONS.filter((p) => want.has(p)).join(',');
}

/** Whether the user may observe (read-only, live) other users' sessions on this device. */
export async function canObserveDevice(db: PrismaClient, user: Subject, deviceId: string): Promise<boolean> {
  if (user.role === 'admin') return true;
  // one EXISTS query: the device is in a group that a team of the user's was granted with observe
  const n = await db.device.count({
    where: {
      id: deviceId,
      groups: {
        some: {
          group: {
            teamGrants: { some: { observe: true, team: { members: { some: { userId: user.id } } } } },
          },
        },
      },
    },
  });
  return n > 0;
}

/** Whether the user may see every recording (not only their own). */
export async function canSeeAllRecordings(db: PrismaClient, user: Subject): Promise<boolean> {
  if (user.role === 'admin') return true;
  const teams = await db.team.findMany({
    where: { members: { some: { userId: user.id } }, permissions: { not: '' } },
    select: { permissions: true },
  });
  return teams.some((t) => parseTeamPermissions(t.permissions).includes('recordings'));
}
