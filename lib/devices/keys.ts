import ssh2 from 'ssh2';

/** Attempts before giving up; a failure rate of ~0.3% makes more than a few retries astronomically rare. */
const KEYGEN_ATTEMPTS = 10;

/**
 * An ed25519 key pair in OpenSSH format that ssh2 can read back. ssh2 1.17's generator emits a key
 * its own parser rejects ("Malformed OpenSSH private key") about once in 300 calls (measured here:
 * 10 of 3,000), so a key is checked before it is used, and regenerated when it fails.
 */
export function generateEd25519KeyPair(): { private: string; public: string } {
  for (let i = 0; i < KEYGEN_ATTEMPTS; i++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error('could not generate a readable ed25519 key');
}
