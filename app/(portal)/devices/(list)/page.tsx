import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listDevicePage } from '@/lib/devices/device-list';
import { deviceListHref, isFiltered, parseDeviceListParams } from '@/lib/devices/device-list-params';
import { labDeviceIsUp } from '@/lib/devices/lab-inventory';
import { getRuntime } from '@/lib/server/registry';
import { NoDevices, NoMatch } from '../_list/empty';
import { Pager } from '../_list/pager';
import { DeviceFilters } from '../device-filters';
import { DeviceTable } from '../device-table';

export async function generateMetadata() {
  const t = await getTranslations('devices');
  return { title: t('title') };
}

export default async function DevicesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const query = parseDeviceListParams(await searchParams);
  const rt = getRuntime();
  const [list, groups, t] = await Promise.all([
    listDevicePage(user, query, rt.db),
    rt.db.deviceGroup.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
    getTranslations('devices'),
  ]);
  const shown = { ...query, page: list.page };
  const canEdit = can(user.role, 'devices:edit');
  const filtered = isFiltered(query);
  const clearHref = deviceListHref({ sort: query.sort, dir: query.dir, pageSize: query.pageSize });
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
  // nothing at all to show, and no filter to blame: the first-hour screen instead of an empty table
  // (the table stays mounted so that a bulk action's notice outlives the last row)
  const none = list.total === 0 && !filtered;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        <div className="flex flex-wrap items-center gap-2">
          {/* a plain download (no secrets in it); the export follows the list's visibility */}
          {!none && (
            <a href="/api/v1/devices/export" className="btn-secondary" download>
              {t('list.exportCsv')}
            </a>
          )}
          {canEdit && !none && (
            <Link href="/devices/import" className="btn-secondary">
              {t('list.import')}
            </Link>
          )}
          {canEdit && !none && (
            <Link href="/devices/new" className="btn-primary">
              {t('list.addDevice')}
            </Link>
          )}
        </div>
      </div>
      {!none && <DeviceFilters query={shown} groups={groups} />}
      {!none && (
        <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm text-slate-600 dark:text-slate-400">
          <p aria-live="polite">
            <span data-testid="device-count">{t('list.count', { count: list.total })}</span>
            {list.total > list.rows.length && (
              <span data-testid="device-range">{t('list.range', { from, to })}</span>
            )}
          </p>
          {filtered && list.total > 0 && (
            <Link href={clearHref} className="text-sky-700 hover:underline dark:text-sky-400">
              {t('list.clearAll')}
            </Link>
          )}
        </div>
      )}
      <DeviceTable
        rows={list.rows.map((r) => ({ ...r, statusChangedAt: r.statusChangedAt?.toISOString() ?? null }))}
        total={list.total}
        query={shown}
        groups={groups}
        canEdit={canEdit}
        canRunTasks={can(user.role, 'tasks:run')}
        canCreateGroups={can(user.role, 'grants:manage')}
        labUp={labUp}
        empty={
          none ? (
            <NoDevices role={user.role} canEdit={canEdit} />
          ) : (
            <NoMatch q={query.q} clearHref={clearHref} />
          )
        }
      />
      {list.total > 0 && <Pager query={shown} total={list.total} />}
    </div>
  );
}
