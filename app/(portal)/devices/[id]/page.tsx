import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getVisibleDevice } from '@/lib/devices/inventory';
import { deleteDeviceAction, updateDeviceAction } from '../actions';
import { DeviceForm } from '../device-form';
import { HostKeyPanel } from './host-key';
import { VendorPanel } from './vendor-panel';
import { getRuntime } from '@/lib/server/registry';

export const metadata: Metadata = { title: 'Edit device' };

export default async function EditDevicePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  if (!can(user.role, 'devices:edit')) return <NoAccess what="change devices" />;
  const { id } = await params;
  const device = await getVisibleDevice(user, id, getRuntime());
  if (!device) notFound();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Edit {device.name}</h1>
      {/* keyed by the vendor: the form keeps its select in state, so a vendor set by the panel below
          shows only in a fresh form */}
      <DeviceForm
        key={device.vendor}
        mode="edit"
        action={updateDeviceAction.bind(null, device.id)}
        deleteAction={deleteDeviceAction.bind(null, device.id)}
        initial={device}
      />
      <VendorPanel deviceId={device.id} vendor={device.vendor} />
      <HostKeyPanel
        deviceId={device.id}
        trusted={device.hostKeyFingerprint}
        offered={device.offeredHostKeyFingerprint}
        offeredAt={device.offeredHostKeyAt?.toISOString() ?? null}
        approvalRequired={device.hostKeyApprovalRequired}
        address={`${device.host}:${device.port}`}
        canForget={can(user.role, 'hostkeys:manage')}
      />
    </div>
  );
}
