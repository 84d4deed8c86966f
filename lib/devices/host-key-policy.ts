import type { PrismaClient } from '../db/generated/client';
import type { HostKeyPolicy, SshError } from './ssh';

/** Trust on first use, stored on the device row; shared by terminals, tasks and the status monitor. */
export function dbHostKeyPolicy(
  db: PrismaClient,
  device: { id: string; hostKeyFingerprint: string | null },
): HostKeyPolicy {
  return {
    knownFingerprint: device.hostKeyFingerprint,
    trust: async (fingerprint, key) => {
      await db.device.updateMany({
        where: { id: device.id, hostKeyFingerprint: null },
        data: { hostKeyFingerprint: fingerprint, hostKey: key },
      });
    },
  };
}

/** Remember the key a device offered when it was refused, so an admin can accept exactly that one. */
export async function recordOfferedHostKey(db: PrismaClient, deviceId: string, err: SshError): Promise<void> {
  if (err.code !== 'host_key_mismatch' || !err.details.offeredFingerprint) return;
  await db.device.update({
    where: { id: deviceId },
    data: {
      offeredHostKeyFingerprint: err.details.offeredFingerprint,
      offeredHostKey: err.details.offeredKey,
      offeredHostKeyAt: new Date(),
    },
  });
}
