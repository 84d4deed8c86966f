import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
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
import { VENDOR_LABELS, type Vendor } from '@/lib/devices/schema';
import { plural } from '@/lib/format/plural';
import { getRuntime } from '@/lib/server/registry';
import { HostKeyPanel } from './host-key';
import { LiveDeviceStatus } from './live-device-status';
import { ProbeButton } from './probe-button';

export const metadata: Metadata = { title: 'Device' };

const WINDOW_LABEL: Record<TimelineWindow, string> = { '24h': '24 h', '7d': '7 d' };

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
  const { device, level } = page;
  const timeline = await deviceTimeline(runtime.db, device, window);
  const operate = level === 'operate';
  const canEdit = operate && can(user.role, 'devices:edit');
  const canTerminal = operate && can(user.role, 'terminal:open');
  const telnet = device.transport === 'telnet';
  const viaGroup = groupJumpHost(device);

  return (
    <div className="space-y-4" data-device-page={device.name}>
      <header className="space-y-2">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <p className="text-sm">
              <Link href="/devices" className="text-sky-700 hover:underline">
                Devices
              </Link>
            </p>
            <h1 className="text-2xl font-semibold tracking-tight break-all">{device.name}</h1>
          </div>
          <div className="flex flex-wrap items-center gap-2" aria-label="Device actions" role="group">
            {canTerminal && (
              <Link href={`/terminal?devices=${device.id}`} className="btn-primary">
                Open terminal
              </Link>
            )}
            {canEdit && (
              <Link href={`/devices/${device.id}/edit`} className="btn-secondary">
                Edit
              </Link>
            )}
          </div>
        </div>
        <ul
          className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-700"
          aria-label="Summary"
        >
          <li className="font-mono text-xs break-all" data-testid="device-address">
            {device.host}:{device.port}
          </li>
          <li>{VENDOR_LABELS[device.vendor as Vendor] ?? device.vendor}</li>
          <li data-testid="device-transport">
            {telnet ? (
              <span
                className="rounded bg-amber-100 px-1.5 py-0.5 text-xs whitespace-nowrap text-amber-800"
                title="Telnet sends the password and everything typed in clear text"
              >
                telnet · unencrypted
              </span>
            ) : (
              'SSH'
            )}
          </li>
          {device.kind === 'console_line' && <li>console-server line</li>}
          {device.jumpHost && <li>through {device.jumpHost.name}</li>}
          {device.lab && (
            <li>
              <span className="rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-700">lab</span>
            </li>
          )}
        </ul>
        {device.groups.length > 0 && (
          <ul className="flex flex-wrap gap-1.5" aria-label="Groups">
            {device.groups.map(({ group }) => (
              <li key={group.id}>
                <Link
                  href={`/devices?group=${group.id}`}
                  className="inline-block max-w-full rounded-full border border-sky-200 bg-sky-50 px-2 py-0.5 text-xs break-all text-sky-800 hover:bg-sky-100"
                >
                  {group.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </header>

      <section className="card space-y-3 p-4" aria-label="Status">
        <LiveDeviceStatus
          deviceId={device.id}
          status={device.status}
          since={device.statusChangedAt?.toISOString() ?? null}
          reason={page.statusReason}
          lastSeen={page.lastSeen}
        />
        {device.jumpHostId || viaGroup ? (
          <p className="text-xs text-slate-500">
            Reached through{' '}
            {viaGroup ? `${viaGroup.jumpHost} (the jump host of group ${viaGroup.group})` : 'a jump host'}:
            its status comes from logins, it cannot be probed directly.
          </p>
        ) : (
          <ProbeButton deviceId={device.id} />
        )}
      </section>

      <section className="card space-y-3 p-4" aria-label="Status timeline">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-sm font-semibold">
            Status, last {WINDOW_LABEL[window]}
            <span className="ml-3 font-normal text-slate-600" data-testid="uptime">
              {timeline.uptime === null
                ? 'uptime: not known yet'
                : `uptime ${timeline.uptime.toFixed(timeline.uptime === 100 ? 0 : 2)} %`}
            </span>
          </h2>
          <nav className="inline-flex rounded-md border border-slate-300 text-sm" aria-label="Window">
            {(Object.keys(TIMELINE_WINDOWS_MS) as TimelineWindow[]).map((w) => (
              <Link
                key={w}
                href={`/devices/${device.id}?window=${w}`}
                scroll={false}
                aria-current={w === window ? 'page' : undefined}
                className={`px-3 py-1 first:rounded-l-md last:rounded-r-md ${
                  w === window ? 'bg-slate-800 text-white' : 'bg-white text-slate-700 hover:bg-slate-100'
                }`}
              >
                {WINDOW_LABEL[w]}
              </Link>
            ))}
          </nav>
        </div>
        <StatusTimeline segments={timeline.segments} axisFrom={timeline.axisFrom} to={timeline.to} />
        <div className="flex flex-wrap items-center justify-between gap-2">
          <StatusLegend />
          {timeline.axisFrom < timeline.from && !timeline.truncated && (
            <p className="text-xs text-slate-500">
              Added <Time iso={device.createdAt} />: nothing before.
            </p>
          )}
        </div>
        <details className="text-sm">
          <summary className="cursor-pointer text-slate-700">
            {plural(timeline.changes.length, 'change')} in this window
            {timeline.truncated && ' (the most recent; older ones are not drawn)'}
          </summary>
          {timeline.changes.length === 0 ? (
            <p className="mt-2 text-slate-500">No status change in this window.</p>
          ) : (
            <ul className="mt-2 max-h-64 space-y-1 overflow-y-auto" data-testid="status-changes">
              {timeline.changes.map((c) => (
                <li key={c.at + c.status} className="break-words">
                  <Time iso={c.at} className="font-mono text-xs text-slate-500" /> {c.previous} →{' '}
                  <strong>{c.status}</strong>
                  {c.reason && <span className="text-slate-600">: {c.reason}</span>}
                </li>
              ))}
            </ul>
          )}
        </details>
      </section>

      <HostKeyPanel
        deviceId={device.id}
        trusted={device.hostKeyFingerprint}
        offered={device.offeredHostKeyFingerprint}
        offeredAt={device.offeredHostKeyAt?.toISOString() ?? null}
        approvalRequired={device.hostKeyApprovalRequired}
        address={`${device.host}:${device.port}`}
        canForget={can(user.role, 'hostkeys:manage')}
        readOnly={!operate || !can(user.role, 'devices:edit')}
        className=""
        trustedNote={
          page.hostKeyAccepted
            ? `Accepted ${page.hostKeyAccepted.at.replace('T', ' ').slice(0, 19)} UTC${
                page.hostKeyAccepted.by ? ` by ${page.hostKeyAccepted.by}` : ''
              }.`
            : 'Trusted on first use (the portal does not record when).'
        }
      />

      <div className="grid gap-4 lg:grid-cols-2">
        <section className="card min-w-0 p-4" aria-label="Recent terminal sessions">
          <h2 className="mb-2 text-sm font-semibold">
            Recent terminal sessions{user.role === 'admin' ? '' : ' (yours)'}
          </h2>
          {page.sessions.length === 0 ? (
            <p className="text-sm text-slate-500">None yet.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm" data-testid="device-sessions">
              {page.sessions.map((s, i) => (
                <li key={i} className="flex flex-wrap gap-x-2 py-1">
                  <Time iso={s.at} className="font-mono text-xs text-slate-500" />
                  <span className={s.action === 'open' ? 'text-emerald-700' : 'text-slate-700'}>
                    {s.action === 'open' ? 'opened' : 'closed'}
                  </span>
                  {s.user && <span className="font-medium">{s.user}</span>}
                  {s.action === 'close' && s.detail && (
                    <span className="min-w-0 break-words text-slate-500">{s.detail}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card min-w-0 p-4" aria-label="Recent tasks">
          <h2 className="mb-2 text-sm font-semibold">
            Recent tasks on it{user.role === 'admin' ? '' : ' (yours)'}
          </h2>
          {page.tasks.length === 0 ? (
            <p className="text-sm text-slate-500">None yet.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm" data-testid="device-tasks">
              {page.tasks.map((t) => (
                <li key={t.taskId} className="flex flex-wrap items-center gap-x-2 gap-y-0.5 py-1">
                  <Link
                    href={`/tasks/${t.taskId}`}
                    className="font-medium break-all text-sky-700 hover:underline"
                  >
                    {t.taskName}
                  </Link>
                  <TaskStatusBadge status={t.status} />
                  <Time iso={t.createdAt} className="font-mono text-xs text-slate-500" />
                  {user.role === 'admin' && <span className="text-xs text-slate-500">{t.owner}</span>}
                  {t.error && <span className="w-full text-xs break-words text-red-700">{t.error}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {device.notes && (
        <section className="card p-4 text-sm" aria-label="Notes">
          <h2 className="mb-1 font-semibold">Notes</h2>
          <p className="break-words whitespace-pre-wrap">{device.notes}</p>
        </section>
      )}
      {level === 'view' && (
        <p className="text-xs text-slate-500">
          View only: changing this device, its terminals and tasks on it need operate access.
        </p>
      )}
    </div>
  );
}
