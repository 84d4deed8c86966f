import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { STATUS_FILL } from '@/app/_components/charts/colors';
import { OnlineChart } from '@/app/_components/charts/online-chart';
import { StatusBadge } from '@/app/_components/status-badge';
import { Time } from '@/app/_components/time';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import type { DeviceStatus } from '@/lib/devices/status';
import { formatDuration } from '@/lib/format/duration';
import { getRuntime } from '@/lib/server/registry';
import { listTasks } from '@/lib/tasks/service';
import { NoDevices } from '../_dashboard/no-devices';
import { LiveRefresh } from '../_dashboard/live-refresh';
import { MyTasks } from '../_dashboard/my-tasks';
import { DASHBOARD_OUTAGES, loadDashboard } from '../_dashboard/queries';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('dashboard');
  return { title: t('title') };
}

/** The question is "what is down": online first, then the kinds of trouble. */
const CARD_ORDER = ['online', 'offline', 'error', 'unknown'] as const satisfies readonly DeviceStatus[];

const CARD_TONE: Record<DeviceStatus, string> = {
  online: 'border-l-emerald-500',
  offline: 'border-l-red-500',
  error: 'border-l-amber-500',
  unknown: 'border-l-slate-400',
};

const LINK = 'text-sky-700 hover:underline dark:text-sky-400';
const MUTED = 'text-slate-600 dark:text-slate-400';

export default async function DashboardPage() {
  const user = await requireUser();
  const runtime = getRuntime();
  const [d, tasks, t, locale] = await Promise.all([
    loadDashboard(user, runtime.db),
    listTasks(user, runtime),
    getTranslations('dashboard'),
    getLocale(),
  ]);
  const now = d.now;
  const offline = d.byStatus.offline;
  const canRun = can(user.role, 'tasks:run');
  const yourTasks = (
    <section className="card min-w-0 p-4" aria-labelledby="dashboard-tasks">
      <div className="mb-2 flex items-baseline justify-between">
        <h2 id="dashboard-tasks" className="text-sm font-semibold">
          {t('tasks.title')}
        </h2>
        <Link href="/tasks" className={`text-xs ${LINK}`}>
          {t('tasks.all')}
        </Link>
      </div>
      <MyTasks userId={user.id} initial={tasks} canRun={canRun} />
    </section>
  );

  if (d.total === 0)
    return (
      <div className="space-y-6">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
          <LiveRefresh />
        </div>
        <NoDevices canAdd={can(user.role, 'devices:edit')} />
        <div className="grid gap-4 lg:grid-cols-3">{yourTasks}</div>
      </div>
    );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        <LiveRefresh />
      </div>

      <section className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" aria-label={t('cards.label')}>
        <Link href="/devices" className="card block p-4 hover:bg-slate-50 dark:hover:bg-slate-800">
          <div className={`text-sm ${MUTED}`}>{t('cards.devices')}</div>
          <div className="mt-1 text-3xl font-semibold" data-testid="device-total">
            {d.total}
          </div>
        </Link>
        {CARD_ORDER.map((s) => (
          <Link
            key={s}
            href={`/devices?status=${s}`}
            className={`card block border-l-4 p-4 hover:bg-slate-50 dark:hover:bg-slate-800 ${CARD_TONE[s]}`}
          >
            <StatusBadge status={s} />
            <div className="mt-1 text-3xl font-semibold" data-testid={`status-count-${s}`}>
              {d.byStatus[s]}
            </div>
          </Link>
        ))}
      </section>

      <div className="grid gap-4 lg:grid-cols-3">
        <section className="card min-w-0 p-4 lg:col-span-2" aria-labelledby="dashboard-online">
          <h2 id="dashboard-online" className="mb-2 text-sm font-semibold">
            {t('online.title')}
            <span className={`ml-2 font-normal ${MUTED}`}>
              {t('online.now', { online: d.byStatus.online, total: d.total })}
            </span>
          </h2>
          <OnlineChart points={d.online} total={d.total} />
        </section>

        <section className="card min-w-0 p-4" aria-labelledby="dashboard-outages">
          <h2 id="dashboard-outages" className="mb-2 text-sm font-semibold">
            {t('outages.title')}{' '}
            <span
              className={offline > 0 ? 'text-red-700 dark:text-red-400' : `font-normal ${MUTED}`}
              data-testid="outage-count"
            >
              {offline > 0 ? t('outages.count', { count: offline }) : t('outages.none')}
            </span>
          </h2>
          {d.outages.length === 0 ? (
            <p className={`text-sm ${MUTED}`}>{t('outages.empty')}</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" data-testid="outages">
              {d.outages.map((o) => (
                <li key={o.id} className="py-1.5" data-outage={o.name}>
                  <div className="flex flex-wrap items-baseline justify-between gap-x-2">
                    <Link href={`/devices/${o.id}`} className={`min-w-0 font-medium break-all ${LINK}`}>
                      {o.name}
                    </Link>
                    <span className="text-xs whitespace-nowrap text-red-700 dark:text-red-400">
                      {o.since
                        ? t('outages.down', { duration: formatDuration(now - Date.parse(o.since), locale) })
                        : t('outages.downUnknown')}
                    </span>
                  </div>
                  <div className={`text-xs break-words ${MUTED}`}>
                    <span className="font-mono">
                      {o.host}:{o.port}
                    </span>
                    {o.reason && <> · {o.reason}</>}
                    {o.since && (
                      <>
                        {' · '}
                        {t.rich('outages.since', { time: () => <Time iso={o.since!} /> })}
                      </>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {offline > DASHBOARD_OUTAGES && (
            <Link href="/devices?status=offline" className={`mt-2 inline-block text-sm ${LINK}`}>
              {t('outages.all', { count: offline })}
            </Link>
          )}
        </section>
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <section className="card min-w-0 p-4 lg:col-span-2" aria-labelledby="dashboard-groups">
          <h2 id="dashboard-groups" className="mb-2 text-sm font-semibold">
            {t('groups.title')}
            {d.groupCount > d.groups.length && (
              <span className={`ml-2 font-normal ${MUTED}`}>
                {t('groups.largest', { shown: d.groups.length, total: d.groupCount })}
              </span>
            )}
          </h2>
          {d.groups.length === 0 ? (
            <p className={`text-sm ${MUTED}`}>{t('groups.empty')}</p>
          ) : (
            <ul className="space-y-2 text-sm" data-testid="group-summary">
              {d.groups.map((g) => (
                <li key={g.id} data-group={g.name}>
                  <div className="flex flex-wrap items-baseline justify-between gap-x-2">
                    <Link href={`/devices?group=${g.id}`} className={`min-w-0 font-medium break-all ${LINK}`}>
                      {g.name}
                    </Link>
                    <span className="text-xs text-slate-600 dark:text-slate-300">
                      {t.rich('groups.split', {
                        on: (c) => <span className="text-emerald-700 dark:text-emerald-400">{c}</span>,
                        off: (c) => <span className="text-red-700 dark:text-red-400">{c}</span>,
                        online: g.online,
                        offline: g.offline,
                        other: g.total - g.online - g.offline,
                        total: g.total,
                      })}
                    </span>
                  </div>
                  {/* the split as a bar: online, offline, the rest */}
                  <div
                    className="mt-1 flex h-2 overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
                    aria-hidden
                  >
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

        {yourTasks}
      </div>
    </div>
  );
}
