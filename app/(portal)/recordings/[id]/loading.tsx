import { Bone, Skeleton } from '@/app/_components/skeleton';

export default function RecordingLoading() {
  return (
    <Skeleton>
      <Bone className="h-4 w-28" />
      <Bone className="h-8 w-72 max-w-full" />
      <Bone className="h-10 w-full max-w-xl" />
      <Bone className="aspect-[16/7] w-full" />
    </Skeleton>
  );
}
