import { Bone, ListBones, Skeleton } from '../_components/skeleton';

export default function PoliciesLoading() {
  return (
    <Skeleton>
      <Bone className="h-8 w-56" />
      <Bone className="h-4 w-full max-w-3xl" />
      <Bone className="h-8 w-64" />
      <ListBones rows={6} />
    </Skeleton>
  );
}
