import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';
import type { EventBus } from '../events/types';
import { isRole, type Role } from './roles';

/**
 * Personal access tokens for the REST API and WebSockets. A token is `sb_` + 36 random base62
 * characters + a 6-character CRC32 checksum (so secret scanners and the portal can reject a
 * mistyped or made-up token without a database lookup). Only its SHA-256 is stored: tokens carry
 * over 200 bits of randomness, so a fast hash is enough. A token acts with its owner's current role
 * and grants, re-read on every use.
 */
export const TOKEN_PREFIX = 'sb_';
const RANDOM_CHARS = 36;
const CHECKSUM_CHARS = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + RANDOM_CHARS + CHECKSUM_CHARS;
/** Characters of a token shown in lists (`sb_` and the first random ones). */
export const TOKEN_DISPLAY_CHARS = TOKEN_PREFIX.length + 6;
/** Tokens one user may hold (not revoked). */
export const TOKEN_MAX_PER_USER = 50;
/** The longest expiry a user may choose. */
export const TOKEN_MAX_LIFETIME_DAYS = 366;
/** `lastUsedAt` is written at most this often per token (not once per request). */
export const TOKEN_LAST_USED_RESOLUTION_MS = 60_000;

export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(bytes: Buffer, length: number): string {
  let out = '';
  for (const b of bytes) {
    if (b >= 248) continue; // 248 = 4 × 62: keeps every character equally likely
    out += BASE62[b % 62];
    if (out.length === length) break;
  }
  return out;
}

function base62Fixed(n: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) c = CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new token (shown once) with what is stored of it. */
export function generateToken(): { token: string; hash: string; prefix: string } {
  let random = '';
  while (random.length < RANDOM_CHARS) random += base62(randomBytes(64), RANDOM_CHARS - random.length);
  const body = TOKEN_PREFIX + random;
  const token = body + base62Fixed(crc32(body), CHECKSUM_CHARS);
  return { token, hash: hashToken(token), prefix: token.slice(0, TOKEN_DISPLAY_CHARS) };
}

/** Shape and checksum only: whether `s` could be a token this portal issued. */
export function looksLikeToken(s: string): boolean {
  if (s.length !== TOKEN_LENGTH || !s.startsWith(TOKEN_PREFIX)) return false;
  if (!/^[0-9A-Za-z]+$/.test(s.slice(TOKEN_PREFIX.length))) return false;
  const body = s.slice(0, -CHECKSUM_CHARS);
  return base62Fixed(crc32(body), CHECKSUM_CHARS) === s.slice(-CHECKSUM_CHARS);
}

/** `30d`, `12h`, `never`, or a number of days. */
export function parseExpiry(raw: string | undefined, now = Date.now()): Date | null | 'invalid' {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '' || v === 'never') return null;
  const m = /^(\d{1,4})\s*([dh]?)$/.exec(v);
  if (!m) return 'invalid';
  const n = Number(m[1]);
  const hours = m[2] === 'h' ? n : n * 24;
  if (hours < 1 || hours > TOKEN_MAX_LIFETIME_DAYS * 24) return 'invalid';
  return new Date(now + hours * 3_600_000);
}

export const createTokenSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the token a name.').max(64, 'At most 64 characters.'),
    scope: z.enum(TOKEN_SCOPES, { error: 'Choose read or write.' }),
    expires: z.string().max(16).optional(),
  })
  .strict();
export type CreateTokenInput = z.input<typeof createTokenSchema>;

export interface TokenDeps {
  db: PrismaClient;
  audit: AuditSink;
  /** Present in a running portal: a revocation closes the token's open sockets at once. */
  bus?: EventBus;
}

