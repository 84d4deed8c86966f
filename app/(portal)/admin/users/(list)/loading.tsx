import { Bone, FormBones, ListBones, Skeleton } from '../../_components/skeleton';

export default function UsersLoading() {
  return (
    <Skeleton>
      <Bone className="h-8 w-32" />
      <FormBones fields={4} />
      <ListBones rows={8} />
    </Skeleton>
  );
}
