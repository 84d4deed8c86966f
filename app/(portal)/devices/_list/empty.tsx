import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { Role } from '@/lib/auth/roles';

const code = (c: React.ReactNode) => (
  <code className="rounded bg-slate-100 px-1 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200">
    {c}
  </code>
);

/**
 * The list with no device at all, filters aside: admins and operators get the two ways to fill it
 * (admins also the lab hint: the portal's own simulated devices); viewers only see what is shared with
 * them, so they are told whom to ask.
 */
export async function NoDevices({ role, canEdit }: { role: Role; canEdit: boolean }) {
  const t = await getTranslations('devices');
  return (
    <section
      className="card px-6 py-10 text-center"
      aria-labelledby="no-devices-title"
      data-testid="no-devices"
    >
      <h2 id="no-devices-title" className="text-lg font-semibold">
        {t('empty.noneTitle')}
      </h2>
      <p className="mx-auto mt-2 max-w-prose text-sm text-slate-600 dark:text-slate-400">
        {role === 'admin' ? t('empty.noneAdmin') : t('empty.noneShared')}
      </p>
      {canEdit && (
        <div className="mt-5 flex flex-wrap justify-center gap-3">
          <Link href="/devices/new" className="btn-primary">
            {t('empty.addDevice')}
          </Link>
          <Link href="/devices/import" className="btn-secondary">
            {t('empty.importCsv')}
          </Link>
        </div>
      )}
      {role === 'admin' && (
        <p className="mx-auto mt-5 max-w-prose text-xs text-slate-600 dark:text-slate-400">
          {t.rich('empty.labHint', { code })}
        </p>
      )}
    </section>
  );
}

/** A search or filter that matches nothing: say so, and offer the way back to the whole list. */
export async function NoMatch({ q, clearHref }: { q: string; clearHref: string }) {
  const t = await getTranslations('devices');
  return (
    <div className="card px-6 py-8 text-center text-sm" data-testid="no-match">
      <p className="font-medium text-slate-800 dark:text-slate-100">{t('empty.noMatch')}</p>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        {q ? t('empty.noMatchQuery', { q }) : t('empty.noMatchFilters')}
      </p>
      <Link href={clearHref} className="btn-secondary mt-4">
        {t('empty.clearFilters')}
      </Link>
    </div>
  );
}
