import type { Metadata } from 'next';
import Link from 'next/link';
import { STATUS_FILL } from '@/app/_components/charts/colors';
import { OnlineChart } from '@/app/_components/charts/online-chart';
import { StatusBadge } from '@/app/_components/status-badge';
import { Time } from '@/app/_components/time';
import { requireUser } from '@/lib/auth/session';
import type { DeviceStatus } from '@/lib/devices/status';
import { formatDuration } from '@/lib/format/duration';
import { plural } from '@/lib/format/plural';
import { getRuntime } from '@/lib/server/registry';
import { listTasks } from '@/lib/tasks/service';
import { LiveRefresh } from './_dashboard/live-refresh';
import { MyTasks } from './_dashboard/my-tasks';
import { DASHBOARD_OUTAGES, loadDashboard } from './_dashboard/queries';

export const metadata: Metadata = { title: 'Dashboard' };

/** The question is "what is down": online first, then the kinds of trouble. */
const CARD_ORDER = ['online', 'offline', 'error', 'unknown'] as const satisfies readonly DeviceStatus[];

const CARD_TONE: Record<DeviceStatus, string> = {
  online: 'border-l-emerald-500',
  offline: 'border-l-red-500',
  error: 'border-l-amber-500',
  unknown: 'border-l-slate-400',
};

export default async function DashboardPage() {
  const user = await requireUser();
  const runtime = getRuntime();
  const [d, tasks] = await Promise.all([loadDashboard(user, runtime.db), listTasks(user, runtime)]);
  const now = d.now;
  const offline = d.byStatus.offline;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
        <LiveRefresh />
      </div>

      <section
        className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5"
        aria-label="Devices by status"
      >
        <Link href="/devices" className="card block p-4 hover:bg-slate-50">
          <div className="text-sm text-slate-500">Devices</div>
          <div className="mt-1 text-3xl font-semibold" data-testid="device-total">
            {d.total}
          </div>
        </Link>
        {CARD_ORDER.map((s) => (
          <Link
            key={s}
            href={`/devices?status=${s}`}
            className={`card block border-l-4 p-4 hover:bg-slate-50 ${CARD_TONE[s]}`}
          >
            <StatusBadge status={s} />
            <div className="mt-1 text-3xl font-semibold" data-testid={`status-count-${s}`}>
              {d.byStatus[s]}
            </div>
          </Link>
        ))}
      </section>

      <div className="grid gap-4 lg:grid-cols-3">
        <section className="card min-w-0 p-4 lg:col-span-2" aria-label="Devices online, last 24 h">
          <h2 className="mb-2 text-sm font-semibold">
            Devices online, last 24 h
            <span className="ml-2 font-normal text-slate-500">
              now {d.byStatus.online} of {d.total}
            </span>
          </h2>
          <OnlineChart points={d.online} total={d.total} />
        </section>

        <section className="card min-w-0 p-4" aria-label="Current outages">
          <h2 className="mb-2 text-sm font-semibold">
            Current outages{' '}
            <span
              className={offline > 0 ? 'text-red-700' : 'font-normal text-slate-500'}
              data-testid="outage-count"
            >
              {offline > 0 ? plural(offline, 'device') + ' offline' : 'none'}
            </span>
          </h2>
          {d.outages.length === 0 ? (
            <p className="text-sm text-slate-500">Every device you can see answers (or was never probed).</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm" data-testid="outages">
              {d.outages.map((o) => (
                <li key={o.id} className="py-1.5" data-outage={o.name}>
                  <div className="flex flex-wrap items-baseline justify-between gap-x-2">
                    <Link
                      href={`/devices/${o.id}`}
                      className="min-w-0 font-medium break-all text-sky-700 hover:underline"
                    >
                      {o.name}
                    </Link>
                    <span className="text-xs whitespace-nowrap text-red-700">
                      {o.since ? `down ${formatDuration(now - Date.parse(o.since))}` : 'down'}
                    </span>
                  </div>
                  <div className="text-xs break-words text-slate-500">
                    <span className="font-mono">
                      {o.host}:{o.port}
                    </span>
                    {o.reason && <> · {o.reason}</>}
                    {o.since && (
                      <>
                        {' '}
                        · since <Time iso={o.since} />
                      </>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {offline > DASHBOARD_OUTAGES && (
            <Link
              href="/devices?status=offline"
              className="mt-2 inline-block text-sm text-sky-700 hover:underline"
            >
              All {offline} offline devices →
            </Link>
          )}
        </section>
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <section className="card min-w-0 p-4 lg:col-span-2" aria-label="Groups">
          <h2 className="mb-2 text-sm font-semibold">
            Groups
            {d.groupCount > d.groups.length && (
              <span className="ml-2 font-normal text-slate-500">
                the {d.groups.length} largest of {d.groupCount}
              </span>
            )}
          </h2>
          {d.groups.length === 0 ? (
            <p className="text-sm text-slate-500">No device you can see is in a group yet.</p>
          ) : (
            <ul className="space-y-2 text-sm" data-testid="group-summary">
              {d.groups.map((g) => (
                <li key={g.id} data-group={g.name}>
                  <div className="flex flex-wrap items-baseline justify-between gap-x-2">
                    <Link
                      href={`/devices?group=${g.id}`}
                      className="min-w-0 font-medium break-all text-sky-700 hover:underline"
                    >
                      {g.name}
                    </Link>
                    <span className="text-xs text-slate-600">
                      <span className="text-emerald-700">{g.online} online</span>
                      {g.offline > 0 && <span className="text-red-700"> · {g.offline} offline</span>}
                      {g.total - g.online - g.offline > 0 && (
                        <> · {g.total - g.online - g.offline} other</>
                      )}{' '}
                      of {g.total}
                    </span>
                  </div>
                  {/* the split as a bar: online, offline, the rest */}
                  <div className="mt-1 flex h-2 overflow-hidden rounded bg-slate-200" aria-hidden>
                    <div
                      style={{ width: `${(g.online / g.total) * 100}%`, background: STATUS_FILL.online }}
                    />
                    <div
                      style={{ width: `${(g.offline / g.total) * 100}%`, background: STATUS_FILL.offline }}
                    />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card min-w-0 p-4" aria-label="Your tasks">
          <div className="mb-2 flex items-baseline justify-between">
            <h2 className="text-sm font-semibold">Your tasks</h2>
            <Link href="/tasks" className="text-xs text-sky-700 hover:underline">
              All tasks →
            </Link>
          </div>
          <MyTasks userId={user.id} initial={tasks} />
        </section>
      </div>
    </div>
  );
}
