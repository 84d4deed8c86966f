import { getTranslations } from 'next-intl/server';

/** The terminal page's shape while it loads: the tab strip, the terminal area and its status line. */
export default async function TerminalLoading() {
  const t = await getTranslations('common');
  return (
    <div className="flex h-[calc(100vh-7.5rem)] animate-pulse flex-col gap-2" aria-busy="true">
      <span className="sr-only" role="status">
        {t('states.loading')}
      </span>
      <div className="flex items-end gap-1 border-b border-slate-200 pb-1 dark:border-slate-700">
        <div className="h-8 w-32 rounded-t-md bg-slate-200 dark:bg-slate-800" />
        <div className="h-8 w-24 rounded-md bg-slate-200 dark:bg-slate-800" />
        <div className="ml-auto h-8 w-9 rounded-md bg-slate-200 dark:bg-slate-800" />
      </div>
      <div className="flex min-h-0 flex-1 flex-col gap-3 lg:flex-row">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <div className="min-h-0 flex-1 rounded-md bg-slate-300 dark:bg-slate-800" />
          <div className="h-6 rounded bg-slate-200 dark:bg-slate-800" />
        </div>
        <div className="hidden w-96 rounded-lg bg-slate-200 lg:block dark:bg-slate-800" />
      </div>
    </div>
  );
}
