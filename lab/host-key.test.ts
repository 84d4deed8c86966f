import { createPublicKey, verify } from 'node:crypto';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { hostSigningKey } from './host-key';
import { generateHostKey, generateRsaHostKey } from './server';

const data = Buffer.from('the exchange hash of a key exchange');

/** Verify a signature with the public half of the key, as a client does. */
function verifies(text: string, signature: Buffer, hash: string | null): boolean {
  const parsed = ssh2.utils.parseKey(text);
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? parsed[0]! : parsed;
  return verify(hash, data, createPublicKey(key.getPublicPEM()), signature);
}

describe('lab host signing key', () => {
  it('signs an ed25519 host key exchange so that its public key verifies it', () => {
    const text = generateHostKey();
    const key = hostSigningKey(text);
    expect(key.type).toBe('ssh-ed25519');
    const signature = key.sign(data);
    expect(Buffer.isBuffer(signature)).toBe(true);
    expect(verifies(text, signature, null)).toBe(true);
    expect(verifies(text, Buffer.from(signature).fill(1, 0, 8), null)).toBe(false);
  });

  it('signs with the digest the key exchange names for RSA, sha1 when it names none', () => {
    const text = generateRsaHostKey(1024);
    const key = hostSigningKey(text);
    expect(verifies(text, key.sign(data, 'sha512'), 'sha512')).toBe(true);
    expect(verifies(text, key.sign(data, 'sha512'), 'sha1')).toBe(false);
    expect(verifies(text, key.sign(data), 'sha1')).toBe(true);
  });

  it('parses a key once: the same text gives the same key object, its text from a Buffer too', () => {
    const text = generateHostKey();
    expect(hostSigningKey(text)).toBe(hostSigningKey(Buffer.from(text)));
    expect(() => hostSigningKey('not a key')).toThrow(/lab host key/);
  });
});
