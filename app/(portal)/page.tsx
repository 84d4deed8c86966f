import type { Metadata } from 'next';
import Link from 'next/link';
import { LiveStatusCounts } from '@/app/_components/live-status-counts';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { inventorySummary, listDevices } from '@/lib/devices/inventory';
import { VENDOR_LABELS, VENDORS } from '@/lib/devices/schema';
import { DeviceTable } from './devices/device-table';
import { getRuntime } from '@/lib/server/registry';
import { DEVICE_STATUSES } from '@/lib/devices/status';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const user = await requireUser();
  const [summary, devices] = await Promise.all([
    inventorySummary(user, getRuntime()),
    listDevices(user, {}, getRuntime()),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
      <section className="grid gap-4 sm:grid-cols-3" aria-label="Inventory summary">
        <div className="card p-4">
          <div className="text-sm text-slate-500">Devices</div>
          <div className="mt-1 text-3xl font-semibold" data-testid="device-total">
            {summary.total}
          </div>
        </div>
        <div className="card p-4">
          <div className="mb-2 text-sm text-slate-500">By vendor</div>
          <ul className="space-y-1 text-sm">
            {VENDORS.map((v) => (
              <li key={v} className="flex justify-between">
                <Link href={`/devices?vendor=${v}`} className="hover:underline">
                  {VENDOR_LABELS[v]}
                </Link>
                <span className="font-medium" data-testid={`vendor-count-${v}`}>
                  {summary.byVendor[v] ?? 0}
                </span>
              </li>
            ))}
          </ul>
        </div>
        <div className="card p-4">
          <div className="mb-2 text-sm text-slate-500">By status</div>
          <LiveStatusCounts
            devices={devices.map((d) => ({ id: d.id, status: d.status }))}
            statuses={DEVICE_STATUSES}
          />
        </div>
      </section>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Devices</h2>
        <DeviceTable devices={devices} canEdit={can(user.role, 'devices:edit')} />
      </section>
    </div>
  );
}
