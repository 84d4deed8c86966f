import 'server-only';
import { hashPassword } from './password';
import { createUserSchema, fieldErrors, newPasswordSchema, roleSchema, type UserFieldErrors } from './schema';
import type { CurrentUser } from './session';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';

/** What user administration needs from the runtime. */
export interface UserDeps {
  db: PrismaClient;
  audit: AuditSink;
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
  const user = await deps.db.user
    .update({ where: { id: userId }, data: { role: parsed.data } })
    .catch(() => null);
  if (!user) return { ok: false, error: 'No such user.' };
  await deps.audit({ userId: actor.id, action: 'user.role', target: user.username, detail: parsed.data });
  return { ok: true };
}

export async function setDisabled(
  actor: CurrentUser,
  userId: string,
  disabled: boolean,
  deps: UserDeps,
): Promise<SimpleResult> {
  if (userId === actor.id) return { ok: false, error: 'You cannot disable yourself.' };
  const user = await deps.db.user.update({ where: { id: userId }, data: { disabled } }).catch(() => null);
  if (!user) return { ok: false, error: 'No such user.' };
  await deps.audit({
    userId: actor.id,
    action: disabled ? 'user.disable' : 'user.enable',
    target: user.username,
  });
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
    .update({ where: { id: userId }, data: { passwordHash: await hashPassword(parsed.data) } })
    .catch(() => null);
  if (!user) return { ok: false, error: 'No such user.' };
  await deps.audit({ userId: actor.id, action: 'user.password_reset', target: user.username });
  return { ok: true };
}

/** Replace a user's device grants with exactly this set (only existing devices are kept). */
export async function setGrants(
  actor: CurrentUser,
  userId: string,
  deviceIds: string[],
  deps: UserDeps,
): Promise<SimpleResult> {
  const db = deps.db;
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) return { ok: false, error: 'No such user.' };
  const unique = [...new Set(deviceIds)].slice(0, 10_000);
  const existing = await db.device.findMany({ where: { id: { in: unique } }, select: { id: true } });
  await db.$transaction([
    db.deviceGrant.deleteMany({ where: { userId } }),
    db.deviceGrant.createMany({ data: existing.map((d) => ({ userId, deviceId: d.id })) }),
  ]);
  await deps.audit({
    userId: actor.id,
    action: 'user.grants',
    target: user.username,
    detail: `${existing.length} devices`,
  });
  return { ok: true };
}
