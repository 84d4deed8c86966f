import { Bone, FormBones, Skeleton } from '../_components/skeleton';

export default function SettingsLoading() {
  return (
    <Skeleton>
      <Bone className="h-8 w-32" />
      <Bone className="h-4 w-full max-w-2xl" />
      <FormBones fields={2} />
    </Skeleton>
  );
}
