import type { PrismaClient, Prisma } from '../db/generated/client';
import { atLeast, type Role } from '../auth/roles';

/**
 * The one access rule. A grant gives a user or a team `view` or `operate` on a device or a device
 * group; a user's global role caps it (a viewer never operates); admins see and operate everything.
 * Every consumer (lists, terminals, tasks, status pushes, notifications, exports, the API) builds its
 * query from these functions, so the rule is one SQL statement with EXISTS sub-queries, never a loop
 * over devices.
 */
export const GRANT_LEVELS = ['view', 'operate'] as const;
export type GrantLevel = (typeof GRANT_LEVELS)[number];

export function isGrantLevel(value: unknown): value is GrantLevel {
  return typeof value === 'string' && (GRANT_LEVELS as readonly string[]).includes(value);
}

/** The highest level a role can hold on a granted device (what a plain grant means). */
export function roleCap(role: Role): GrantLevel {
  return atLeast(role, 'operator') ? 'operate' : 'view';
}

/** The level a user actually has from the levels granted to them (directly or through teams). */
export function effectiveLevel(role: Role, granted: readonly GrantLevel[]): GrantLevel | null {
  if (role === 'admin') return 'operate';
  if (granted.length === 0) return null;
  return granted.includes('operate') && roleCap(role) === 'operate' ? 'operate' : 'view';
}

type Subject = { id: string; role: Role };

const NOTHING: Prisma.DeviceWhereInput = { id: { in: [] } };

/** Devices on which the user has at least `level`. */
export function deviceAccessWhere(user: Subject, level: GrantLevel): Prisma.DeviceWhereInput {
  if (user.role === 'admin') return {};
  if (level === 'operate' && roleCap(user.role) !== 'operate') return NOTHING;
  const lv = level === 'operate' ? { level: 'operate' } : {};
  const inTeam = { team: { members: { some: { userId: user.id } } } };
  return {
    OR: [
      { grants: { some: { userId: user.id, ...lv } } },
      { teamGrants: { some: { ...lv, ...inTeam } } },
      {
        groups: {
          some: {
            group: {
              OR: [
                { userGrants: { some: { userId: user.id, ...lv } } },
                { teamGrants: { some: { ...lv, ...inTeam } } },
              ],
            },
          },
        },
      },
    ],
  };
}

/** Devices the user may see. */
export function visibleDevicesWhere(user: Subject): Prisma.DeviceWhereInput {
  return deviceAccessWhere(user, 'view');
}

/** Devices the user may operate (terminals, tasks, edits, host keys). */
export function operableDevicesWhere(user: Subject): Prisma.DeviceWhereInput {
  return deviceAccessWhere(user, 'operate');
}

export async function userCanSeeDevice(db: PrismaClient, user: Subject, deviceId: string): Promise<boolean> {
  const n = await db.device.count({ where: { AND: [{ id: deviceId }, visibleDevicesWhere(user)] } });
  return n > 0;
}

export async function userCanOperateDevice(
  db: PrismaClient,
  user: Subject,
  deviceId: string,
): Promise<boolean> {
  const n = await db.device.count({ where: { AND: [{ id: deviceId }, operableDevicesWhere(user)] } });
  return n > 0;
}

/** The user's level on one device, or null when they cannot see it. */
export async function deviceLevel(
  db: PrismaClient,
  user: Subject,
  deviceId: string,
): Promise<GrantLevel | null> {
  if (await userCanOperateDevice(db, user, deviceId)) return 'operate';
  return (await userCanSeeDevice(db, user, deviceId)) ? 'view' : null;
}

/** Users (enabled or not: callers add their own filters) who can see a device. */
export function usersSeeingDeviceWhere(deviceId: string): Prisma.UserWhereInput {
  const inGroup = { group: { members: { some: { deviceId } } } };
  return {
    OR: [
      { role: 'admin' },
      { grants: { some: { deviceId } } },
      { groupGrants: { some: inGroup } },
      {
        teams: {
          some: {
            team: { OR: [{ deviceGrants: { some: { deviceId } } }, { groupGrants: { some: inGroup } }] },
          },
        },
      },
    ],
  };
}
