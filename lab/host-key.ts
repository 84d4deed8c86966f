import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';

/**
 * A lab host key parsed once, whose signatures use a key object loaded once. ssh2 signs each
 * connection's key exchange with the key's PEM text, which Node decodes again every time (about
 * 0.4 ms of an ed25519 signature's 0.44 on this machine kind): in a benchmark task of 500 devices
 * that was a quarter of the lab's CPU, taken from the cores the portal runs on. A real device
 * (OpenSSH) loads its host key once too.
 */

/** The digest ssh2 signs with for a key type (its own defaults; `algo` from the key exchange wins). */
const HASH_OF: Record<string, string | null> = {
  'ssh-ed25519': null,
  'ssh-rsa': 'sha1',
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
};

const parsedKeys = new Map<string, ParsedKey>();

/** `text` (an OpenSSH or PEM private key) parsed, signing with a loaded key; the same object for the same text. */
export function hostSigningKey(text: string | Buffer): ParsedKey {
  const pem = typeof text === 'string' ? text : text.toString('utf8');
  const known = parsedKeys.get(pem);
  if (known) return known;
  const parsed = ssh2.utils.parseKey(pem);
  if (parsed instanceof Error) throw new Error(`lab host key: ${parsed.message}`);
  const key = Array.isArray(parsed) ? parsed[0]! : parsed;
  const hash = HASH_OF[key.type];
  const privatePem = key.getPrivatePEM();
  if (hash !== undefined && privatePem) {
    const loaded: KeyObject = createPrivateKey(privatePem);
    const fallback = key.sign.bind(key);
    key.sign = (data: Buffer | string, algo?: string): Buffer => {
      try {
        return sign(algo || hash, Buffer.isBuffer(data) ? data : Buffer.from(data), loaded);
      } catch {
        return fallback(data, algo); // ssh2's own path, with its own error
      }
    };
  }
  parsedKeys.set(pem, key);
  return key;
}
