import type { PrismaClient } from '../db/generated/client';
import type { HostKeyPolicy, SshError } from './ssh';

/** Trust on first use, stored on the device row; shared by terminals, tasks and the status monitor. */
export function dbHostKeyPolicy(
  db: PrismaClient,
  device: { id: string; hostKeyFingerprint: string | null; hostKeyApprovalRequired: boolean },
): HostKeyPolicy {
  return {
    knownFingerprint: device.hostKeyFingerprint,
    approvalRequired: device.hostKeyApprovalRequired,
    // Compare-and-set: only a device with no trusted key (and no pending approval) takes this one.
    // Two first connections racing with different keys: the loser sees the winner's key.
    trust: async (fingerprint, key) => {
      const { count } = await db.device.updateMany({
        where: { id: device.id, hostKeyFingerprint: null, hostKeyApprovalRequired: false },
        data: { hostKeyFingerprint: fingerprint, hostKey: key },
      });
      if (count === 1) return { ok: true };
      const now = await db.device.findUnique({
        where: { id: device.id },
        select: { hostKeyFingerprint: true },
      });
      if (now?.hostKeyFingerprint === fingerprint) return { ok: true };
      return { ok: false, trusted: now?.hostKeyFingerprint ?? 'none (an approval is pending)' };
    },
  };
}

/**
 * Remember the key a device offered when it was refused (changed, or at a new address), so a person
 * can accept exactly that one.
 */
export async function recordOfferedHostKey(db: PrismaClient, deviceId: string, err: SshError): Promise<void> {
  if (err.code !== 'host_key_mismatch' && err.code !== 'host_key_unapproved') return;
  if (!err.details.offeredFingerprint) return;
  await db.device.update({
    where: { id: deviceId },
    data: {
      offeredHostKeyFingerprint: err.details.offeredFingerprint,
      offeredHostKey: err.details.offeredKey,
      offeredHostKeyAt: new Date(),
    },
  });
}
