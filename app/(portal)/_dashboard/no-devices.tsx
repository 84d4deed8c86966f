import { useTranslations } from 'next-intl';
import Link from 'next/link';

/**
 * The dashboard of someone who sees no device: the way to add some for those who may, the person to
 * ask for those who may not.
 */
export function NoDevices({ canAdd }: { canAdd: boolean }) {
  const t = useTranslations('dashboard.empty');
  return (
    <section className="card p-8 text-center" aria-labelledby="no-devices" data-testid="dashboard-empty">
      <svg
        viewBox="0 0 24 24"
        className="mx-auto h-10 w-10 text-slate-400 dark:text-slate-500"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.5}
        aria-hidden
      >
        <rect x="3" y="7" width="18" height="10" rx="2" />
        <path d="M7 12h.01M11 12h.01M15 12h2" strokeLinecap="round" />
      </svg>
      <h2 id="no-devices" className="mt-3 text-lg font-semibold">
        {t('title')}
      </h2>
      <p className="mx-auto mt-1 max-w-md text-sm text-slate-600 dark:text-slate-300">
        {canAdd ? t('canAdd') : t('cannotAdd')}
      </p>
      {canAdd && (
        <div className="mt-4 flex flex-wrap justify-center gap-3">
          <Link href="/devices/new" className="btn-primary">
            {t('add')}
          </Link>
          <Link href="/devices/import" className="btn-secondary">
            {t('import')}
          </Link>
        </div>
      )}
    </section>
  );
}
