import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listDevices } from '@/lib/devices/inventory';
import { NewTaskForm } from './new-task-form';
import { getRuntime } from '@/lib/server/registry';

export const metadata: Metadata = { title: 'New task' };

export default async function NewTaskPage() {
  const user = await requireUser();
  if (!can(user.role, 'tasks:run')) return <NoAccess what="run tasks" />;
  const devices = await listDevices(user, {}, getRuntime());
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">New task</h1>
      <NewTaskForm
        devices={devices.map((d) => ({
          id: d.id,
          name: d.name,
          host: d.host,
          vendor: d.vendor,
          status: d.status,
        }))}
      />
    </div>
  );
}
