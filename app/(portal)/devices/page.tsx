import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/roles';
import { labDeviceIsUp } from '@/lib/devices/lab-inventory';
import { requireUser } from '@/lib/auth/session';
import { listDevices, normaliseFilters } from '@/lib/devices/inventory';
import { DeviceFilters } from './device-filters';
import { DeviceTable } from './device-table';
import { getRuntime } from '@/lib/server/registry';

export const metadata: Metadata = { title: 'Devices' };

export default async function DevicesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const filters = normaliseFilters(await searchParams);
  const devices = await listDevices(user, filters, getRuntime());
  const canEdit = can(user.role, 'devices:edit');
  const labUp = can(user.role, 'lab:control')
    ? Object.fromEntries(
        devices
          .filter((d) => d.lab)
          .flatMap((d) => {
            const up = labDeviceIsUp(d.name, getRuntime().lab);
            return up === null ? [] : [[d.name, up] as const];
          }),
      )
    : undefined;
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold tracking-tight">Devices</h1>
        {canEdit && (
          <Link href="/devices/new" className="btn-primary">
            Add device
          </Link>
        )}
      </div>
      <DeviceFilters q={filters.q} vendor={filters.vendor} status={filters.status} />
      <p className="text-sm text-slate-500" data-testid="device-count">
        {devices.length} device{devices.length === 1 ? '' : 's'}
      </p>
      <DeviceTable devices={devices} canEdit={canEdit} labUp={labUp} />
    </div>
  );
}
