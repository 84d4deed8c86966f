import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { StatusLegend, StatusTimeline } from '@/app/_components/charts/status-timeline';
import { TaskStatusBadge } from '@/app/_components/task-status';
import { Time } from '@/app/_components/time';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import {
  groupJumpHost,
  deviceTimeline,
  getDevicePage,
  isTimelineWindow,
  TIMELINE_WINDOWS_MS,
  type TimelineWindow,
} from '@/lib/devices/device-page';
import { readDeviceFields } from '@/lib/devices/fields';
import { VENDOR_LABELS, type Vendor } from '@/lib/devices/schema';
import { listRecordings } from '@/lib/recordings/service';
import { getRuntime } from '@/lib/server/registry';
import { RecordingStateBadge } from '../../recordings/_components/state-badge';
import { DeviceTabs } from './device-tabs';
import { HostKeyPanel } from './host-key';
import { LiveDeviceStatus } from './live-device-status';
import { utcMoment } from './panel-text';
import { ProbeButton } from './probe-button';
import { TestConnectionPanel } from './test-connection-panel';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('device');
  return { title: t('title') };
}

/** Recordings shown on a device's page (the rest are on the Recordings page, filtered to it). */
const DEVICE_PAGE_RECENT_RECORDINGS = 5;

const WINDOW_KEY = { '24h': 'timeline.window24h', '7d': 'timeline.window7d' } as const satisfies Record<
  TimelineWindow,
  string
>;

