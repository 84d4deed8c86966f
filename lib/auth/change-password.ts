import 'server-only';
import { z } from 'zod';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';
import type { EventBus } from '../events/types';
import type { RuntimeTunables } from '../server/runtime';
import { hashPassword, verifyPassword } from './password';
import { newPasswordSchema } from './schema';
import type { CurrentUser } from './session';
import { REVOCATION_REASONS } from './session-version';
import { signInKeys } from './sign-in';
import type { LoginThrottle } from './throttle';

export const CHANGE_PASSWORD_ERRORS = {
  wrongCurrent: 'The current password is not correct.',
  mismatch: 'The two new passwords differ.',
  same: 'Choose a password different from the current one.',
} as const;

const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password.').max(256),
    newPassword: newPasswordSchema,
    confirmPassword: z.string().max(256),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ['confirmPassword'],
    message: CHANGE_PASSWORD_ERRORS.mismatch,
  });

export type ChangePasswordField = 'currentPassword' | 'newPassword' | 'confirmPassword' | 'form';
export type ChangePasswordResult =
  { ok: true } | { ok: false; errors: Partial<Record<ChangePasswordField, string>> };

export interface ChangePasswordDeps {
  db: PrismaClient;
  audit: AuditSink;
  bus: EventBus;
  loginThrottle: LoginThrottle;
  tunables: Pick<RuntimeTunables, 'LOGIN_MAX_FAILURES'>;
  verifyPassword?: (hash: string, password: string) => Promise<boolean>;
}

/**
 * A signed-in user changes their own password. The current password is checked under the sign-in
 * throttle (same keys as the login form), so a stolen session cannot be used to guess it faster.
 * Like an admin's reset, it bumps the session version: every session of the user ends.
 */
export async function changeOwnPassword(
  actor: CurrentUser,
  input: unknown,
  ip: string,
  deps: ChangePasswordDeps,
): Promise<ChangePasswordResult> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Partial<Record<ChangePasswordField, string>> = {};
    for (const issue of parsed.error.issues) {
      const key = (issue.path[0] as ChangePasswordField | undefined) ?? 'form';
      errors[key] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const { currentPassword, newPassword } = parsed.data;
  const verify = deps.verifyPassword ?? verifyPassword;
  const keys = signInKeys(actor.username, ip, deps.tunables.LOGIN_MAX_FAILURES);
  const verdict = await deps.loginThrottle.begin(keys);
  if (!verdict.allowed) {
    await deps.audit({
      userId: actor.id,
      action: 'user.password_change_throttled',
      target: actor.username,
      ip,
    });
    return {
      ok: false,
      errors: {
        currentPassword: `Too many wrong passwords. Try again in ${Math.ceil(verdict.retryAfterMs / 1000)} s.`,
      },
    };
  }
  const user = await deps.db.user.findUnique({ where: { id: actor.id } });
  if (!user || !(await verify(user.passwordHash, currentPassword))) {
    await deps.audit({ userId: actor.id, action: 'user.password_change_failed', target: actor.username, ip });
    return { ok: false, errors: { currentPassword: CHANGE_PASSWORD_ERRORS.wrongCurrent } };
  }
  await deps.loginThrottle.succeeded(keys);
  if (currentPassword === newPassword)
    return { ok: false, errors: { newPassword: CHANGE_PASSWORD_ERRORS.same } };
  await deps.db.user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(newPassword), sessionVersion: { increment: 1 } },
  });
  await deps.audit({ userId: actor.id, action: 'user.password_change', target: user.username, ip });
  await deps.audit({
    userId: actor.id,
    action: 'access.revoked',
    target: user.username,
    detail: `${REVOCATION_REASONS.passwordChanged} (every session, socket and terminal)`,
  });
  await deps.bus.publish('access.revoked', {
    userId: user.id,
    scope: 'all',
    reason: REVOCATION_REASONS.passwordChanged,
  });
  return { ok: true };
}
