import { Bone, Skeleton } from '@/app/_components/skeleton';

/** The dashboard's shape: title, the five status cards, the chart beside the outages, groups beside tasks. */
export function DashboardSkeleton() {
  return (
    <Skeleton>
      <div className="flex items-baseline justify-between">
        <Bone className="h-7 w-36" />
        <Bone className="h-3 w-12" />
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="card space-y-3 p-4">
            <Bone className="h-4 w-16" />
            <Bone className="h-8 w-12" />
          </div>
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="card space-y-3 p-4 lg:col-span-2">
          <Bone className="h-4 w-48" />
          <Bone className="h-[200px] w-full" />
        </div>
        <div className="card space-y-3 p-4">
          <Bone className="h-4 w-32" />
          {Array.from({ length: 4 }, (_, i) => (
            <Bone key={i} className="h-8 w-full" />
          ))}
        </div>
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="card space-y-3 p-4 lg:col-span-2">
          <Bone className="h-4 w-20" />
          {Array.from({ length: 4 }, (_, i) => (
            <Bone key={i} className="h-6 w-full" />
          ))}
        </div>
        <div className="card space-y-3 p-4">
          <Bone className="h-4 w-24" />
          {Array.from({ length: 3 }, (_, i) => (
            <Bone key={i} className="h-10 w-full" />
          ))}
        </div>
      </div>
    </Skeleton>
  );
}
