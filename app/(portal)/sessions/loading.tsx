import { Bone, ListBones, Skeleton } from '../admin/_components/skeleton';

export default function LiveSessionsLoading() {
  return (
    <Skeleton>
      <Bone className="h-8 w-56" />
      <ListBones rows={6} />
    </Skeleton>
  );
}
