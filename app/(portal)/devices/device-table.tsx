'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition, type ReactNode } from 'react';
import { LiveStatus } from '@/app/_components/live-status';
import { Time } from '@/app/_components/time';
import {
  DEVICE_SORT_COLUMNS,
  deviceListHref,
  type DeviceListQuery,
  type DeviceSortColumn,
  type SortDir,
} from '@/lib/devices/device-list-params';
import { BulkBar, type Selection } from './_list/bulk-bar';
import { useVendorLabel } from './_list/vendor-label';
import { LabToggle } from './lab-toggle';

/** A row as the page sends it (dates as ISO strings). */
export interface DeviceRow {
  id: string;
  name: string;
  host: string;
  port: number;
  username: string;
  vendor: string;
  transport: string;
  status: string;
  statusChangedAt: string | null;
  notes: string;
  lab: boolean;
  groups: { id: string; name: string }[];
  canOperate: boolean;
}

/** Chips shown on a row before "+N". */
const CHIPS_SHOWN = 3;

/** The message key of each sortable column's header. */
const COLUMN_LABEL = {
  name: 'table.name',
  status: 'table.status',
  host: 'table.address',
  vendor: 'table.vendor',
  transport: 'table.transport',
  changed: 'table.lastChange',
} as const satisfies Record<DeviceSortColumn, string>;

function GroupChips({ groups, query }: { groups: DeviceRow['groups']; query: DeviceListQuery }) {
  const t = useTranslations('devices');
  if (groups.length === 0) return null;
  return (
    <span className="flex flex-wrap gap-1" data-testid="group-chips">
      {groups.slice(0, CHIPS_SHOWN).map((g) => (
        <Link
          key={g.id}
          href={deviceListHref({ sort: query.sort, dir: query.dir, pageSize: query.pageSize, group: g.id })}
          className="rounded-full bg-sky-50 px-2 py-0.5 text-xs font-normal whitespace-nowrap text-sky-800 ring-1 ring-sky-200 hover:bg-sky-100 dark:bg-sky-950/40 dark:text-sky-200 dark:ring-sky-800 dark:hover:bg-sky-900/60"
          title={t('table.groupTitle', { group: g.name })}
        >
          {g.name}
        </Link>
      ))}
      {groups.length > CHIPS_SHOWN && (
        <span
          className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-normal text-slate-600 dark:bg-slate-800 dark:text-slate-300"
          title={groups
            .slice(CHIPS_SHOWN)
            .map((g) => g.name)
            .join(', ')}
        >
          +{groups.length - CHIPS_SHOWN}
        </span>
      )}
    </span>
  );
}

/**
 * Connect and Edit, where the user may operate the device (a `view` grant gets the device page only).
 * On a phone they are thumb-sized buttons at the bottom of the card.
 */
function RowActions({ d, canEdit, phone = false }: { d: DeviceRow; canEdit: boolean; phone?: boolean }) {
  const t = useTranslations('devices');
  if (!d.canOperate) return null;
  return (
    <span className={phone ? 'flex flex-wrap gap-2' : 'inline-flex items-center gap-3'}>
      <Link
        href={`/terminal?devices=${d.id}`}
        className={
          phone
            ? 'inline-flex min-h-10 min-w-24 items-center justify-center rounded-md border border-sky-700 px-3 text-sm font-medium text-sky-700 hover:bg-sky-50 dark:border-sky-400 dark:text-sky-300 dark:hover:bg-sky-950/50'
            : 'rounded-md border border-sky-700 px-2 py-0.5 text-xs font-medium text-sky-700 hover:bg-sky-50 dark:border-sky-400 dark:text-sky-300 dark:hover:bg-sky-950/50'
        }
        aria-label={t('table.connectTo', { name: d.name })}
        title={t('table.connectTitle', { name: d.name })}
      >
        {t('table.connect')}
      </Link>
      {canEdit && (
        <Link
          href={`/devices/${d.id}/edit`}
          className={
            phone ? 'btn-secondary min-h-10 min-w-20' : 'text-sky-700 hover:underline dark:text-sky-400'
          }
          aria-label={t('table.editName', { name: d.name })}
        >
          {t('table.edit')}
        </Link>
      )}
    </span>
  );
}

