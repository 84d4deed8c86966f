import { getTranslations } from 'next-intl/server';

/** The templates list's shape while it loads: a title and a grid of cards. */
export default async function TemplatesLoading() {
  const t = await getTranslations('common.states');
  return (
    <div className="space-y-4" aria-busy="true">
      <span className="sr-only">{t('loading')}</span>
      <div className="h-8 w-48 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div className="grid gap-3 md:grid-cols-2">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="card h-28 animate-pulse" />
        ))}
      </div>
    </div>
  );
}
