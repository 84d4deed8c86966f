import { Bone } from '@/app/_components/skeleton';

export { Bone, Skeleton } from '@/app/_components/skeleton';

/** A card of `rows` list rows, as the lists of users, groups, teams and events look. */
export function ListBones({ rows = 6 }: { rows?: number }) {
  return (
    <div className="card divide-y divide-slate-100 dark:divide-slate-800">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-4 px-4 py-3">
          <Bone className="h-4 w-40 max-w-[40%]" />
          <Bone className="h-3 flex-1" />
          <Bone className="hidden h-8 w-20 sm:block" />
        </div>
      ))}
    </div>
  );
}

/** A card with a form's fields in a row (create user, group or team; the audit filters). */
export function FormBones({ fields = 3 }: { fields?: number }) {
  return (
    <div className="card grid gap-3 p-4 sm:grid-cols-4">
      {Array.from({ length: fields }, (_, i) => (
        <div key={i} className="space-y-2">
          <Bone className="h-3 w-20" />
          <Bone className="h-8 w-full" />
        </div>
      ))}
    </div>
  );
}
