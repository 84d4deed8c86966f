import { getTranslations } from 'next-intl/server';
import { Bone } from '../skeleton';

/** New task's shape while it loads: the form on the left, the device picker on the right. */
export default async function NewTaskLoading() {
  const t = await getTranslations('common.states');
  return (
    <div className="animate-pulse space-y-4" aria-busy="true">
      <span className="sr-only" role="status">
        {t('loading')}
      </span>
      <Bone className="h-8 w-36" />
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="card space-y-4 p-4">
          <Bone className="h-3 w-16" />
          <Bone className="h-9 w-full" />
          <Bone className="h-3 w-48" />
          <Bone className="h-40 w-full" />
          <Bone className="h-3 w-32" />
          <Bone className="h-7 w-full" />
          <Bone className="h-10 w-full" />
          <Bone className="h-16 w-full" />
          <div className="grid grid-cols-2 gap-3">
            <Bone className="h-9" />
            <Bone className="h-9" />
          </div>
          <Bone className="h-9 w-48" />
        </div>
        <div className="card space-y-2 p-4">
          <div className="flex gap-2">
            <Bone className="h-9 flex-1" />
            <Bone className="h-9 w-28" />
          </div>
          {Array.from({ length: 10 }, (_, i) => (
            <Bone key={i} className="h-6 w-full" />
          ))}
        </div>
      </div>
    </div>
  );
}
