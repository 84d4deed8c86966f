import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listDevices } from '@/lib/devices/inventory';
import { TerminalWorkspace } from './workspace';
import { getRuntime } from '@/lib/server/registry';

export const metadata: Metadata = { title: 'Terminal' };

export default async function TerminalPage() {
  const user = await requireUser();
  if (!can(user.role, 'terminal:open')) return <NoAccess what="open terminals" />;
  const devices = await listDevices(user, {}, getRuntime());
  return (
    <TerminalWorkspace
      userId={user.id}
      devices={devices.map((d) => ({
        id: d.id,
        name: d.name,
        host: d.host,
        vendor: d.vendor,
        status: d.status,
      }))}
    />
  );
}
