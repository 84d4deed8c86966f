import { Bone, Skeleton } from '@/app/_components/skeleton';

/** The notifications page's shape: title, filters, the list, and the preferences beside it. */
export default function NotificationsLoading() {
  return (
    <Skeleton className="grid gap-4 lg:grid-cols-[1fr_20rem]">
      <div className="space-y-3">
        <Bone className="h-7 w-40" />
        <div className="flex flex-wrap gap-1">
          {[20, 24, 20, 28, 24, 24].map((w, i) => (
            <Bone key={i} className="h-7" style={{ width: `${w * 0.25}rem` }} />
          ))}
        </div>
        <div className="flex items-center gap-3">
          <Bone className="h-4 w-16" />
          <Bone className="h-8 w-28" />
        </div>
        <div className="card divide-y divide-slate-100 dark:divide-slate-800">
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="flex gap-3 p-3">
              <Bone className="mt-1.5 h-2 w-2 rounded-full" />
              <div className="flex-1 space-y-2">
                <Bone className="h-4 w-2/3" />
                <Bone className="h-3 w-1/2" />
                <Bone className="h-3 w-32" />
              </div>
            </div>
          ))}
        </div>
      </div>
      <div className="space-y-2 lg:pt-12">
        <div className="card space-y-3 p-4">
          <Bone className="h-4 w-28" />
          {Array.from({ length: 4 }, (_, i) => (
            <Bone key={i} className="h-4 w-48" />
          ))}
          <Bone className="h-8 w-16" />
        </div>
      </div>
    </Skeleton>
  );
}
