import { getTranslations } from 'next-intl/server';
import { Bone } from '../skeleton';

/** The task list's shape while it loads: heading, filter bar, rows (cards on a phone). */
export default async function TasksLoading() {
  const t = await getTranslations('common.states');
  return (
    <div className="animate-pulse space-y-4" aria-busy="true" data-testid="tasks-loading">
      <span className="sr-only" role="status">
        {t('loading')}
      </span>
      <div className="flex items-center justify-between">
        <Bone className="h-8 w-28" />
        <Bone className="h-8 w-24" />
      </div>
      <div className="flex gap-2">
        <Bone className="h-9 flex-1" />
        <Bone className="h-9 w-32" />
      </div>
      <div className="space-y-2 md:card md:space-y-0 md:divide-y md:divide-slate-100 md:dark:divide-slate-800">
        {Array.from({ length: 6 }, (_, i) => (
          <div
            key={i}
            className="card space-y-2 p-3 md:flex md:items-center md:gap-4 md:space-y-0 md:rounded-none md:border-0 md:px-4 md:shadow-none"
          >
            <div className="flex items-center justify-between gap-3 md:w-64 md:flex-none">
              <Bone className="h-4 w-40" />
              <Bone className="h-5 w-16 md:hidden" />
            </div>
            <Bone className="hidden h-5 w-16 md:block" />
            <Bone className="h-2.5 w-full md:w-64" />
            <div className="flex justify-between gap-3 md:flex-1">
              <Bone className="h-3 w-16" />
              <Bone className="h-3 w-32" />
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
