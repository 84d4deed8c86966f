'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { LiveStatus } from '@/app/_components/live-status';
import { Time } from '@/app/_components/time';
import {
  deviceListHref,
  type DeviceListQuery,
  type DeviceSortColumn,
} from '@/lib/devices/device-list-params';
import { VENDOR_LABELS, type Vendor } from '@/lib/devices/schema';
import { BulkBar, type Selection } from './_list/bulk-bar';
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

function GroupChips({ groups, query }: { groups: DeviceRow['groups']; query: DeviceListQuery }) {
  if (groups.length === 0) return null;
  return (
    <span className="flex flex-wrap gap-1" data-testid="group-chips">
      {groups.slice(0, CHIPS_SHOWN).map((g) => (
        <Link
          key={g.id}
          href={deviceListHref({ sort: query.sort, dir: query.dir, pageSize: query.pageSize, group: g.id })}
          className="rounded-full bg-sky-50 px-2 py-0.5 text-xs font-normal whitespace-nowrap text-sky-800 ring-1 ring-sky-200 hover:bg-sky-100"
          title={`Show the devices in ${g.name}`}
        >
          {g.name}
        </Link>
      ))}
      {groups.length > CHIPS_SHOWN && (
        <span
          className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-normal text-slate-600"
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

/** Connect and Edit, where the user may operate the device (a `view` grant gets the device page only). */
function RowActions({ d, canEdit }: { d: DeviceRow; canEdit: boolean }) {
  return (
    <span className="inline-flex items-center gap-3">
      {d.canOperate && (
        <Link
          href={`/terminal?devices=${d.id}`}
          className="rounded-md border border-sky-700 px-2 py-0.5 text-xs font-medium text-sky-700 hover:bg-sky-50"
          aria-label={`Connect to ${d.name}`}
          title={`Open a terminal tab on ${d.name}`}
        >
          Connect
        </Link>
      )}
      {canEdit && d.canOperate && (
        <Link
          href={`/devices/${d.id}/edit`}
          className="text-sky-700 hover:underline"
          aria-label={`Edit ${d.name}`}
        >
          Edit
        </Link>
      )}
    </span>
  );
}

function SortHeader({
  column,
  label,
  query,
  className = '',
}: {
  column: DeviceSortColumn;
  label: string;
  query: DeviceListQuery;
  className?: string;
}) {
  const active = query.sort === column;
  const dir = active && query.dir === 'asc' ? 'desc' : 'asc';
  return (
    <th
      className={`px-3 py-2 ${className}`}
      aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <Link
        href={deviceListHref({ ...query, sort: column, dir, page: 1 })}
        scroll={false}
        className={`inline-flex items-center gap-1 hover:text-slate-800 ${active ? 'text-slate-800' : ''}`}
        title={`Sort by ${label.toLowerCase()}${active ? (dir === 'desc' ? ', descending' : ', ascending') : ''}`}
      >
        {label}
        <span aria-hidden className={active ? '' : 'text-slate-300'}>
          {active ? (query.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </Link>
    </th>
  );
}

/**
 * The device list: one server-side page with sortable headers, a checkbox per row and a selection
 * that outlives paging and filtering (kept here, not in the URL) until it is cleared or acted on.
 * On a phone only the checkbox, the name (address and groups under it), the status and the actions
 * stay: the box scrolls sideways if it must, the page never does.
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
}) {
  const [selected, setSelected] = useState<Selection>(() => new Map());
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someOnPage = rows.some((r) => selected.has(r.id));
  const pageBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (pageBox.current) pageBox.current.indeterminate = someOnPage && !allOnPage;
  }, [someOnPage, allOnPage]);

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
      {
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
      }
      {rows.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">No devices match.</p>
      ) : (
        <div className="card overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="device-table">
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="w-8 py-2 pr-1 pl-3">
                  <input
                    ref={pageBox}
                    type="checkbox"
                    className="h-4 w-4 align-middle"
                    aria-label="Select all on this page"
                    checked={allOnPage}
                    onChange={(e) => togglePage(e.target.checked)}
                  />
                </th>
                <SortHeader column="name" label="Name" query={query} />
                <SortHeader column="status" label="Status" query={query} />
                <SortHeader column="host" label="Address" query={query} className="hidden sm:table-cell" />
                <SortHeader column="vendor" label="Vendor" query={query} className="hidden md:table-cell" />
                <SortHeader
                  column="transport"
                  label="Transport"
                  query={query}
                  className="hidden lg:table-cell"
                />
                <th className="hidden px-3 py-2 lg:table-cell">Groups</th>
                <SortHeader
                  column="changed"
                  label="Last change"
                  query={query}
                  className="hidden xl:table-cell"
                />
                <th className="hidden px-3 py-2 text-right sm:table-cell">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((d) => (
                <tr
                  key={d.id}
                  data-device={d.name}
                  data-selected={selected.has(d.id) || undefined}
                  className="data-[selected]:bg-sky-50/60"
                >
                  <td className="py-2 pr-1 pl-3 align-top">
                    <input
                      type="checkbox"
                      className="mt-0.5 h-4 w-4"
                      aria-label={`Select ${d.name}`}
                      checked={selected.has(d.id)}
                      onChange={(e) => toggle(d, e.target.checked)}
                    />
                  </td>
                  <td className="px-3 py-2 align-top font-medium">
                    <Link href={`/devices/${d.id}`} className="break-all hover:text-sky-700 hover:underline">
                      {d.name}
                    </Link>
                    {d.lab && (
                      <span className="ml-2 rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-700">
                        lab
                      </span>
                    )}
                    {/* after a space: on a phone the badge goes under the name instead of widening the table */}
                    {d.transport === 'telnet' && (
                      <>
                        {' '}
                        <span
                          className="ml-1 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs whitespace-nowrap text-amber-800"
                          title="Telnet sends the password and everything typed in clear text"
                        >
                          telnet · unencrypted
                        </span>
                      </>
                    )}
                    {labUp && d.name in labUp && <LabToggle name={d.name} up={labUp[d.name]!} />}
                    <div className="font-mono text-xs font-normal text-slate-500 sm:hidden">
                      {d.host}:{d.port}
                    </div>
                    {/* not on a phone: a note's one truncated line would set the column's width */}
                    {d.notes && (
                      <div
                        className="hidden max-w-xs truncate sm:block text-xs font-normal text-slate-500"
                        title={d.notes}
                      >
                        {d.notes}
                      </div>
                    )}
                    <div className="mt-1 lg:hidden">
                      <GroupChips groups={d.groups} query={query} />
                    </div>
                    {/* on a phone the actions go under the name: a column of their own would push Status off screen */}
                    <div className="mt-1.5 font-normal sm:hidden">
                      <RowActions d={d} canEdit={canEdit} />
                    </div>
                  </td>
                  <td className="px-3 py-2 align-top whitespace-nowrap" data-col="status">
                    <LiveStatus deviceId={d.id} status={d.status} />
                  </td>
                  <td className="hidden px-3 py-2 align-top font-mono text-xs sm:table-cell">
                    {d.username}@{d.host}:{d.port}
                  </td>
                  <td className="hidden px-3 py-2 align-top md:table-cell">
                    {VENDOR_LABELS[d.vendor as Vendor] ?? d.vendor}
                  </td>
                  <td className="hidden px-3 py-2 align-top lg:table-cell">{d.transport}</td>
                  <td className="hidden px-3 py-2 align-top lg:table-cell">
                    <GroupChips groups={d.groups} query={query} />
                  </td>
                  <td className="hidden px-3 py-2 align-top text-xs whitespace-nowrap text-slate-500 xl:table-cell">
                    {d.statusChangedAt ? <Time iso={d.statusChangedAt} /> : '—'}
                  </td>
                  <td className="hidden px-3 py-2 text-right align-top whitespace-nowrap sm:table-cell">
                    <RowActions d={d} canEdit={canEdit} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
