import type { Metadata } from 'next';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Time } from '@/app/_components/time';
import { recordingCastPath } from '@/lib/api/schemas-recordings';
import { requireUser } from '@/lib/auth/session';
import { formatDuration } from '@/lib/format/duration';
import { isLocale } from '@/lib/i18n/config';
import { getRecording } from '@/lib/recordings/service';
import { getRuntime } from '@/lib/server/registry';
import { RecordingStateBadge, RecordingStateNote } from '../_components/state-badge';
import { RecordingPlayer } from './recording-player';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('terminal.recordings.player');
  return { title: t('title') };
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Play one recording: the player, its command lines to jump to, what it is, and the .cast to download. */
export default async function RecordingPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const { id } = await params;
  const runtime = getRuntime();
  const r = ID.test(id) ? await getRecording(id, user, runtime) : null;
  if (!r) notFound();
  const [t, format, locale, sp] = await Promise.all([
    getTranslations('terminal.recordings.player'),
    getFormatter(),
    getLocale(),
    searchParams,
  ]);
  const at = typeof sp.at === 'string' && /^\d{1,12}$/.test(sp.at) ? Number(sp.at) : undefined;
  const device = await runtime.db.device.findUnique({ where: { id: r.deviceId }, select: { id: true } });
  const bytes = (n: number) =>
    n < 1024 * 1024
      ? `${format.number(n / 1024, { maximumFractionDigits: 1 })} KiB`
      : `${format.number(n / 1024 / 1024, { maximumFractionDigits: 1 })} MiB`;
  const open = r.state === 'recording' && !r.endedAt;
  const dt = 'text-xs text-slate-500 dark:text-slate-400';

  return (
    <div className="min-w-0 space-y-4">
      <header className="space-y-2">
        <p className="text-sm">
          <Link href="/recordings" className="text-sky-700 hover:underline dark:text-sky-400">
            {t('back')}
          </Link>
        </p>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <h1 className="min-w-0 text-2xl font-semibold tracking-tight break-words">
            {t('heading', { device: r.deviceName, user: r.username })}
          </h1>
          <div className="flex flex-wrap gap-2">
            {device && (
              <Link href={`/devices/${device.id}`} className="btn-secondary">
                {t('devicePage')}
              </Link>
            )}
            <a href={recordingCastPath(r.id)} download className="btn-primary" data-testid="download-cast">
              {t('download')}
            </a>
          </div>
        </div>
        <dl
          className="flex flex-wrap gap-x-6 gap-y-2 text-sm"
          aria-label={t('summary')}
          data-testid="recording-summary"
        >
          <div>
            <dt className={dt}>{t('started')}</dt>
            <dd>
              <Time iso={r.startedAt} className="font-mono text-xs" />
            </dd>
          </div>
          <div>
            <dt className={dt}>{t('duration')}</dt>
            <dd>{open ? '—' : formatDuration(r.durationMs, isLocale(locale) ? locale : 'en')}</dd>
          </div>
          <div className="min-w-0">
            <dt className={dt}>{t('node')}</dt>
            <dd className="font-mono text-xs break-all">{r.nodeId}</dd>
          </div>
          <div>
            <dt className={dt}>{t('size')}</dt>
            <dd>{t('sizeValue', { stored: bytes(r.storedBytes), bytes: bytes(r.bytes) })}</dd>
          </div>
          <div>
            <dt className={dt}>{t('state')}</dt>
            <dd>
              <RecordingStateBadge state={r.state} />
            </dd>
          </div>
        </dl>
        <RecordingStateNote
          state={r.state}
          note={r.note}
          className="block rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        />
      </header>
      <RecordingPlayer castUrl={recordingCastPath(r.id)} commands={r.commands} startAtOffsetMs={at} />
    </div>
  );
}
