import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from './keys';

describe('ed25519 key generation', () => {
  it('every generated key parses (ssh2 alone fails about 1 in 300)', () => {
    for (let i = 0; i < 1500; i++) {
      const k = generateEd25519KeyPair();
      expect(ssh2.utils.parseKey(k.private)).not.toBeInstanceOf(Error);
    }
  });
});
