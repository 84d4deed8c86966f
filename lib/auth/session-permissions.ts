import type { PrismaClient } from '../db/generated/client';
import type { Role } from './roles';

/**
 * Who may watch other people's terminal sessions and play their recordings. Admins always may.
 * (Team permissions — `recordings` for a team, `observe` on a team's group grant — extend this.)
 */
type Subject = { id: string; role: Role };

/** Whether the user may observe (read-only, live) other users' sessions on this device. */
export async function canObserveDevice(_db: PrismaClient, user: Subject, _deviceId: string): Promise<boolean> {
  return user.role === 'admin';
}

/** Whether the user may see every recording (not only their own). */
export async function canSeeAllRecordings(_db: PrismaClient, user: Subject): Promise<boolean> {
  return user.role === 'admin';
}
