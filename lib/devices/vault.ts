import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Credential vault: AES-256-GCM with a key derived (HKDF-SHA256) from SWITCHBOARD_SECRET.
 * Sealed format: `v1.<iv>.<tag>.<ciphertext>` (base64url). The context string is bound as
 * additional authenticated data, so a ciphertext moved to another field or device fails to open.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_INFO = 'switchboard credential vault v1';

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

export interface Vault {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

export function createVault(secret: string): Vault {
  if (secret.length < 32) throw new VaultError('vault secret must be at least 32 characters');
  const key = Buffer.from(hkdfSync('sha256', secret, 'switchboard', KEY_INFO, 32));
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join(
        '.',
      );
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION) throw new VaultError('not a sealed credential');
      const [, ivB64, tagB64, ctB64] = parts as [string, string, string, string];
      const iv = Buffer.from(ivB64, 'base64url');
      const tag = Buffer.from(tagB64, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== 16) throw new VaultError('not a sealed credential');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(ctB64, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new VaultError('credential failed authentication (tampered, or sealed with another key)');
      }
    },
  };
}
