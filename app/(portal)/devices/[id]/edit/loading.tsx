import { Bone, FormBones, Skeleton } from '../../_list/skeleton';

/** The edit page's shape while it loads: title and back link, the form, then the panels under it. */
export default function EditDeviceLoading() {
  return (
    <Skeleton>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Bone className="h-7 w-56 max-w-full" />
        <Bone className="h-4 w-32" />
      </div>
      <FormBones fields={9} />
      {[0, 1, 2].map((i) => (
        <div key={i} className="card max-w-3xl space-y-2 p-4">
          <Bone className="h-4 w-28" />
          <Bone className="h-3 w-3/4" />
        </div>
      ))}
    </Skeleton>
  );
}
