import 'server-only';
import type { CurrentUser } from '../auth/session';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';

/** What host-key decisions need from the runtime. */
export interface HostKeyDeps {
  db: PrismaClient;
  audit: AuditSink;
}

export type HostKeyResult = { ok: true; message: string } | { ok: false; error: string };

/** Trust exactly the key the device offered when it was refused (an admin's decision). */
export async function acceptOfferedHostKey(
  actor: CurrentUser,
  deviceId: string,
  fingerprint: string,
  deps: HostKeyDeps,
): Promise<HostKeyResult> {
  const db = deps.db;
  const device = await db.device.findUnique({ where: { id: deviceId } });
  if (!device) return { ok: false, error: 'No such device.' };
  if (!device.offeredHostKey || device.offeredHostKeyFingerprint !== fingerprint) {
    return {
      ok: false,
      error: 'The device offered a different key since this page loaded; reload and check again.',
    };
  }
  await db.device.update({
    where: { id: deviceId },
    data: {
      hostKey: device.offeredHostKey,
      hostKeyFingerprint: device.offeredHostKeyFingerprint,
      offeredHostKey: null,
      offeredHostKeyFingerprint: null,
      offeredHostKeyAt: null,
    },
  });
  await deps.audit({
    userId: actor.id,
    action: 'device.hostkey_accept',
    target: device.name,
    detail: `${device.hostKeyFingerprint ?? 'none'} → ${fingerprint}`,
  });
  return { ok: true, message: 'The new host key is trusted.' };
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
