import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { readDeviceFields } from '@/lib/devices/fields';
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

export async function generateMetadata() {
  const t = await getTranslations('devices');
  return { title: t('edit.title') };
}

export default async function EditDevicePage({ params }: { params: Promise<{ id: string }> }) {
  const [user, t] = await Promise.all([requireUser(), getTranslations('devices')]);
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
        <h1 className="text-2xl font-semibold tracking-tight break-all">
          {t('edit.heading', { name: device.name })}
        </h1>
        <Link
          href={`/devices/${device.id}`}
          className="text-sm text-sky-700 hover:underline dark:text-sky-400"
        >
          {t('edit.back', { name: device.name })}
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
        initial={{ ...device, jumpHost, fields: readDeviceFields(device.fields) }}
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
async function ConnectionPanel({
  telnet,
  jumpHost,
  negotiated,
}: {
  telnet: boolean;
  jumpHost: string;
  /** JSON stored by the last SSH login, or null before the first one. */
  negotiated: string | null;
}) {
  const t = await getTranslations('devices');
  const n = negotiated ? (JSON.parse(negotiated) as NegotiatedAlgorithms) : null;
  return (
    <section className="card max-w-3xl space-y-1 p-4 text-sm" aria-labelledby="connection-title">
      <h2 id="connection-title" className="font-semibold">
        {t('edit.connection')}
      </h2>
      <p data-testid="route">
        {jumpHost ? t('edit.reachedThrough', { jumpHost }) : t('edit.reachedDirectly')}
      </p>
      {telnet ? (
        <p data-testid="transport-note">
          <strong className="text-amber-800 dark:text-amber-300">{t('edit.telnetStrong')}</strong>{' '}
          {t('edit.telnetBody')}
        </p>
      ) : (
        <p data-testid="negotiated" className="break-words">
          {n ? (
            t.rich('edit.negotiated', {
              kex: () => <code>{n.kex}</code>,
              hostKey: () => <code>{n.serverHostKey}</code>,
              cipher: () => <code>{n.cipher}</code>,
              // AEAD ciphers (GCM, ChaCha20) carry their own
              mac: () => (n.hmac ? <code>{n.hmac}</code> : t('edit.macBuiltIn')),
            })
          ) : (
            <span className="text-slate-600 dark:text-slate-400">{t('edit.negotiatedLater')}</span>
          )}
        </p>
      )}
    </section>
  );
}
