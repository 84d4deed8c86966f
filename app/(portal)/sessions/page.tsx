import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { Time } from '@/app/_components/time';
import { requireUser } from '@/lib/auth/session';
import { formatDuration } from '@/lib/format/duration';
import { getRuntime } from '@/lib/server/registry';
import { liveSessionsFor } from '@/lib/terminal/live';
import { AutoRefresh } from './auto-refresh';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('sessions');
  return { title: t('title') };
}

/** How often the list reads the sessions again (idle times, who joined and left). */
const REFRESH_S = 10;
/** Less idle than this reads "active". */
const ACTIVE_MS = 60_000;

/** The terminal sessions open now that the user may see: their own, and those they may watch. */
export default async function LiveSessionsPage() {
  const user = await requireUser();
  const runtime = getRuntime();
  const [sessions, t, locale] = await Promise.all([
    liveSessionsFor(user, runtime),
    getTranslations('sessions'),
    getLocale(),
  ]);
  // eslint-disable-next-line react-hooks/purity -- rendered per request: the idle time is as of now
  const now = Date.now();
  const dt = 'text-xs text-slate-500 dark:text-slate-400';
  return (
    <div className="min-w-0 space-y-4">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t('heading')}</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {t('intro')} <AutoRefresh seconds={REFRESH_S} label={t('refreshed', { seconds: REFRESH_S })} />
        </p>
      </header>
      {sessions.length === 0 ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400" data-testid="no-sessions">
          {t('empty')}
        </p>
      ) : (
        <ul className="space-y-2" aria-label={t('heading')}>
          {sessions.map((s) => {
            const idle = now - s.lastActive.getTime();
            return (
              <li
                key={s.id}
                className="card grid min-w-0 grid-cols-2 gap-x-4 gap-y-2 p-3 text-sm sm:grid-cols-[repeat(5,minmax(0,1fr))_auto] sm:items-center"
                data-session={s.id}
                data-session-device={s.deviceName}
              >
                <div className="min-w-0">
                  <div className={dt}>{t('columns.user')}</div>
                  <div className="truncate font-medium">
                    {s.username}
                    {s.own && (
                      <span className="ml-1 font-normal text-slate-500 dark:text-slate-400">
                        ({t('you')})
                      </span>
                    )}
                  </div>
                </div>
                <div className="min-w-0">
                  <div className={dt}>{t('columns.device')}</div>
                  <Link
                    href={`/devices/${s.deviceId}`}
                    className="block truncate text-sky-700 underline dark:text-sky-400"
                  >
                    {s.deviceName}
                  </Link>
                </div>
                <div className="min-w-0">
                  <div className={dt}>{t('columns.since')}</div>
                  <Time iso={s.since} />
                </div>
                <div className="min-w-0">
                  <div className={dt}>{t('columns.idle')}</div>
                  <div data-testid="session-idle">
                    {idle < ACTIVE_MS ? t('idleNone') : formatDuration(idle, locale)}
                  </div>
                </div>
                <div className="min-w-0">
                  <div className={dt}>{t('columns.observers')}</div>
                  <div className="truncate" data-testid="session-observers">
                    {s.observers.length === 0 ? t('nobody') : s.observers.map((o) => o.name).join(', ')}
                  </div>
                  <div className="truncate text-xs text-slate-500 dark:text-slate-400">
                    {t('columns.node')}: {s.node}
                  </div>
                </div>
                <div className="col-span-2 sm:col-span-1 sm:justify-self-end">
                  <Link
                    href={`/sessions/${s.id}`}
                    aria-label={t('watch', { user: s.username, device: s.deviceName })}
                    className="inline-flex min-h-9 items-center rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
                  >
                    {t('watchShort')}
                  </Link>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
