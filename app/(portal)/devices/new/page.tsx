import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { createDeviceAction } from '../actions';
import { DeviceForm } from '../device-form';
import { jumpHostNames } from '../jump-host-names';

export const metadata: Metadata = { title: 'Add device' };

export default async function NewDevicePage() {
  const user = await requireUser();
  if (!can(user.role, 'devices:edit')) return <NoAccess what="add devices" />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Add device</h1>
      <DeviceForm
        mode="create"
        action={createDeviceAction}
        jumpHostNames={await jumpHostNames(user)}
        initial={{
          name: '',
          host: '',
          port: 22,
          vendor: 'huawei_vrp',
          encoding: 'utf-8',
          transport: 'ssh',
          kind: 'device',
          sshAlgorithms: 'modern',
          jumpHost: '',
          username: '',
          authType: 'password',
          notes: '',
        }}
      />
    </div>
  );
}
