import { describe, expect, it } from 'vitest';
import { createVault, VaultError } from './vault';

const SECRET = 'a'.repeat(32) + '-test-secret';

describe('credential vault', () => {
  it('round-trips a password and a multi-line key, with a fresh IV each time', () => {
    const vault = createVault(SECRET);
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n';
    for (const plain of ['hunter2-密码', key, '']) {
      const a = vault.seal(plain, 'device:1:secret');
      const b = vault.seal(plain, 'device:1:secret');
      expect(a).not.toBe(b);
      expect(a).not.toContain(plain || '\u0000');
      expect(vault.open(a, 'device:1:secret')).toBe(plain);
    }
  });

  it('detects a flipped byte in ciphertext, tag or IV', () => {
    const vault = createVault(SECRET);
    const sealed = vault.seal('s3cret-password', 'device:1:secret');
    const parts = sealed.split('.');
    for (const i of [1, 2, 3]) {
      const buf = Buffer.from(parts[i]!, 'base64url');
      buf[0] = buf[0]! ^ 0x01;
      const tampered = [...parts];
      tampered[i] = buf.toString('base64url');
      expect(() => vault.open(tampered.join('.'), 'device:1:secret')).toThrow(VaultError);
    }
  });

  it('refuses a ciphertext moved to another device or field', () => {
    const vault = createVault(SECRET);
    const sealed = vault.seal('pw', 'device:1:secret');
    expect(() => vault.open(sealed, 'device:2:secret')).toThrow(/failed authentication/);
    expect(() => vault.open(sealed, 'device:1:enable')).toThrow(VaultError);
  });

  it('refuses a ciphertext sealed with another key', () => {
    const sealed = createVault(SECRET).seal('pw', 'c');
    expect(() => createVault('b'.repeat(40)).open(sealed, 'c')).toThrow(VaultError);
  });

  it('rejects garbage and short secrets with a clear error', () => {
    const vault = createVault(SECRET);
    expect(() => vault.open('not-sealed', 'c')).toThrow(/not a sealed credential/);
    expect(() => vault.open('v1.AA.BB.CC', 'c')).toThrow(VaultError);
    expect(() => createVault('short')).toThrow(/at least 32/);
  });
});
