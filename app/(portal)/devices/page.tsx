import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/roles';
import { labDeviceIsUp } from '@/lib/devices/lab-inventory';
import { requireUser } from '@/lib/auth/session';
import { listDevices, normaliseFilters } from '@/lib/devices/inventory';
import { VENDOR_LABELS, VENDORS } from '@/lib/devices/schema';
import { DeviceTable } from './device-table';
import { getRuntime } from '@/lib/server/registry';
import { DEVICE_STATUSES } from '@/lib/devices/status';

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
      <form className="card flex flex-wrap items-end gap-3 p-3" role="search">
        <div className="min-w-48 flex-1">
          <label htmlFor="q">Search</label>
          <input
            id="q"
            name="q"
            defaultValue={filters.q}
            placeholder="Name, host or notes"
            className="input"
          />
        </div>
        <div>
          <label htmlFor="vendor">Vendor</label>
          <select id="vendor" name="vendor" defaultValue={filters.vendor ?? ''} className="input">
            <option value="">All vendors</option>
            {VENDORS.map((v) => (
              <option key={v} value={v}>
                {VENDOR_LABELS[v]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={filters.status ?? ''} className="input">
            <option value="">Any status</option>
            {DEVICE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          Filter
        </button>
        {(filters.q || filters.vendor || filters.status) && (
          <Link href="/devices" className="text-sm text-sky-700 hover:underline">
            Clear
          </Link>
        )}
      </form>
      <p className="text-sm text-slate-500" data-testid="device-count">
        {devices.length} device{devices.length === 1 ? '' : 's'}
      </p>
      <DeviceTable devices={devices} canEdit={canEdit} labUp={labUp} />
    </div>
  );
}
