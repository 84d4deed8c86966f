import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit';
import type { PrismaClient } from '../db/client';
import type { EventBus } from '../events/types';
import { CHANGE_PASSWORD_ERRORS, changeOwnPassword, type ChangePasswordDeps } from './change-password';
import type { CurrentUser } from './session';
import { LoginThrottle, MemoryThrottleStore } from './throttle';

const actor = { id: 'u1', username: 'alice', role: 'operator' } as CurrentUser;

function setup(now = () => 0) {
  const user = { id: 'u1', username: 'alice', passwordHash: 'hash:old-password-123', sessionVersion: 0 };
  const audits: AuditEntry[] = [];
  const published: unknown[] = [];
  const deps: ChangePasswordDeps = {
    db: {
      user: {
        findUnique: async () => user,
        update: async ({ data }: { data: { passwordHash: string } }) => {
          user.passwordHash = data.passwordHash;
          user.sessionVersion += 1;
          return user;
        },
      },
    } as unknown as PrismaClient,
    audit: async (e) => void audits.push(e),
    bus: { publish: async (...a: unknown[]) => void published.push(a) } as unknown as EventBus,
    loginThrottle: new LoginThrottle(
      new MemoryThrottleStore(),
      { freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 60_000, forgetAfterMs: 600_000 },
      now,
    ),
    tunables: { LOGIN_MAX_FAILURES: 2 },
    verifyPassword: async (hash, pw) => hash === `hash:${pw}`,
  };
  return { user, audits, published, deps };
}

const good = {
  currentPassword: 'old-password-123',
  newPassword: 'new-password-456',
  confirmPassword: 'new-password-456',
};

describe('changeOwnPassword', () => {
  it('refuses a short or mismatched new password without checking the current one', async () => {
    const { deps, user } = setup();
    const r = await changeOwnPassword(
      actor,
      { ...good, newPassword: 'short', confirmPassword: 'other' },
      '1.2.3.4',
      deps,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.newPassword).toMatch(/At least/);
      expect(r.errors.confirmPassword).toBe(CHANGE_PASSWORD_ERRORS.mismatch);
    }
    expect(user.sessionVersion).toBe(0);
  });

  it('a wrong current password is a field error and counts in the sign-in throttle', async () => {
    const { deps, audits } = setup();
    const wrong = { ...good, currentPassword: 'guess-password-1' };
    for (let i = 0; i < 2; i++) {
      const r = await changeOwnPassword(actor, wrong, '1.2.3.4', deps);
      expect(r).toEqual({ ok: false, errors: { currentPassword: CHANGE_PASSWORD_ERRORS.wrongCurrent } });
    }
    // the third wrong try waits, even with the right password
    const r = await changeOwnPassword(actor, good, '1.2.3.4', deps);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.currentPassword).toMatch(/Too many/);
    expect(audits.map((a) => a.action)).toContain('user.password_change_failed');
  });

  it('changes the password, bumps the session version, audits and revokes access', async () => {
    const { deps, user, audits, published } = setup();
    const r = await changeOwnPassword(actor, good, '1.2.3.4', deps);
    expect(r).toEqual({ ok: true });
    expect(user.sessionVersion).toBe(1);
    expect(user.passwordHash).not.toBe('hash:old-password-123');
    expect(audits.map((a) => a.action)).toEqual(['user.password_change', 'access.revoked']);
    expect(published).toHaveLength(1);
  });
});
