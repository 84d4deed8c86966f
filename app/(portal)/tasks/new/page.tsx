import { getTranslations } from 'next-intl/server';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listDevices } from '@/lib/devices/inventory';
import { BULK_SELECT_MAX, parseIdList } from '@/lib/devices/device-list-params';
import { NewTaskForm } from './new-task-form';
import { getRuntime } from '@/lib/server/registry';

export async function generateMetadata() {
  const t = await getTranslations('tasks.new');
  return { title: t('title') };
}

export default async function NewTaskPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const t = await getTranslations('tasks.new');
  if (!can(user.role, 'tasks:run')) return <NoAccess what="run tasks" />;
  const devices = await listDevices(user, {}, getRuntime(), 'operate');
  // `?devices=a,b,…` (the device list's "Run task"): those of them the user sees start ticked
  const known = new Set(devices.map((d) => d.id));
  const preselected = parseIdList((await searchParams).devices, BULK_SELECT_MAX).filter((id) =>
    known.has(id),
  );
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('heading')}</h1>
      <NewTaskForm
        initialSelected={preselected}
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
