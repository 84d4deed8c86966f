import { Bone, Skeleton } from '../_list/skeleton';

/** The import page's shape while it loads: title and downloads, the text, the file box and the columns. */
export default function ImportLoading() {
  return (
    <Skeleton>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Bone className="h-7 w-44" />
        <div className="flex gap-2">
          <Bone className="h-8 w-36" />
          <Bone className="h-8 w-44" />
        </div>
      </div>
      <div className="max-w-3xl space-y-2">
        <Bone className="h-3 w-full" />
        <Bone className="h-3 w-5/6" />
        <Bone className="h-3 w-2/3" />
      </div>
      <div className="card space-y-3 p-4">
        <Bone className="h-3 w-20" />
        <Bone className="h-8 w-64 max-w-full" />
        <Bone className="h-3 w-32" />
        <Bone className="h-40 w-full" />
        <div className="flex gap-2">
          <Bone className="h-8 w-24" />
          <Bone className="h-8 w-20" />
        </div>
      </div>
      <div className="card space-y-2 p-4">
        <Bone className="h-4 w-24" />
        {Array.from({ length: 6 }, (_, i) => (
          <Bone key={i} className="h-3 w-full" />
        ))}
      </div>
    </Skeleton>
  );
}
