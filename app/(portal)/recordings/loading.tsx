import { Bone, FormBones, ListBones, Skeleton } from '../admin/_components/skeleton';

export default function RecordingsLoading() {
  return (
    <Skeleton>
      <Bone className="h-8 w-56" />
      <FormBones fields={5} />
      <ListBones rows={10} />
    </Skeleton>
  );
}
