import { Bone, FormBones, ListBones, Skeleton } from '../_components/skeleton';

export default function AuditLoading() {
  return (
    <Skeleton>
      <Bone className="h-8 w-40" />
      <FormBones fields={3} />
      <ListBones rows={12} />
    </Skeleton>
  );
}
