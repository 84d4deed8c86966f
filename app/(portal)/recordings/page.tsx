import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { Time } from '@/app/_components/time';
import { encodeRecordingCursor } from '@/lib/api/schemas-recordings';
import { canSeeAllRecordings } from '@/lib/auth/session-permissions';
import { requireUser } from '@/lib/auth/session';
import { formatDuration } from '@/lib/format/duration';
import { isLocale } from '@/lib/i18n/config';
import {
  listRecordings,
  recordingFacets,
  RECORDING_STATES,
  type RecordingSummary,
} from '@/lib/recordings/service';
import { getRuntime } from '@/lib/server/registry';
import { clockOffset } from './_lib/clock';
import { readRecordingSearch, recordingsHref, RECORDINGS_PAGE_SIZE } from './_lib/search';
import { RecordingStateBadge, RecordingStateNote } from './_components/state-badge';
import { RecordingFilters } from './recording-filters';

export async function generateMetadata() {
  const t = await getTranslations('terminal.recordings');
  return { title: t('title') };
}

const LINK = 'text-sky-700 hover:underline dark:text-sky-400';
const MUTED = 'text-slate-500 dark:text-slate-400';

/**
 * Session recordings: the user's own (admins and teams with the `recordings` permission: everyone's), newest first, searched by device, user,
 * a command typed, time and state; each opens its playback page.
 */
export default async function RecordingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const runtime = getRuntime();
  // whoever sees everyone's recordings searches by user too
  const admin = await canSeeAllRecordings(runtime.db, user);
  const search = readRecordingSearch(await searchParams, admin);
  const [page, facets, t, locale] = await Promise.all([
    listRecordings(user, search.filters, { limit: RECORDINGS_PAGE_SIZE, after: search.after }, runtime),
    recordingFacets(user, runtime),
    getTranslations('terminal.recordings'),
    getLocale(),
  ]);
  const lang = isLocale(locale) ? locale : 'en';
  const filtered = Object.keys(search.filters).length > 0;
  const duration = (r: RecordingSummary) =>
    r.state === 'recording' && !r.endedAt ? '—' : formatDuration(r.durationMs, lang);
  const older = page.next ? recordingsHref(search.values, encodeRecordingCursor(page.next)) : null;
  const playLabel = (r: RecordingSummary) => t('playLabel', { user: r.username, device: r.deviceName });
  const matches = (r: RecordingSummary) =>
    r.matches.length > 0 && (
      <ul className="mt-1 space-y-0.5" aria-label={t('filters.command')}>
        {r.matches.map((m, i) => (
          <li key={i} className="font-mono text-xs break-all">
            <Link href={`/recordings/${r.id}?at=${m.offsetMs}`} className={LINK}>
              {t('matchAt', { command: m.command, offset: clockOffset(m.offsetMs) })}
            </Link>
          </li>
        ))}
      </ul>
    );

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t('heading')}</h1>
        <p className={`mt-1 text-sm ${MUTED}`}>
          {user.role === 'admin' ? t('introAdmin') : admin ? t('introTeam') : t('intro')}
        </p>
      </div>
      <RecordingFilters
        values={search.values}
        admin={admin}
        states={RECORDING_STATES}
        devices={facets.devices}
        users={facets.users}
      />
      {search.ignored.length > 0 && (
        <p className="text-sm text-amber-700 dark:text-amber-300" role="status">
          {t('filters.ignored', { fields: search.ignored.join(', ') })}
        </p>
      )}
      {page.items.length === 0 ? (
        <div className="card space-y-3 p-6 text-center" data-testid="recordings-empty">
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {filtered ? t('noMatch') : admin ? t('empty') : t('emptyYours')}
          </p>
          {filtered && (
            <Link href="/recordings" className="btn-primary">
              {t('filters.clear')}
            </Link>
          )}
        </div>
      ) : (
        <>
          {/* laptop and wider: a table */}
          <div
            className="card hidden overflow-x-auto md:block"
            role="region"
            aria-label={t('table.label')}
            tabIndex={0}
          >
            <table
              className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800"
              data-testid="recordings-table"
            >
              <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase dark:bg-slate-800/60 dark:text-slate-300">
                <tr>
                  <th scope="col" className="px-4 py-2">
                    {t('table.start')}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t('table.device')}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t('table.user')}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t('table.node')}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t('table.duration')}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t('table.commands')}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t('table.state')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {page.items.map((r) => (
                  <tr
                    key={r.id}
                    data-recording={r.id}
                    data-device={r.deviceName}
                    data-user={r.username}
                    className="align-top"
                  >
                    <td className="px-4 py-2 whitespace-nowrap">
                      <Link
                        href={`/recordings/${r.id}`}
                        className={`font-mono text-xs ${LINK}`}
                        aria-label={playLabel(r)}
                      >
                        ▶ <Time iso={r.startedAt} />
                      </Link>
                    </td>
                    <td className="px-4 py-2 break-all">{r.deviceName}</td>
                    <td className="px-4 py-2 break-all">{r.username}</td>
                    <td className={`px-4 py-2 font-mono text-xs break-all ${MUTED}`}>{r.nodeId}</td>
                    <td className="px-4 py-2 whitespace-nowrap">{duration(r)}</td>
                    <td className="max-w-72 px-4 py-2">
                      {t('commandCount', { count: r.commandCount })}
                      {matches(r)}
                    </td>
                    <td className="max-w-64 px-4 py-2">
                      <RecordingStateBadge state={r.state} />
                      <RecordingStateNote
                        state={r.state}
                        note={r.note}
                        className={`mt-1 block text-xs ${MUTED}`}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {/* a phone: one card per recording */}
          <ul className="space-y-2 md:hidden" aria-label={t('table.label')} data-testid="recordings-cards">
            {page.items.map((r) => (
              <li
                key={r.id}
                className="card space-y-1 p-3 text-sm"
                data-recording={r.id}
                data-device={r.deviceName}
                data-user={r.username}
              >
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <Link
                    href={`/recordings/${r.id}`}
                    className={`font-medium break-all ${LINK}`}
                    aria-label={playLabel(r)}
                  >
                    ▶ {r.deviceName}
                  </Link>
                  <RecordingStateBadge state={r.state} />
                </div>
                <p className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-600 dark:text-slate-300">
                  <span className="break-all">{r.username}</span>
                  <Time iso={r.startedAt} className="font-mono" />
                  <span>{duration(r)}</span>
                  <span>{t('commandCount', { count: r.commandCount })}</span>
                  <span className={`font-mono break-all ${MUTED}`}>{r.nodeId}</span>
                </p>
                <RecordingStateNote state={r.state} note={r.note} className={`block text-xs ${MUTED}`} />
                {matches(r)}
              </li>
            ))}
          </ul>
        </>
      )}
      {(older || search.after) && (
        <nav aria-label={t('pager.label')} className="flex flex-wrap gap-2">
          {search.after && (
            <Link href={recordingsHref(search.values)} className="btn-secondary" rel="prev">
              {t('pager.newest')}
            </Link>
          )}
          {older && (
            <Link href={older} className="btn-secondary" rel="next">
              {t('pager.older')}
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
