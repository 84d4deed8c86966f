import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listDevicePage } from '@/lib/devices/device-list';
import { deviceListHref, isFiltered, parseDeviceListParams } from '@/lib/devices/device-list-params';
import { labDeviceIsUp } from '@/lib/devices/lab-inventory';
import { getRuntime } from '@/lib/server/registry';
import { Pager } from './_list/pager';
import { DeviceFilters } from './device-filters';
import { DeviceTable } from './device-table';

export const metadata: Metadata = { title: 'Devices' };

export default async function DevicesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const query = parseDeviceListParams(await searchParams);
  const rt = getRuntime();
  const [list, groups] = await Promise.all([
    listDevicePage(user, query, rt.db),
    rt.db.deviceGroup.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
  ]);
  const shown = { ...query, page: list.page };
  const canEdit = can(user.role, 'devices:edit');
  const labUp = can(user.role, 'lab:control')
    ? Object.fromEntries(
        list.rows
          .filter((d) => d.lab)
          .flatMap((d) => {
            const up = labDeviceIsUp(d.name, rt.lab);
            return up === null ? [] : [[d.name, up] as const];
          }),
      )
    : undefined;
  const from = list.total === 0 ? 0 : (list.page - 1) * list.pageSize + 1;
  const to = (list.page - 1) * list.pageSize + list.rows.length;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Devices</h1>
        <div className="flex flex-wrap items-center gap-2">
          {/* a plain download (no secrets in it); the export follows the list's visibility */}
          <a href="/api/v1/devices/export" className="btn-secondary" download>
            Export CSV
          </a>
          {canEdit && (
            <Link href="/devices/import" className="btn-secondary">
              Import
            </Link>
          )}
          {canEdit && (
            <Link href="/devices/new" className="btn-primary">
              Add device
            </Link>
          )}
        </div>
      </div>
      <DeviceFilters query={shown} groups={groups} />
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm text-slate-500">
        <p>
          <span data-testid="device-count">
            {list.total} device{list.total === 1 ? '' : 's'}
          </span>
          {list.total > list.rows.length && (
            <span data-testid="device-range">
              {' '}
              · showing {from}–{to}
            </span>
          )}
        </p>
        {isFiltered(query) && (
          <Link
            href={deviceListHref({ sort: query.sort, dir: query.dir, pageSize: query.pageSize })}
            className="text-sky-700 hover:underline"
          >
            Clear search and filters
          </Link>
        )}
      </div>
      <DeviceTable
        rows={list.rows.map((r) => ({ ...r, statusChangedAt: r.statusChangedAt?.toISOString() ?? null }))}
        total={list.total}
        query={shown}
        groups={groups}
        canEdit={canEdit}
        canRunTasks={can(user.role, 'tasks:run')}
        canCreateGroups={can(user.role, 'grants:manage')}
        labUp={labUp}
      />
      <Pager query={shown} total={list.total} />
    </div>
  );
}
