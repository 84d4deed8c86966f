import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { NoAccess } from '@/app/_components/no-access';
import { Time } from '@/app/_components/time';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getRuntime } from '@/lib/server/registry';
import { containsText, startsWithText } from '@/lib/db/dialect';
import { recordingsForAuditEntries } from '@/lib/recordings/service';
import { AUDIT_ACTION_LABELS, auditActionLabelKey } from './action-labels';

export async function generateMetadata() {
  const t = await getTranslations('admin');
  return { title: t('audit.title') };
}

const PAGE_SIZE = 200;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<{ action?: string; user?: string; target?: string }>;
}) {
  const me = await requireUser();
  const t = await getTranslations('admin');
  if (!can(me.role, 'audit:view')) return <NoAccess what={t('noAccess.audit')} />;
  const { action, user, target } = await searchParams;
  const filtered = Boolean(action || user || target);
  const { db } = getRuntime();
  const events = await db.auditEvent.findMany({
    where: {
      ...(action ? { action: startsWithText(db, action.slice(0, 64)) } : {}),
      ...(user ? { user: { username: user.slice(0, 64) } } : {}),
      ...(target ? { target: containsText(db, target.slice(0, 64)) } : {}),
    },
    orderBy: { at: 'desc' },
    take: PAGE_SIZE,
    include: { user: { select: { username: true } } },
  });
  // a terminal session's entries link to its recording (one look-up for the whole page)
  const recordings = await recordingsForAuditEntries(
    me,
    events.filter((e) => e.action === 'terminal.open' || e.action === 'terminal.close'),
    { db },
  );
  const label = (code: string) => {
    const key = auditActionLabelKey(code);
    return key ? t(`audit.actions.${key}`) : null;
  };
  const th = 'px-4 py-2';
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('audit.heading')}</h1>
      <form
        className="card flex flex-wrap items-end gap-3 p-3"
        role="search"
        aria-label={t('audit.filters.label')}
      >
        <div className="min-w-0 flex-1 basis-40 sm:flex-none">
          <label htmlFor="action">{t('audit.filters.action')}</label>
          <input
            id="action"
            name="action"
            defaultValue={action}
            placeholder={t('audit.filters.actionPlaceholder')}
            className="input"
            list="audit-action-codes"
            autoComplete="off"
          />
          <datalist id="audit-action-codes">
            {Object.keys(AUDIT_ACTION_LABELS).map((code) => (
              <option key={code} value={code} label={label(code) ?? undefined} />
            ))}
          </datalist>
        </div>
        <div className="min-w-0 flex-1 basis-32 sm:flex-none">
          <label htmlFor="user">{t('audit.filters.user')}</label>
          <input id="user" name="user" defaultValue={user} className="input" autoComplete="off" />
        </div>
        <div className="min-w-0 flex-1 basis-40 sm:flex-none">
          <label htmlFor="target">{t('audit.filters.target')}</label>
          <input id="target" name="target" defaultValue={target} className="input" autoComplete="off" />
        </div>
        <div className="flex gap-2">
          <button type="submit" className="btn-secondary">
            {t('audit.filters.submit')}
          </button>
          {filtered && (
            <Link href="/admin/audit" className="btn-secondary">
              {t('audit.filters.clear')}
            </Link>
          )}
        </div>
      </form>
      {events.length === 0 ? (
        <div className="card space-y-3 p-6 text-center" data-testid="audit-empty">
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {filtered ? t('audit.noMatch') : t('audit.empty')}
          </p>
          {filtered && (
            <Link href="/admin/audit" className="btn-primary">
              {t('audit.filters.clear')}
            </Link>
          )}
        </div>
      ) : (
        <div className="card overflow-x-auto" role="region" aria-label={t('audit.tableLabel')} tabIndex={0}>
          <table
            className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800"
            data-testid="audit-table"
          >
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase dark:bg-slate-800/60 dark:text-slate-300">
              <tr>
                <th scope="col" className={th}>
                  {t('audit.table.time')}
                </th>
                <th scope="col" className={th}>
                  {t('audit.table.user')}
                </th>
                <th scope="col" className={th}>
                  {t('audit.table.action')}
                </th>
                <th scope="col" className={th}>
                  {t('audit.table.target')}
                </th>
                <th scope="col" className={th}>
                  {t('audit.table.detail')}
                </th>
                <th scope="col" className={th}>
                  {t('audit.table.address')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {events.map((e) => {
                const human = label(e.action);
                return (
                  <tr key={e.id}>
                    <td className="px-4 py-1.5 font-mono text-xs whitespace-nowrap">
                      <Time iso={e.at} />
                    </td>
                    <td className="px-4 py-1.5">{e.user?.username ?? '—'}</td>
                    <td className="px-4 py-1.5 whitespace-nowrap">
                      <span className="font-mono text-xs">{e.action}</span>
                      {human && (
                        <span className="block text-xs text-slate-500 dark:text-slate-400">{human}</span>
                      )}
                    </td>
                    <td className="max-w-64 px-4 py-1.5 break-words">{e.target}</td>
                    <td className="max-w-md min-w-48 px-4 py-1.5 break-words text-slate-600 dark:text-slate-300">
                      {e.detail}
                      {recordings.has(e.id) && (
                        <Link
                          href={`/recordings/${recordings.get(e.id)}`}
                          className="ml-2 whitespace-nowrap text-sky-700 underline dark:text-sky-400"
                          title={t('audit.recordingLabel')}
                          data-testid="audit-recording"
                        >
                          ▶ {t('audit.recording')}
                        </Link>
                      )}
                    </td>
                    <td className="px-4 py-1.5 font-mono text-xs">{e.ip}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {events.length === PAGE_SIZE && (
            <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
              {t('audit.latest', { count: PAGE_SIZE })}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
