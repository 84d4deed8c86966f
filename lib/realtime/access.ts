import { isRole } from '../auth/roles';
import { REVOCATION_REASONS } from '../auth/session-version';
import { TOKEN_FAILURE_MESSAGES, TOKEN_STATE_SELECT, tokenFailureOf } from '../auth/tokens';
import type { PrismaClient } from '../db/client';
import type { Revocation } from './connections';
import type { Identity } from './upgrade';

/** What a resync reads of each user with an open socket. */
export interface AccountState {
  id: string;
  role: string;
  disabled: boolean;
  sessionVersion: number;
}

/** Whether an API token still grants access (as the periodic re-check answers). */
export type TokenCheck = { ok: true } | { ok: false; message: string };

/**
 * A socket's session was ended while this node could not hear it (password reset or changed, signed
 * out everywhere, the account removed): which of those is not on record, so the close says it plainly.
 */
export const SESSION_ENDED_REASON = 'Your session is no longer valid. Sign in again.';

export interface AccessVerdict<C> {
  /** Access over for a whole user or one token: revoked exactly as `access.revoked` would. */
  revocations: Revocation[];
  /**
   * Sockets opened under a session that has ended since, while the user holds a newer one (they
   * signed in again during the outage): those sockets close, the newer session's stay.
   */
  stale: { conn: C; reason: string }[];
}

/**
 * Which open sockets the database no longer allows: the account is gone or disabled (every socket),
 * the socket's session version or role is out of date (that socket), its API token was revoked or
 * expired (that token's sockets). Tokens absent from `tokens` are not judged. Pure.
 */
export function accessVerdict<C extends { identity: Identity }>(
  conns: readonly C[],
  users: ReadonlyMap<string, AccountState>,
  tokens: ReadonlyMap<string, TokenCheck>,
): AccessVerdict<C> {
  const revocations: Revocation[] = [];
  const stale: { conn: C; reason: string }[] = [];
  const usersDone = new Set<string>();
  const tokensDone = new Set<string>();
  for (const conn of conns) {
    const { userId, role, sessionVersion, tokenId } = conn.identity;
    const user = users.get(userId);
    if (!user || user.disabled || !isRole(user.role)) {
      if (usersDone.has(userId)) continue;
      usersDone.add(userId);
      const reason = user?.disabled ? REVOCATION_REASONS.disabled : SESSION_ENDED_REASON;
      revocations.push({ userId, scope: 'all', reason });
      continue;
    }
    if (user.role !== role) {
      stale.push({ conn, reason: REVOCATION_REASONS.roleChanged });
      continue;
    }
    if (sessionVersion !== undefined && sessionVersion !== user.sessionVersion) {
      stale.push({ conn, reason: SESSION_ENDED_REASON });
      continue;
    }
    const token = tokenId === undefined ? undefined : tokens.get(tokenId);
    if (tokenId !== undefined && token?.ok === false && !tokensDone.has(tokenId)) {
      tokensDone.add(tokenId);
      revocations.push({ userId, scope: { tokenId }, reason: token.message });
    }
  }
  return { revocations, stale };
}

/** The resync's reads for `createRealtime`, one query each for all open sockets. */
export function accessLookups(db: PrismaClient) {
  return {
    findUsers: (ids: string[]): Promise<AccountState[]> =>
      db.user.findMany({
        where: { id: { in: ids } },
        select: { id: true, role: true, disabled: true, sessionVersion: true },
      }),
    /** `checkTokenById` (lib/auth/tokens.ts) for many tokens: an unknown id is a failure too. */
    checkTokens: async (ids: string[], now = new Date()): Promise<Map<string, TokenCheck>> => {
      const rows = await db.apiToken.findMany({
        where: { id: { in: ids } },
        select: { id: true, ...TOKEN_STATE_SELECT },
      });
      const byId = new Map(rows.map((r) => [r.id, r]));
      const out = new Map<string, TokenCheck>();
      for (const id of ids) {
        const code = tokenFailureOf(byId.get(id) ?? null, now);
        out.set(id, code ? { ok: false, message: TOKEN_FAILURE_MESSAGES[code] } : { ok: true });
      }
      return out;
    },
  };
}