export interface TokenView {
  id: string;
  userId: string;
  username: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

type TokenRow = {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  scope: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  user: { username: string };
};

function view(t: TokenRow): TokenView {
  return {
    id: t.id,
    userId: t.userId,
    username: t.user.username,
    name: t.name,
    prefix: t.prefix,
    scope: t.scope === 'write' ? 'write' : 'read',
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

const VIEW_SELECT = {
  id: true,
  userId: true,
  name: true,
  prefix: true,
  scope: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  user: { select: { username: true } },
} as const;

export type CreateTokenResult =
  | { ok: true; token: string; view: TokenView }
  | { ok: false; errors: Partial<Record<'name' | 'scope' | 'expires' | 'form', string>> };

/** Create a token for `owner` (the acting user themself; the CLI acts for a named user). */
export async function createApiToken(
  owner: { id: string },
  raw: unknown,
  deps: TokenDeps,
  via: 'web' | 'api' | 'cli' = 'web',
): Promise<CreateTokenResult> {
  const parsed = createTokenSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
    return { ok: false, errors };
  }
  const expiresAt = parseExpiry(parsed.data.expires);
  if (expiresAt === 'invalid')
    return {
      ok: false,
      errors: { expires: `Use e.g. 30d or 12h (at most ${TOKEN_MAX_LIFETIME_DAYS} days), or never.` },
    };
  const active = await deps.db.apiToken.count({ where: { userId: owner.id, revokedAt: null } });
  if (active >= TOKEN_MAX_PER_USER)
    return { ok: false, errors: { form: `At most ${TOKEN_MAX_PER_USER} tokens; revoke one first.` } };
  const { token, hash, prefix } = generateToken();
  const row = await deps.db.apiToken.create({
    data: { userId: owner.id, name: parsed.data.name, hash, prefix, scope: parsed.data.scope, expiresAt },
    select: VIEW_SELECT,
  });
  await deps.audit({
    userId: owner.id,
    action: 'token.create',
    target: row.name,
    detail: `${row.scope}, ${expiresAt ? `expires ${expiresAt.toISOString()}` : 'no expiry'}, via ${via}`,
  });
  return { ok: true, token, view: view(row) };
}

/** A user's own tokens; an admin may ask for everyone's. Revoked tokens are listed last. */
export async function listApiTokens(
  actor: { id: string; role: Role },
  deps: Pick<TokenDeps, 'db'>,
  opts: { everyone?: boolean } = {},
): Promise<TokenView[]> {
  const rows = await deps.db.apiToken.findMany({
    where: opts.everyone && actor.role === 'admin' ? {} : { userId: actor.id },
    select: VIEW_SELECT,
    orderBy: [{ revokedAt: 'asc' }, { createdAt: 'desc' }],
    take: 1000,
  });
  return rows.map(view);
}

/** Revoke a token: its owner, or an admin for anyone's. Unknown and foreign ids look the same. */
export async function revokeApiToken(
  actor: { id: string; role: Role },
  tokenId: string,
  deps: TokenDeps,
): Promise<{ ok: true; view: TokenView } | { ok: false; error: string }> {
  const row = await deps.db.apiToken.findFirst({
    where: { id: tokenId, ...(actor.role === 'admin' ? {} : { userId: actor.id }) },
    select: VIEW_SELECT,
  });
  if (!row) return { ok: false, error: 'No such token.' };
  if (row.revokedAt) return { ok: true, view: view(row) };
  const updated = await deps.db.apiToken.update({
    where: { id: tokenId },
    data: { revokedAt: new Date() },
    select: VIEW_SELECT,
  });
  await deps.audit({
    userId: actor.id || null, // the CLI acts as nobody in particular
    action: 'token.revoke',
    target: row.name,
    detail: `token of ${row.user.username} (${row.prefix}…)`,
  });
  await deps.bus?.publish('access.revoked', {
    userId: row.userId,
    scope: { tokenId: row.id },
    reason: `The API token "${row.name}" was revoked.`,
  });
  return { ok: true, view: view(updated) };
}

export interface TokenIdentity {
  user: { id: string; username: string; role: Role; sessionVersion: number };
  token: { id: string; name: string; scope: TokenScope; expiresAt: Date | null };
}

export type TokenAuthFailure = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'owner_disabled';

export const TOKEN_FAILURE_MESSAGES: Record<TokenAuthFailure, string> = {
  malformed: 'This is not a Switchboard token.',
  unknown: 'Unknown token.',
  revoked: 'This token was revoked.',
  expired: 'This token has expired.',
  owner_disabled: "The token's owner is disabled.",
};

/**
 * Who a bearer token acts as, re-read from the database on every use (a revoked token, a disabled
 * owner or a changed role take effect on the next request).
 */
export async function authenticateToken(
  token: string,
  deps: Pick<TokenDeps, 'db'>,
  now = new Date(),
): Promise<{ ok: true; identity: TokenIdentity } | { ok: false; code: TokenAuthFailure }> {
  if (!looksLikeToken(token)) return { ok: false, code: 'malformed' };
  const row = await deps.db.apiToken.findUnique({
    where: { hash: hashToken(token) },
    include: {
      user: { select: { id: true, username: true, role: true, disabled: true, sessionVersion: true } },
    },
  });
  if (!row) return { ok: false, code: 'unknown' };
  if (row.revokedAt) return { ok: false, code: 'revoked' };
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, code: 'expired' };
  if (row.user.disabled || !isRole(row.user.role)) return { ok: false, code: 'owner_disabled' };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOKEN_LAST_USED_RESOLUTION_MS) {
    await deps.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } }).catch(() => {});
  }
  return {
    ok: true,
    identity: {
      user: {
        id: row.user.id,
        username: row.user.username,
        role: row.user.role,
        sessionVersion: row.user.sessionVersion,
      },
      token: {
        id: row.id,
        name: row.name,
        scope: row.scope === 'write' ? 'write' : 'read',
        expiresAt: row.expiresAt,
      },
    },
  };
}

/** Whether a token (by id) still grants access: not revoked, not expired, owner enabled. */
export async function checkTokenById(
  tokenId: string,
  deps: Pick<TokenDeps, 'db'>,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; code: TokenAuthFailure; message: string }> {
  const row = await deps.db.apiToken.findUnique({ where: { id: tokenId }, select: TOKEN_STATE_SELECT });
  const code = tokenFailureOf(row, now);
  return code ? { ok: false, code, message: TOKEN_FAILURE_MESSAGES[code] } : { ok: true };
}

/** What decides whether a token still opens anything (tokenFailureOf reads it). */
export const TOKEN_STATE_SELECT = {
  revokedAt: true,
  expiresAt: true,
  user: { select: { disabled: true } },
} as const;

/** Why a stored token no longer works (null: it does), from its TOKEN_STATE_SELECT row. */
export function tokenFailureOf(
  row: { revokedAt: Date | null; expiresAt: Date | null; user: { disabled: boolean } } | null,
  now: Date,
): TokenAuthFailure | null {
  return !row
    ? 'unknown'
    : row.revokedAt
      ? 'revoked'
      : row.expiresAt && row.expiresAt <= now
        ? 'expired'
        : row.user.disabled
          ? 'owner_disabled'
          : null;
}
