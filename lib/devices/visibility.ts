import type { PrismaClient, Prisma } from '../db/generated/client';
import type { Role } from '../auth/roles';

/** Admins see every device; everyone else sees the devices granted to them. */
export function visibleDevicesWhere(user: { id: string; role: Role }): Prisma.DeviceWhereInput {
  return user.role === 'admin' ? {} : { grants: { some: { userId: user.id } } };
}

export async function userCanSeeDevice(
  db: PrismaClient,
  user: { id: string; role: Role },
  deviceId: string,
): Promise<boolean> {
  const n = await db.device.count({ where: { AND: [{ id: deviceId }, visibleDevicesWhere(user)] } });
  return n > 0;
}
