import { getTranslations } from 'next-intl/server';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { createDeviceAction } from '../actions';
import { DeviceForm } from '../device-form';
import { jumpHostNames } from '../jump-host-names';

export async function generateMetadata() {
  const t = await getTranslations('devices');
  return { title: t('new.title') };
}

export default async function NewDevicePage() {
  const [user, t] = await Promise.all([requireUser(), getTranslations('devices')]);
  if (!can(user.role, 'devices:edit')) return <NoAccess what="add devices" />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('new.title')}</h1>
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