export default async function DevicePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const { id } = await params;
  const sp = await searchParams;
  const window: TimelineWindow = isTimelineWindow(sp.window) ? sp.window : '24h';
  const runtime = getRuntime();
  const page = await getDevicePage(user, id, runtime);
  if (!page) notFound();
  const [t, tc, format, tr] = await Promise.all([
    getTranslations('device'),
    getTranslations('common'),
    getFormatter(),
    getTranslations('terminal.recordings'),
  ]);
  const { device, level } = page;
  const timeline = await deviceTimeline(runtime.db, device, window);
  // the session recordings the user may see (theirs; an admin's: everyone's)
  const recordings = await listRecordings(
    user,
    { device: device.id },
    { limit: DEVICE_PAGE_RECENT_RECORDINGS },
    runtime,
  );
  const operate = level === 'operate';
  const canEdit = operate && can(user.role, 'devices:edit');
  // below operate (a viewer, a view-only grant) the terminal is read-only (guard rails)
  const canTerminal = can(user.role, 'terminal:open');
  const canTask = operate && can(user.role, 'tasks:run');
  const telnet = device.transport === 'telnet';
  const viaGroup = groupJumpHost(device);
  const admin = user.role === 'admin';
  const windowLabel = t(WINDOW_KEY[window]);
  const uptime =
    timeline.uptime === null
      ? t('timeline.uptimeUnknown')
      : t('timeline.uptime', {
          value: format.number(timeline.uptime, {
            minimumFractionDigits: timeline.uptime === 100 ? 0 : 2,
            maximumFractionDigits: timeline.uptime === 100 ? 0 : 2,
          }),
        });
  const accepted = page.hostKeyAccepted;
  const fields = Object.entries(readDeviceFields(device.fields));

  return (
    <div className="min-w-0 space-y-4" data-device-page={device.name}>
      <header className="space-y-2">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <p className="text-sm">
              <Link href="/devices" className="text-sky-700 hover:underline dark:text-sky-400">
                {tc('nav.devices')}
              </Link>
            </p>
            <h1 className="text-2xl font-semibold tracking-tight break-all">{device.name}</h1>
          </div>
          <div className="flex flex-wrap items-center gap-2" aria-label={t('header.actions')} role="group">
            {canTerminal && (
              <Link href={`/terminal?devices=${device.id}`} className="btn-primary">
                {operate && user.role !== 'viewer'
                  ? t('header.openTerminal')
                  : t('header.openTerminalReadOnly')}
              </Link>
            )}
            {canEdit && (
              <Link href={`/devices/${device.id}/edit`} className="btn-secondary">
                {tc('actions.edit')}
              </Link>
            )}
          </div>
        </div>
        <ul
          className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-700 dark:text-slate-300"
          aria-label={t('header.summary')}
        >
          <li className="font-mono text-xs break-all" data-testid="device-address">
            {device.host}:{device.port}
          </li>
          <li>{VENDOR_LABELS[device.vendor as Vendor] ?? device.vendor}</li>
          <li data-testid="device-transport">
            {telnet ? (
              <span
                className="rounded bg-amber-100 px-1.5 py-0.5 text-xs whitespace-nowrap text-amber-800 dark:bg-amber-900/50 dark:text-amber-200"
                title={t('header.telnetTitle')}
              >
                {t('header.telnet')}
              </span>
            ) : (
              'SSH'
            )}
          </li>
          {device.kind === 'console_line' && <li>{t('header.consoleLine')}</li>}
          {device.jumpHost && (
            <li className="break-all">{t('header.through', { jumpHost: device.jumpHost.name })}</li>
          )}
          {device.lab && (
            <li>
              <span className="rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-700 dark:bg-violet-900/50 dark:text-violet-200">
                {t('header.lab')}
              </span>
            </li>
          )}
        </ul>
        {device.groups.length > 0 && (
          <ul className="flex flex-wrap gap-1.5" aria-label={t('header.groups')}>
            {device.groups.map(({ group }) => (
              <li key={group.id} className="max-w-full">
                <Link
                  href={`/devices?group=${group.id}`}
                  className="inline-block max-w-full rounded-full border border-sky-200 bg-sky-50 px-2 py-0.5 text-xs break-all text-sky-800 hover:bg-sky-100 dark:border-sky-800 dark:bg-sky-950/40 dark:text-sky-200 dark:hover:bg-sky-900/50"
                >
                  {group.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
        {fields.length > 0 && (
          <section aria-labelledby="device-fields-heading">
            <h2 id="device-fields-heading" className="sr-only">
              {t('fields.heading')}
            </h2>
            <dl className="flex flex-wrap gap-1.5 text-xs" data-testid="device-fields">
              {fields.map(([key, value]) => (
                <div
                  key={key}
                  className="inline-flex max-w-full items-baseline gap-1 rounded border border-slate-200 bg-white px-2 py-0.5 dark:border-slate-700 dark:bg-slate-900"
                  data-field={key}
                >
                  <dt className="font-mono text-slate-600 dark:text-slate-400">{key}</dt>
                  <dd className="min-w-0 break-all text-slate-900 dark:text-slate-100">{value}</dd>
                </div>
              ))}
            </dl>
          </section>
        )}
      </header>

      <DeviceTabs deviceId={device.id} current="overview" />

      <section className="card space-y-3 p-4" aria-labelledby="device-status-heading">
        <h2 id="device-status-heading" className="sr-only">
          {t('status.heading')}
        </h2>
        <LiveDeviceStatus
          deviceId={device.id}
          status={device.status}
          since={device.statusChangedAt?.toISOString() ?? null}
          reason={page.statusReason}
          lastSeen={page.lastSeen}
        />
        {device.jumpHostId || viaGroup ? (
          <p className="text-xs break-words text-slate-500 dark:text-slate-400">
            {viaGroup
              ? t('status.viaGroupJumpHost', { jumpHost: viaGroup.jumpHost, group: viaGroup.group })
              : t('status.viaJumpHost')}
          </p>
        ) : (
          <ProbeButton deviceId={device.id} />
        )}
      </section>

      <section className="card min-w-0 space-y-3 p-4" aria-labelledby="device-timeline-heading">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="device-timeline-heading" className="text-sm font-semibold">
            {t('timeline.heading', { window: windowLabel })}
            <span className="ml-3 font-normal text-slate-600 dark:text-slate-400" data-testid="uptime">
              {uptime}
            </span>
          </h2>
          <nav
            className="inline-flex rounded-md border border-slate-300 text-sm dark:border-slate-700"
            aria-label={t('timeline.windowNav')}
          >
            {(Object.keys(TIMELINE_WINDOWS_MS) as TimelineWindow[]).map((w) => (
              <Link
                key={w}
                href={`/devices/${device.id}?window=${w}`}
                scroll={false}
                aria-current={w === window ? 'page' : undefined}
                className={`px-3 py-1 whitespace-nowrap first:rounded-l-md last:rounded-r-md ${
                  w === window
                    ? 'bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900'
                    : 'bg-white text-slate-700 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-300 dark:hover:bg-slate-800'
                }`}
              >
                {t(WINDOW_KEY[w])}
              </Link>
            ))}
          </nav>
        </div>
        <StatusTimeline segments={timeline.segments} axisFrom={timeline.axisFrom} to={timeline.to} />
        <div className="flex flex-wrap items-center justify-between gap-2">
          <StatusLegend />
          {timeline.axisFrom < timeline.from && !timeline.truncated && (
            <p className="text-xs text-slate-500 dark:text-slate-400">
              {t.rich('timeline.added', { time: () => <Time iso={device.createdAt} /> })}
            </p>
          )}
        </div>
        <details className="text-sm">
          <summary className="cursor-pointer text-slate-700 dark:text-slate-300">
            {t(timeline.truncated ? 'timeline.changesTruncated' : 'timeline.changes', {
              count: timeline.changes.length,
            })}
          </summary>
          {timeline.changes.length === 0 ? (
            <p className="mt-2 text-slate-500 dark:text-slate-400" data-testid="no-status-changes">
              {t('timeline.noChanges')}
              {window === '24h' && (
                <>
                  {' '}
                  <Link
                    href={`/devices/${device.id}?window=7d`}
                    scroll={false}
                    className="text-sky-700 hover:underline dark:text-sky-400"
                  >
                    {t('timeline.seeWeek')}
                  </Link>
                </>
              )}
            </p>
          ) : (
            <ul className="mt-2 max-h-64 space-y-1 overflow-y-auto" data-testid="status-changes">
              {timeline.changes.map((c) => (
                <li key={c.at + c.status} className="break-words">
                  <Time iso={c.at} className="font-mono text-xs text-slate-500 dark:text-slate-400" />{' '}
                  {tc(`status.${c.previous}`)} → <strong>{tc(`status.${c.status}`)}</strong>
                  {c.reason && <span className="text-slate-600 dark:text-slate-400">: {c.reason}</span>}
                </li>
              ))}
            </ul>
          )}
        </details>
      </section>

      {canEdit && <TestConnectionPanel deviceId={device.id} className="" />}

      <HostKeyPanel
        deviceId={device.id}
        trusted={device.hostKeyFingerprint}
        offered={device.offeredHostKeyFingerprint}
        offeredAt={device.offeredHostKeyAt?.toISOString() ?? null}
        approvalRequired={device.hostKeyApprovalRequired}
        address={`${device.host}:${device.port}`}
        canForget={can(user.role, 'hostkeys:manage')}
        readOnly={!canEdit}
        className=""
        trustedNote={
          accepted
            ? accepted.by
              ? t('hostKey.acceptedBy', { time: utcMoment(accepted.at), user: accepted.by })
              : t('hostKey.accepted', { time: utcMoment(accepted.at) })
            : t('hostKey.trustedOnFirstUse')
        }
      />

      <div className="grid gap-4 lg:grid-cols-2">
        <section className="card min-w-0 p-4" aria-labelledby="device-sessions-heading">
          <h2 id="device-sessions-heading" className="mb-2 text-sm font-semibold">
            {admin ? t('sessions.heading') : t('sessions.headingYours')}
          </h2>
          {page.sessions.length === 0 ? (
            <div className="space-y-2 text-sm" data-testid="device-sessions-empty">
              <p className="text-slate-500 dark:text-slate-400">
                {admin ? t('sessions.empty') : t('sessions.emptyYours')}
              </p>
              {canTerminal && (
                <Link
                  href={`/terminal?devices=${device.id}`}
                  className="inline-block text-sky-700 hover:underline dark:text-sky-400"
                >
                  {t('sessions.openTerminal')}
                </Link>
              )}
            </div>
          ) : (
            <ul
              className="divide-y divide-slate-100 text-sm dark:divide-slate-800"
              data-testid="device-sessions"
            >
              {page.sessions.map((s, i) => (
                <li key={i} className="flex flex-wrap gap-x-2 py-1">
                  <Time iso={s.at} className="font-mono text-xs text-slate-500 dark:text-slate-400" />
                  <span
                    className={
                      s.action === 'open'
                        ? 'text-emerald-700 dark:text-emerald-300'
                        : 'text-slate-700 dark:text-slate-300'
                    }
                  >
                    {s.action === 'open' ? t('sessions.opened') : t('sessions.closed')}
                  </span>
                  {s.user && <span className="font-medium break-all">{s.user}</span>}
                  {s.action === 'close' && s.detail && (
                    <span className="min-w-0 break-words text-slate-500 dark:text-slate-400">{s.detail}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card min-w-0 p-4" aria-labelledby="device-tasks-heading">
          <h2 id="device-tasks-heading" className="mb-2 text-sm font-semibold">
            {admin ? t('tasks.heading') : t('tasks.headingYours')}
          </h2>
          {page.tasks.length === 0 ? (
            <div className="space-y-2 text-sm" data-testid="device-tasks-empty">
              <p className="text-slate-500 dark:text-slate-400">
                {admin ? t('tasks.empty') : t('tasks.emptyYours')}
              </p>
              {canTask && (
                <Link
                  href={`/tasks/new?devices=${device.id}`}
                  className="inline-block text-sky-700 hover:underline dark:text-sky-400"
                >
                  {t('tasks.runTask')}
                </Link>
              )}
            </div>
          ) : (
            <ul
              className="divide-y divide-slate-100 text-sm dark:divide-slate-800"
              data-testid="device-tasks"
            >
              {page.tasks.map((task) => (
                <li key={task.taskId} className="flex flex-wrap items-center gap-x-2 gap-y-0.5 py-1">
                  <Link
                    href={`/tasks/${task.taskId}`}
                    className="font-medium break-all text-sky-700 hover:underline dark:text-sky-400"
                  >
                    {task.taskName}
                  </Link>
                  <TaskStatusBadge status={task.status} />
                  <Time
                    iso={task.createdAt}
                    className="font-mono text-xs text-slate-500 dark:text-slate-400"
                  />
                  {admin && (
                    <span className="text-xs break-all text-slate-500 dark:text-slate-400">{task.owner}</span>
                  )}
                  {task.error && (
                    <span className="w-full text-xs break-words text-red-700 dark:text-red-300">
                      {task.error}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {(recordings.items.length > 0 || canTerminal || admin) && (
        <section className="card min-w-0 p-4" aria-labelledby="device-recordings-heading">
          <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="device-recordings-heading" className="text-sm font-semibold">
              {admin ? t('recordings.heading') : t('recordings.headingYours')}
            </h2>
            {recordings.items.length > 0 && (
              <Link
                href={`/recordings?device=${encodeURIComponent(device.id)}`}
                className="text-sm text-sky-700 hover:underline dark:text-sky-400"
              >
                {t('recordings.all')}
              </Link>
            )}
          </div>
          {recordings.items.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400" data-testid="device-recordings-empty">
              {admin ? t('recordings.empty') : t('recordings.emptyYours')}
            </p>
          ) : (
            <ul
              className="divide-y divide-slate-100 text-sm dark:divide-slate-800"
              data-testid="device-recordings"
            >
              {recordings.items.map((r) => (
                <li key={r.id} className="flex flex-wrap items-center gap-x-2 gap-y-0.5 py-1">
                  <Link
                    href={`/recordings/${r.id}`}
                    className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-400"
                    aria-label={t('recordings.play', {
                      user: r.username,
                      time: utcMoment(r.startedAt.toISOString()),
                    })}
                  >
                    ▶ <Time iso={r.startedAt} />
                  </Link>
                  <span className="font-medium break-all">{r.username}</span>
                  <span className="text-xs text-slate-500 dark:text-slate-400">
                    {tr('commandCount', { count: r.commandCount })}
                  </span>
                  {r.state !== 'complete' && <RecordingStateBadge state={r.state} />}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {device.notes && (
        <section className="card p-4 text-sm" aria-labelledby="device-notes-heading">
          <h2 id="device-notes-heading" className="mb-1 font-semibold">
            {t('notes')}
          </h2>
          <p className="break-words whitespace-pre-wrap">{device.notes}</p>
        </section>
      )}
      {level === 'view' && <p className="text-xs text-slate-500 dark:text-slate-400">{t('viewOnly')}</p>}
    </div>
  );
}
