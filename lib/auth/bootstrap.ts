import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../db/generated/client';
import { hashPassword } from './password';

export interface BootstrapResult {
  created: boolean;
  username: string;
  /** Set only when the password was generated here; shown once on the console, never logged. */
  generatedPassword?: string;
}

/** First start: create the admin account if there is no admin yet. Never a fixed default password. */
export async function ensureAdmin(
  db: PrismaClient,
  opts: { username: string; password?: string },
): Promise<BootstrapResult> {
  const admins = await db.user.count({ where: { role: 'admin' } });
  if (admins > 0) return { created: false, username: opts.username };
  const generatedPassword = opts.password ? undefined : randomBytes(15).toString('base64url');
  const password = opts.password ?? generatedPassword!;
  await db.user.upsert({
    where: { username: opts.username },
    create: {
      username: opts.username,
      displayName: 'Administrator',
      role: 'admin',
      passwordHash: await hashPassword(password),
    },
    update: { role: 'admin', disabled: false, passwordHash: await hashPassword(password) },
  });
  return { created: true, username: opts.username, generatedPassword };
}
