import { Bone, FormBones, ListBones, Skeleton } from '../../_components/skeleton';

export default function WebhooksLoading() {
  return (
    <Skeleton>
      <Bone className="h-8 w-36" />
      <Bone className="h-4 w-full max-w-3xl" />
      <ListBones rows={3} />
      <FormBones fields={2} />
    </Skeleton>
  );
}
