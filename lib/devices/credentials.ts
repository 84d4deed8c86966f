import ssh2 from 'ssh2';
import type { Vault } from './vault';

/** The vault context binds a ciphertext to one device and one field. */
export const credentialContext = (deviceId: string, field: 'secret' | 'passphrase' | 'enable') =>
  `device:${deviceId}:${field}`;

export interface DeviceCredentials {
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  enableSecret?: string;
}

/** Opened credentials for the SSH connector only; never serialised to a browser or a log. */
export function openCredentials(
  device: {
    id: string;
    username: string;
    authType: string;
    secretEnc: string;
    passphraseEnc: string | null;
    enableSecretEnc: string | null;
  },
  vault: Vault,
): DeviceCredentials {
  const secret = vault.open(device.secretEnc, credentialContext(device.id, 'secret'));
  return {
    username: device.username,
    ...(device.authType === 'key' ? { privateKey: secret } : { password: secret }),
    passphrase: device.passphraseEnc
      ? vault.open(device.passphraseEnc, credentialContext(device.id, 'passphrase'))
      : undefined,
    enableSecret: device.enableSecretEnc
      ? vault.open(device.enableSecretEnc, credentialContext(device.id, 'enable'))
      : undefined,
  };
}

/** Whether ssh2 can parse a private key (with its passphrase). Returns a message when it cannot. */
export function checkPrivateKey(key: string, passphrase?: string): string | null {
  const parsed = ssh2.utils.parseKey(key, passphrase || undefined);
  if (parsed instanceof Error) {
    return /passphrase|encrypted/i.test(parsed.message)
      ? 'The key is encrypted: give its passphrase.'
      : 'Not a private key ssh2 can read.';
  }
  return null;
}