function SortHeader({
  column,
  query,
  onSort,
  className = '',
}: {
  column: DeviceSortColumn;
  query: DeviceListQuery;
  onSort: (column: DeviceSortColumn, dir: SortDir) => void;
  className?: string;
}) {
  const t = useTranslations('devices');
  const label = t(COLUMN_LABEL[column]);
  const active = query.sort === column;
  const dir = active && query.dir === 'asc' ? 'desc' : 'asc';
  return (
    <th
      scope="col"
      className={`px-3 py-2 ${className}`}
      aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <button
        type="button"
        onClick={() => onSort(column, dir)}
        className={`inline-flex items-center gap-1 uppercase hover:text-slate-900 dark:hover:text-white ${active ? 'text-slate-900 dark:text-white' : ''}`}
        title={
          active
            ? t(query.dir === 'asc' ? 'table.sortedAsc' : 'table.sortedDesc', { column: label })
            : t('table.sortBy', { column: label })
        }
      >
        {label}
        <span aria-hidden className={active ? '' : 'text-slate-400 dark:text-slate-500'}>
          {active ? (query.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

/**
 * The device list: one server-side page with sortable headers, a checkbox per row and a selection
 * that outlives paging and filtering (kept here, not in the URL) until it is cleared or acted on.
 * On a phone each row is drawn as a card (the same rows, so selection, the lab switch and every
 * locator work at any width): checkbox, name and status on top, address, vendor and groups under
 * them, Connect and Edit as buttons at the bottom; a bar above offers select-all and the sort.
 */
export function DeviceTable({
  rows,
  total,
  query,
  groups,
  canEdit,
  canRunTasks,
  canCreateGroups,
  labUp,
  empty,
}: {
  rows: DeviceRow[];
  total: number;
  query: DeviceListQuery;
  groups: { id: string; name: string }[];
  canEdit: boolean;
  /** Operators and admins: tasks and terminals. */
  canRunTasks: boolean;
  canCreateGroups: boolean;
  /** For admins: whether each lab device is up (shows a take down / bring up switch). */
  labUp?: Record<string, boolean>;
  /** What shows instead of the rows when there are none. */
  empty?: ReactNode;
}) {
  const t = useTranslations('devices');
  const vendorLabel = useVendorLabel();
  const router = useRouter();
  const [, startSort] = useTransition();
  const [selected, setSelected] = useState<Selection>(() => new Map());
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someOnPage = rows.some((r) => selected.has(r.id));
  const pageBox = useRef<HTMLInputElement>(null);
  const phonePageBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    for (const box of [pageBox.current, phonePageBox.current])
      if (box) box.indeterminate = someOnPage && !allOnPage;
  }, [someOnPage, allOnPage]);

  const sort = (column: DeviceSortColumn, dir: SortDir) =>
    startSort(() => router.push(deviceListHref({ ...query, sort: column, dir, page: 1 }), { scroll: false }));
  const toggle = (r: DeviceRow, on: boolean) =>
    setSelected((s) => {
      const n = new Map(s);
      if (on) n.set(r.id, { name: r.name, canOperate: r.canOperate });
      else n.delete(r.id);
      return n;
    });
  const togglePage = (on: boolean) =>
    setSelected((s) => {
      const n = new Map(s);
      for (const r of rows) {
        if (on) n.set(r.id, { name: r.name, canOperate: r.canOperate });
        else n.delete(r.id);
      }
      return n;
    });

  return (
    <div className="space-y-3">
      <BulkBar
        selected={selected}
        setSelected={setSelected}
        pageAllSelected={allOnPage}
        total={total}
        groups={groups}
        canEdit={canEdit}
        canRunTasks={canRunTasks}
        canCreateGroups={canCreateGroups}
      />
      {rows.length === 0 ? (
        empty
      ) : (
        <>
          {/* a phone has no header row: select-all and the sort live in this bar instead */}
          <div className="flex items-center justify-between gap-3 sm:hidden">
            <label className="flex min-h-10 items-center gap-2 font-normal">
              <input
                ref={phonePageBox}
                type="checkbox"
                className="h-5 w-5"
                checked={allOnPage}
                onChange={(e) => togglePage(e.target.checked)}
              />
              {t('table.selectPage')}
            </label>
            <label className="flex items-center gap-2 font-normal">
              <span className="sr-only">{t('table.sortLabel')}</span>
              <select
                className="input mt-0 w-auto py-2"
                value={`${query.sort}:${query.dir}`}
                onChange={(e) => {
                  const [column, dir] = e.target.value.split(':') as [DeviceSortColumn, SortDir];
                  sort(column, dir);
                }}
              >
                {DEVICE_SORT_COLUMNS.flatMap((c) =>
                  (['asc', 'desc'] as const).map((dir) => (
                    <option key={`${c}:${dir}`} value={`${c}:${dir}`}>
                      {t(dir === 'asc' ? 'table.sortAsc' : 'table.sortDesc', { column: t(COLUMN_LABEL[c]) })}
                    </option>
                  )),
                )}
              </select>
            </label>
          </div>
          <div className="sm:card sm:overflow-x-auto">
            <table
              className="block min-w-full text-sm sm:table sm:divide-y sm:divide-slate-200 dark:sm:divide-slate-800"
              data-testid="device-table"
              aria-label={t('list.tableLabel')}
            >
              <thead className="hidden bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase sm:table-header-group dark:bg-slate-800/60 dark:text-slate-300">
                <tr>
                  <th scope="col" className="w-8 py-2 pr-1 pl-3">
                    <input
                      ref={pageBox}
                      type="checkbox"
                      className="h-4 w-4 align-middle"
                      aria-label={t('table.selectPage')}
                      checked={allOnPage}
                      onChange={(e) => togglePage(e.target.checked)}
                    />
                  </th>
                  <SortHeader column="name" query={query} onSort={sort} />
                  <SortHeader column="status" query={query} onSort={sort} />
                  <SortHeader column="host" query={query} onSort={sort} className="hidden sm:table-cell" />
                  <SortHeader column="vendor" query={query} onSort={sort} className="hidden md:table-cell" />
                  <SortHeader
                    column="transport"
                    query={query}
                    onSort={sort}
                    className="hidden lg:table-cell"
                  />
                  <th scope="col" className="hidden px-3 py-2 lg:table-cell">
                    {t('table.groups')}
                  </th>
                  <SortHeader column="changed" query={query} onSort={sort} className="hidden xl:table-cell" />
                  <th scope="col" className="hidden px-3 py-2 text-right sm:table-cell">
                    <span className="sr-only">{t('table.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="block space-y-2 sm:table-row-group sm:space-y-0 sm:divide-y sm:divide-slate-100 dark:sm:divide-slate-800">
                {rows.map((d) => (
                  <tr
                    key={d.id}
                    data-device={d.name}
                    data-selected={selected.has(d.id) || undefined}
                    className="grid grid-cols-[auto_minmax(0,1fr)_auto] items-start gap-x-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm data-[selected]:border-sky-400 data-[selected]:bg-sky-50 sm:table-row sm:rounded-none sm:border-0 sm:bg-transparent sm:p-0 sm:shadow-none sm:data-[selected]:bg-sky-50/60 dark:border-slate-800 dark:bg-slate-900 dark:data-[selected]:border-sky-700 dark:data-[selected]:bg-sky-950/50 dark:sm:bg-transparent dark:sm:data-[selected]:bg-sky-950/40"
                  >
                    <td className="block sm:table-cell sm:py-2 sm:pr-1 sm:pl-3 sm:align-top">
                      {/* the label's padding makes the box a thumb-sized target on a phone */}
                      <label className="-m-2 flex p-2 sm:m-0 sm:p-0">
                        <input
                          type="checkbox"
                          className="h-5 w-5 sm:mt-0.5 sm:h-4 sm:w-4"
                          aria-label={t('table.select', { name: d.name })}
                          checked={selected.has(d.id)}
                          onChange={(e) => toggle(d, e.target.checked)}
                        />
                      </label>
                    </td>
                    <td className="col-start-2 row-start-1 row-end-3 block min-w-0 font-medium sm:table-cell sm:px-3 sm:py-2 sm:align-top">
                      <Link
                        href={`/devices/${d.id}`}
                        className="break-all text-slate-900 hover:text-sky-700 hover:underline max-sm:text-base dark:text-slate-100 dark:hover:text-sky-400"
                      >
                        {d.name}
                      </Link>
                      {d.lab && (
                        <span className="ml-2 rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-700 dark:bg-violet-900/50 dark:text-violet-200">
                          {t('table.lab')}
                        </span>
                      )}
                      {/* after a space: on a phone the badge goes under the name instead of widening the row */}
                      {d.transport === 'telnet' && (
                        <>
                          {' '}
                          <span
                            className="ml-1 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs whitespace-nowrap text-amber-800 dark:bg-amber-900/50 dark:text-amber-200"
                            title={t('table.telnetTitle')}
                          >
                            {t('table.telnetBadge')}
                          </span>
                        </>
                      )}
                      {labUp && d.name in labUp && <LabToggle name={d.name} up={labUp[d.name]!} />}
                      <div className="mt-0.5 font-mono text-xs font-normal text-slate-600 sm:hidden dark:text-slate-400">
                        {d.host}:{d.port}
                      </div>
                      <div className="text-xs font-normal text-slate-600 sm:hidden dark:text-slate-400">
                        {vendorLabel(d.vendor)}
                      </div>
                      {/* not on a phone: a note's one truncated line would set the column's width */}
                      {d.notes && (
                        <div
                          className="hidden max-w-xs truncate text-xs font-normal text-slate-600 sm:block dark:text-slate-400"
                          title={d.notes}
                        >
                          {d.notes}
                        </div>
                      )}
                      <div className="mt-1 lg:hidden">
                        <GroupChips groups={d.groups} query={query} />
                      </div>
                    </td>
                    <td
                      className="col-start-3 row-start-1 block whitespace-nowrap sm:table-cell sm:px-3 sm:py-2 sm:align-top"
                      data-col="status"
                    >
                      <LiveStatus deviceId={d.id} status={d.status} />
                    </td>
                    <td className="hidden px-3 py-2 align-top font-mono text-xs sm:table-cell">
                      {d.username}@{d.host}:{d.port}
                    </td>
                    <td className="hidden px-3 py-2 align-top md:table-cell">{vendorLabel(d.vendor)}</td>
                    <td className="hidden px-3 py-2 align-top lg:table-cell">{d.transport}</td>
                    <td className="hidden px-3 py-2 align-top lg:table-cell">
                      <GroupChips groups={d.groups} query={query} />
                    </td>
                    <td className="hidden px-3 py-2 align-top text-xs whitespace-nowrap text-slate-600 xl:table-cell dark:text-slate-400">
                      {d.statusChangedAt ? <Time iso={d.statusChangedAt} /> : '—'}
                    </td>
                    {/* on a phone: the card's last line, under everything, where a thumb reaches */}
                    <td
                      className={`col-span-3 sm:table-cell sm:px-3 sm:py-2 sm:text-right sm:align-top sm:whitespace-nowrap ${d.canOperate ? 'mt-3 block border-t border-slate-100 pt-3 sm:mt-0 sm:border-t-0 dark:border-slate-800' : 'hidden'}`}
                    >
                      <span className="sm:hidden">
                        <RowActions d={d} canEdit={canEdit} phone />
                      </span>
                      <span className="hidden sm:inline">
                        <RowActions d={d} canEdit={canEdit} />
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
