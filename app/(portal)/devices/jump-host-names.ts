import 'server-only';
import type { CurrentUser } from '@/lib/auth/session';
import { operableDevicesWhere } from '@/lib/devices/visibility';
import { getRuntime } from '@/lib/server/registry';

/**
 * The names the device form suggests as jump host: SSH devices the user may operate, the edited device
 * excepted. Only suggestions: the inventory checks the choice again (loops, hop limit) when saving.
 */
export async function jumpHostNames(user: CurrentUser, exceptId?: string): Promise<string[]> {
  const rows = await getRuntime().db.device.findMany({
    where: {
      AND: [
        operableDevicesWhere(user),
        { transport: 'ssh' },
        ...(exceptId ? [{ id: { not: exceptId } }] : []),
      ],
    },
    select: { name: true },
    orderBy: { name: 'asc' },
  });
  return rows.map((r) => r.name);
}
