import 'server-only';
import { decodeCursor, page } from './cursor';
import type { PrismaClient } from '../db/client';

export const USER_SELECT = {
  id: true,
  username: true,
  displayName: true,
  role: true,
  disabled: true,
  lastLoginAt: true,
  createdAt: true,
} as const;

type UserRow = {
  id: string;
  username: string;
  displayName: string;
  role: string;
  disabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
};

export function userView(u: UserRow) {
  return {
    id: u.id,
    username: u.username,
    display_name: u.displayName,
    role: u.role as 'admin' | 'operator' | 'viewer',
    disabled: u.disabled,
    last_login_at: u.lastLoginAt?.toISOString() ?? null,
    created_at: u.createdAt.toISOString(),
  };
}

/** Every user, by name (keyset: username, unique). Admins only — the route checks. */
export async function listUserPage(q: { limit: number; cursor?: string }, deps: { db: PrismaClient }) {
  const after = q.cursor ? (decodeCursor(q.cursor, 1)[0] as string) : undefined;
  const rows = await deps.db.user.findMany({
    where: after ? { username: { gt: after } } : {},
    select: USER_SELECT,
    orderBy: { username: 'asc' },
    take: q.limit + 1,
  });
  const p = page(rows, q.limit, (u) => [u.username]);
  return { items: p.items.map(userView), next_cursor: p.next_cursor };
}
