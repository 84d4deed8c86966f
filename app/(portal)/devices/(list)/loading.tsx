import { Bone, Skeleton } from '../_list/skeleton';

/** The device list's shape while it loads: title and buttons, the filters, then rows (cards on a phone). */
export default function DevicesLoading() {
  return (
    <Skeleton>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Bone className="h-7 w-32" />
        <div className="flex gap-2">
          <Bone className="h-8 w-24" />
          <Bone className="h-8 w-20" />
          <Bone className="h-8 w-28" />
        </div>
      </div>
      <div className="card flex flex-wrap items-end gap-3 p-3">
        <div className="min-w-48 flex-1 space-y-2">
          <Bone className="h-3 w-16" />
          <Bone className="h-8 w-full" />
        </div>
        {[0, 1, 2].map((i) => (
          <div key={i} className="space-y-2">
            <Bone className="h-3 w-14" />
            <Bone className="h-8 w-32" />
          </div>
        ))}
      </div>
      <Bone className="h-4 w-24" />
      <div className="space-y-2 sm:card sm:space-y-0 sm:divide-y sm:divide-slate-100 dark:sm:divide-slate-800">
        {Array.from({ length: 8 }, (_, i) => (
          <div
            key={i}
            className="card flex items-center gap-4 px-4 py-3 sm:rounded-none sm:border-0 sm:shadow-none"
          >
            <Bone className="h-4 w-4" />
            <Bone className="h-4 w-40 max-w-[40%]" />
            <Bone className="h-4 w-16" />
            <Bone className="hidden h-4 w-40 sm:block" />
            <Bone className="hidden h-4 flex-1 md:block" />
          </div>
        ))}
      </div>
    </Skeleton>
  );
}
