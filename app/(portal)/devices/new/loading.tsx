import { Bone, FormBones, Skeleton } from '../_list/skeleton';

/** The Add device form's shape while it loads. */
export default function NewDeviceLoading() {
  return (
    <Skeleton>
      <Bone className="h-7 w-40" />
      <FormBones fields={9} />
    </Skeleton>
  );
}
