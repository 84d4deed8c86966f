import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getVisibleDevice } from '@/lib/devices/inventory';
import { deviceLevel } from '@/lib/devices/visibility';
import type { NegotiatedAlgorithms } from '@/lib/devices/ssh-algorithms';
import { deleteDeviceAction, updateDeviceAction } from '../../actions';
import { DeviceForm } from '../../device-form';
import { jumpHostNames } from '../../jump-host-names';
import { HostKeyPanel } from '../host-key';
import { TestConnectionPanel } from '../test-connection-panel';
import { VendorPanel } from '../vendor-panel';
import { getRuntime } from '@/lib/server/registry';

export const metadata: Metadata = { title: 'Edit device' };

export default async function EditDevicePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  if (!can(user.role, 'devices:edit')) return <NoAccess what="change devices" />;
  const { id } = await params;
  const device = await getVisibleDevice(user, id, getRuntime());
  if (!device) notFound();
  // a `view` grant shows the device page, read-only; changing it takes `operate`
  if ((await deviceLevel(getRuntime().db, user, id)) !== 'operate')
    return <NoAccess what="change this device" />;
  const jumpHost = device.jumpHost?.name ?? '';
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight break-all">Edit {device.name}</h1>
        <Link href={`/devices/${device.id}`} className="text-sm text-sky-700 hover:underline">
          ← Back to {device.name}
        </Link>
      </div>
      {/* keyed by the vendor: the form keeps its select in state, so a vendor set by the panel below
          shows only in a fresh form */}
      <DeviceForm
        key={device.vendor}
        mode="edit"
        action={updateDeviceAction.bind(null, device.id)}
        deleteAction={deleteDeviceAction.bind(null, device.id)}
        jumpHostNames={await jumpHostNames(user, device.id)}
        initial={{ ...device, jumpHost }}
      />
      <ConnectionPanel
        telnet={device.transport === 'telnet'}
        jumpHost={jumpHost}
        negotiated={device.negotiatedAlgorithms}
      />
      <TestConnectionPanel deviceId={device.id} />
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

/** How the portal reaches the device as saved, and what the last SSH login agreed on. */
function ConnectionPanel({
  telnet,
  jumpHost,
  negotiated,
}: {
  telnet: boolean;
  jumpHost: string;
  /** JSON stored by the last SSH login, or null before the first one. */
  negotiated: string | null;
}) {
  const n = negotiated ? (JSON.parse(negotiated) as NegotiatedAlgorithms) : null;
  return (
    <section className="card max-w-3xl space-y-1 p-4 text-sm" aria-label="Connection">
      <h2 className="font-semibold">Connection</h2>
      <p data-testid="route">{jumpHost ? `Reached through ${jumpHost}.` : 'Reached directly.'}</p>
      {telnet ? (
        <p data-testid="transport-note">
          <strong className="text-amber-800">Telnet: unencrypted.</strong> The password and everything typed
          cross the network in clear text.
        </p>
      ) : (
        <p data-testid="negotiated" className="break-words">
          {n ? (
            <>
              Negotiated: kex <code>{n.kex}</code>, host key <code>{n.serverHostKey}</code>, cipher{' '}
              <code>{n.cipher}</code>, MAC {/* AEAD ciphers (GCM, ChaCha20) carry their own */}
              {n.hmac ? <code>{n.hmac}</code> : 'built into the cipher'}
            </>
          ) : (
            <span className="text-slate-500">
              The negotiated SSH algorithms show here after the next login to the device.
            </span>
          )}
        </p>
      )}
    </section>
  );
}
