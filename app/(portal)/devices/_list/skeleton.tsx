import { Bone } from '@/app/_components/skeleton';

export { Bone, Skeleton } from '@/app/_components/skeleton';

/** The device form's shape: a card of labelled fields in a grid, then the buttons. */
export function FormBones({ fields = 8 }: { fields?: number }) {
  return (
    <div className="card max-w-3xl space-y-5 p-4 sm:p-6">
      <div className="grid gap-4 sm:grid-cols-3">
        {Array.from({ length: fields }, (_, i) => (
          <div key={i} className="space-y-2">
            <Bone className="h-3 w-24" />
            <Bone className="h-8 w-full" />
          </div>
        ))}
      </div>
      <div className="flex gap-3">
        <Bone className="h-8 w-28" />
        <Bone className="h-8 w-20" />
      </div>
    </div>
  );
}
