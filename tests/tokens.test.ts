import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../lib/audit';
import {
  authenticateToken,
  createApiToken,
  generateToken,
  hashToken,
  listApiTokens,
  looksLikeToken,
  parseExpiry,
  revokeApiToken,
  TOKEN_LENGTH,
} from '../lib/auth/tokens';
import { freshDatabase } from './helpers';

describe('token format', () => {
  it('is sb_ + base62 with a checksum that catches any single changed character', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { token, hash, prefix } = generateToken();
      expect(token).toMatch(/^sb_[0-9A-Za-z]{42}$/);
      expect(token).toHaveLength(TOKEN_LENGTH);
      expect(looksLikeToken(token)).toBe(true);
      expect(hash).toBe(hashToken(token));
      expect(hash).not.toContain(token.slice(3));
      expect(token.startsWith(prefix)).toBe(true);
      seen.add(token);
    }
    expect(seen.size).toBe(200);
    const { token } = generateToken();
    for (let i = 3; i < token.length; i++) {
      const c = token[i] === 'a' ? 'b' : 'a';
      expect(looksLikeToken(token.slice(0, i) + c + token.slice(i + 1)), `position ${i}`).toBe(false);
    }
    for (const bad of [
      '',
      'sb_',
      token + 'x',
      token.slice(1),
      'gh' + token.slice(2),
      token.replace(/.$/, '!'),
    ])
      expect(looksLikeToken(bad)).toBe(false);
  });

  it('expiry: days, hours, never; nothing else', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseExpiry('30d', now)).toEqual(new Date(now + 30 * 86_400_000));
    expect(parseExpiry('12h', now)).toEqual(new Date(now + 12 * 3_600_000));
    expect(parseExpiry('7', now)).toEqual(new Date(now + 7 * 86_400_000));
    expect(parseExpiry('never', now)).toBeNull();
    expect(parseExpiry(undefined, now)).toBeNull();
    for (const bad of ['0d', '367d', '-1d', '1w', '1e3', '30 days', '½d'])
      expect(parseExpiry(bad, now)).toBe('invalid');
  });
});

describe('tokens in the database', () => {
  async function setup() {
    const { db } = freshDatabase();
    const audits: AuditEntry[] = [];
    const deps = { db, audit: async (e: AuditEntry) => void audits.push(e) };
    const alice = await db.user.create({ data: { username: 'alice', role: 'operator', passwordHash: 'x' } });
    const bob = await db.user.create({ data: { username: 'bob', role: 'operator', passwordHash: 'x' } });
    const admin = await db.user.create({ data: { username: 'root', role: 'admin', passwordHash: 'x' } });
    return { db, deps, audits, alice, bob, admin };
  }

  it('is shown once, stored as a hash, acts as its owner, and is refused once revoked', async () => {
    const { db, deps, audits, alice } = await setup();
    const made = await createApiToken(alice, { name: 'ci', scope: 'write', expires: '30d' }, deps);
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    const stored = await db.apiToken.findFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(made.token.slice(3));
    expect(stored.hash).toBe(hashToken(made.token));
    const auth = await authenticateToken(made.token, deps);
    expect(auth).toMatchObject({
      ok: true,
      identity: { user: { id: alice.id, role: 'operator' }, token: { name: 'ci', scope: 'write' } },
    });
    expect((await db.apiToken.findFirstOrThrow()).lastUsedAt).not.toBeNull();
    expect(await revokeApiToken({ id: alice.id, role: 'operator' }, made.view.id, deps)).toMatchObject({
      ok: true,
    });
    expect(await authenticateToken(made.token, deps)).toEqual({ ok: false, code: 'revoked' });
    expect(audits.map((a) => a.action)).toEqual(['token.create', 'token.revoke']);
  });

  it('is refused when expired, unknown, malformed, or its owner is disabled; follows the owner’s role', async () => {
    const { db, deps, alice } = await setup();
    const made = await createApiToken(alice, { name: 'short', scope: 'read', expires: '1h' }, deps);
    if (!made.ok) throw new Error('not created');
    expect(await authenticateToken(made.token, deps, new Date(Date.now() + 2 * 3_600_000))).toEqual({
      ok: false,
      code: 'expired',
    });
    expect(await authenticateToken(generateToken().token, deps)).toEqual({ ok: false, code: 'unknown' });
    expect(await authenticateToken('sb_nope', deps)).toEqual({ ok: false, code: 'malformed' });
    await db.user.update({ where: { id: alice.id }, data: { role: 'viewer' } });
    expect(await authenticateToken(made.token, deps)).toMatchObject({
      ok: true,
      identity: { user: { role: 'viewer' } },
    });
    await db.user.update({ where: { id: alice.id }, data: { disabled: true } });
    expect(await authenticateToken(made.token, deps)).toEqual({ ok: false, code: 'owner_disabled' });
  });

  it('users see and revoke only their own tokens; admins see and revoke everyone’s', async () => {
    const { deps, alice, bob, admin } = await setup();
    const a = await createApiToken(alice, { name: 'a', scope: 'read' }, deps);
    const b = await createApiToken(bob, { name: 'b', scope: 'read' }, deps);
    if (!a.ok || !b.ok) throw new Error('not created');
    const asAlice = { id: alice.id, role: 'operator' as const };
    expect((await listApiTokens(asAlice, deps, { everyone: true })).map((t) => t.name)).toEqual(['a']);
    expect(await revokeApiToken(asAlice, b.view.id, deps)).toEqual({ ok: false, error: 'No such token.' });
    expect(await authenticateToken(b.token, deps)).toMatchObject({ ok: true });
    const asAdmin = { id: admin.id, role: 'admin' as const };
    expect((await listApiTokens(asAdmin, deps, { everyone: true })).map((t) => t.name).sort()).toEqual([
      'a',
      'b',
    ]);
    expect(await revokeApiToken(asAdmin, b.view.id, deps)).toMatchObject({ ok: true });
    expect(await authenticateToken(b.token, deps)).toEqual({ ok: false, code: 'revoked' });
  });

  it('refuses bad input with field errors and unknown fields', async () => {
    const { deps, alice } = await setup();
    expect(await createApiToken(alice, { name: '', scope: 'read' }, deps)).toMatchObject({
      ok: false,
      errors: { name: expect.any(String) },
    });
    expect(await createApiToken(alice, { name: 'x', scope: 'admin' }, deps)).toMatchObject({
      ok: false,
      errors: { scope: expect.any(String) },
    });
    expect(await createApiToken(alice, { name: 'x', scope: 'read', expires: '5y' }, deps)).toMatchObject({
      ok: false,
      errors: { expires: expect.any(String) },
    });
    expect(await createApiToken(alice, { name: 'x', scope: 'read', userId: 'someone' }, deps)).toMatchObject({
      ok: false,
    });
  });
});
