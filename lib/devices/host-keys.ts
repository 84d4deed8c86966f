import 'server-only';
import type { CurrentUser } from '../auth/session';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';
import { atLeast } from '../auth/roles';
import type { DeviceLogin } from './connect';
import { operableDevicesWhere } from './visibility';

/** What host-key decisions need from the runtime. */
export interface HostKeyDeps {
  db: PrismaClient;
  audit: AuditSink;
}

export type HostKeyResult = { ok: true; message: string } | { ok: false; error: string };

const STALE_OFFER = 'The device offered a different key since this page loaded; reload and check again.';

/**
 * Trust exactly the key the device offered when it was refused (a changed key, or the first key
 * at a new address). The decision of someone who operates the device: an operator who can see it,
 * or an admin.
 */
export async function acceptOfferedHostKey(
  actor: CurrentUser,
  deviceId: string,
  fingerprint: string,
  deps: HostKeyDeps,
): Promise<HostKeyResult> {
  const db = deps.db;
  if (!atLeast(actor.role, 'operator')) {
    return { ok: false, error: 'Only an operator of the device or an admin can accept a host key.' };
  }
  const device = await db.device.findFirst({
    where: { AND: [{ id: deviceId }, operableDevicesWhere(actor)] },
  });
  if (!device) return { ok: false, error: 'No such device.' };
  if (!device.offeredHostKey || device.offeredHostKeyFingerprint !== fingerprint) {
    return { ok: false, error: STALE_OFFER };
  }
  // only if the offer is still the one the user looked at (a newer refusal may have replaced it)
  const { count } = await db.device.updateMany({
    where: { id: deviceId, offeredHostKeyFingerprint: fingerprint, offeredHostKey: device.offeredHostKey },
    data: {
      hostKey: device.offeredHostKey,
      hostKeyFingerprint: fingerprint,
      hostKeyApprovalRequired: false,
      offeredHostKey: null,
      offeredHostKeyFingerprint: null,
      offeredHostKeyAt: null,
    },
  });
  if (count !== 1) return { ok: false, error: STALE_OFFER };
  await deps.audit({
    userId: actor.id,
    action: 'device.hostkey_accept',
    target: device.name,
    detail:
      `${device.hostKeyFingerprint ?? 'none'} → ${fingerprint}` +
      (device.hostKeyApprovalRequired ? ` at ${device.host}:${device.port}` : ''),
  });
  return { ok: true, message: 'The new host key is trusted.' };
}

/**
 * A device awaiting approval at a new address: connect once to learn the key it offers. The login
 * refuses every key there before authentication (no secret is sent) and records the offered one.
 */
export async function checkOfferedHostKey(
  actor: CurrentUser,
  deviceId: string,
  deps: HostKeyDeps & { login: DeviceLogin },
): Promise<HostKeyResult> {
  if (!atLeast(actor.role, 'operator'))
    return { ok: false, error: 'Only an operator of the device can do this.' };
  const device = await deps.db.device.findFirst({
    where: { AND: [{ id: deviceId }, operableDevicesWhere(actor)] },
    select: { hostKeyApprovalRequired: true },
  });
  if (!device) return { ok: false, error: 'No such device.' };
  if (!device.hostKeyApprovalRequired)
    return { ok: false, error: 'This device is not waiting for a host key decision.' };
  const r = await deps.login.open({ deviceId, actor: { userId: actor.id }, purpose: 'terminal' });
  if (r.ok) {
    r.connection.close(); // cannot happen while approval is required; never hold a session here
    return { ok: true, message: 'The device answered with its trusted key.' };
  }
  if (r.code === 'host_key_unapproved' || r.code === 'host_key_mismatch') {
    return { ok: true, message: 'The key the device offers is shown above.' };
  }
  return { ok: false, error: r.message };
}

/** Forget the trusted key: the next connection trusts whatever key the device presents. */
export async function forgetHostKey(
  actor: CurrentUser,
  deviceId: string,
  deps: HostKeyDeps,
): Promise<HostKeyResult> {
  const db = deps.db;
  const device = await db.device.findUnique({ where: { id: deviceId } });
  if (!device) return { ok: false, error: 'No such device.' };
  await db.device.update({
    where: { id: deviceId },
    data: {
      hostKey: null,
      hostKeyFingerprint: null,
      offeredHostKey: null,
      offeredHostKeyFingerprint: null,
      offeredHostKeyAt: null,
    },
  });
  await deps.audit({
    userId: actor.id,
    action: 'device.hostkey_forget',
    target: device.name,
    detail: device.hostKeyFingerprint ?? '',
  });
  return { ok: true, message: 'The host key is forgotten; the next connection will trust the key it sees.' };
}
