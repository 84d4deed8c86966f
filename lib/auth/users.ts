import 'server-only';
import { hashPassword } from './password';
import { createUserSchema, fieldErrors, newPasswordSchema, roleSchema, type UserFieldErrors } from './schema';
import type { CurrentUser } from './session';
import { REVOCATION_REASONS } from './session-version';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';
import type { EventBus, RevocationScope } from '../events/types';

/** What user administration needs from the runtime. */
export interface UserDeps {
  db: PrismaClient;
  audit: AuditSink;
  /** `access.revoked` goes here: every node closes the user's affected sockets and terminals. */
  bus: EventBus;
}

/**
 * Revoking access closes what it opened, at once, on every node: audited here once, then published
 * for the realtime layer and the terminal manager of each node.
 */
async function revokeAccess(
  actor: CurrentUser,
  user: { id: string; username: string },
  scope: RevocationScope,
  reason: string,
  deps: UserDeps,
  what = 'every session, socket and terminal',
): Promise<void> {
  await deps.audit({
    userId: actor.id,
    action: 'access.revoked',
    target: user.username,
    detail: `${reason} (${what})`,
  });
  await deps.bus.publish('access.revoked', { userId: user.id, scope, reason });
}

export type UserResult = { ok: true; id: string } | { ok: false; errors: UserFieldErrors };
export type SimpleResult = { ok: true } | { ok: false; error: string };

export async function createUser(
  actor: CurrentUser,
  raw: Record<string, unknown>,
  deps: UserDeps,
): Promise<UserResult> {
  const parsed = createUserSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const v = parsed.data;
  try {
    const user = await deps.db.user.create({
      data: {
        username: v.username,
        displayName: v.displayName,
        role: v.role,
        passwordHash: await hashPassword(v.password),
      },
    });
    await deps.audit({
      userId: actor.id,
      action: 'user.create',
      target: v.username,
      detail: `role ${v.role}`,
    });
    return { ok: true, id: user.id };
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      return { ok: false, errors: { username: 'This username is taken.' } };
    throw err;
  }
}

/** An admin cannot demote or disable themself, so there is always someone to sign in as admin. */
export async function setRole(
  actor: CurrentUser,
  userId: string,
  role: unknown,
  deps: UserDeps,
): Promise<SimpleResult> {
  const parsed = roleSchema.safeParse(role);
  if (!parsed.success) return { ok: false, error: 'Choose admin, operator or viewer.' };
  if (userId === actor.id && parsed.data !== 'admin')
    return { ok: false, error: 'You cannot change your own role.' };
  const before = await deps.db.user.findUnique({ where: { id: userId }, select: { role: true } });
  if (!before) return { ok: false, error: 'No such user.' };
  const changed = before.role !== parsed.data;
  // A changed role ends the user's sessions (they sign in again under the new role) and closes what
  // they had open: a demoted operator's terminals do not outlive the demotion.
  const user = await deps.db.user
    .update({
      where: { id: userId },
      data: { role: parsed.data, ...(changed ? { sessionVersion: { increment: 1 } } : {}) },
    })
    .catch(() => null);
  if (!user) return { ok: false, error: 'No such user.' };
  await deps.audit({ userId: actor.id, action: 'user.role', target: user.username, detail: parsed.data });
  if (changed) await revokeAccess(actor, user, 'all', REVOCATION_REASONS.roleChanged, deps);
  return { ok: true };
}

export async function setDisabled(
  actor: CurrentUser,
  userId: string,
  disabled: boolean,
  deps: UserDeps,
): Promise<SimpleResult> {
  if (userId === actor.id) return { ok: false, error: 'You cannot disable yourself.' };
  const user = await deps.db.user
    .update({
      where: { id: userId },
      data: { disabled, ...(disabled ? { sessionVersion: { increment: 1 } } : {}) },
    })
    .catch(() => null);
  if (!user) return { ok: false, error: 'No such user.' };
  await deps.audit({
    userId: actor.id,
    action: disabled ? 'user.disable' : 'user.enable',
    target: user.username,
  });
  if (disabled) await revokeAccess(actor, user, 'all', REVOCATION_REASONS.disabled, deps);
  return { ok: true };
}

export async function resetPassword(
  actor: CurrentUser,
  userId: string,
  password: unknown,
  deps: UserDeps,
): Promise<SimpleResult> {
  const parsed = newPasswordSchema.safeParse(password);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? 'Invalid password.' };
  const user = await deps.db.user
    .update({
      where: { id: userId },
      data: { passwordHash: await hashPassword(parsed.data), sessionVersion: { increment: 1 } },
    })
    .catch(() => null);
  if (!user) return { ok: false, error: 'No such user.' };
  await deps.audit({ userId: actor.id, action: 'user.password_reset', target: user.username });
  await revokeAccess(actor, user, 'all', REVOCATION_REASONS.passwordReset, deps);
  return { ok: true };
}

/**
 * End every session of a user (the user themself from /account, or an admin): sessions issued before
 * now stop being accepted, and open sockets and terminal sessions close.
 */
export async function signOutEverywhere(
  actor: CurrentUser,
  userId: string,
  deps: UserDeps,
): Promise<SimpleResult> {
  if (userId !== actor.id && actor.role !== 'admin')
    return { ok: false, error: 'Your role does not allow this.' };
  const user = await deps.db.user
    .update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } })
    .catch(() => null);
  if (!user) return { ok: false, error: 'No such user.' };
  await deps.audit({
    userId: actor.id,
    action: 'user.sign_out_everywhere',
    target: user.username,
    detail: userId === actor.id ? 'by the user' : `by ${actor.username}`,
  });
  await revokeAccess(actor, user, 'all', REVOCATION_REASONS.signedOutEverywhere, deps);
  return { ok: true };
}
