import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { getToken } from 'next-auth/jwt';
import { isRole, type Role } from '../auth/roles';
import { LOCALE_COOKIE, resolveLocale, type AppLocale } from '../i18n/config';
import { sessionVersionOf } from '../auth/session-version';
import { matchChannel, type ChannelRoute } from './channels';

/** Who opened a socket: always taken from the session or token, never from the URL or a message. */
export interface Identity {
  userId: string;
  username: string;
  role: Role;
  /** The user's session version when the socket opened: a later bump ends the socket (resync). */
  sessionVersion?: number;
  /**
   * The user's language (saved, else the language switch's cookie, else the browser's), for what the
   * server itself writes on the socket's behalf (the guard rails' lines in a terminal).
   */
  locale?: AppLocale;
  /** Set when the socket was opened with an API token (Authorization: Bearer). */
  tokenId?: string;
  tokenScope?: 'read' | 'write';
}

/** What a bearer token on an upgrade resolves to. */
export type UpgradeTokenCheck =
  | {
      ok: true;
      user: { id: string; username: string; role: Role; sessionVersion?: number };
      token: { id: string; scope: 'read' | 'write' };
    }
  | { ok: false; message: string };

export interface UpgradeOptions {
  secret: string;
  /** Extra allowed origins (scheme://host[:port]) besides the request's own host. */
  allowedOrigins: readonly string[];
  trustProxy: boolean;
  findUser(id: string): Promise<{
    id: string;
    username: string;
    role: string;
    disabled: boolean;
    sessionVersion: number;
    /** The saved language ("" follows the browser). */
    locale?: string;
  } | null>;
  /** Resolve an API token (Authorization: Bearer sb_…); absent: tokens are refused. */
  findToken?(token: string): Promise<UpgradeTokenCheck>;
}

export type UpgradeDecision =
  | { ok: true; identity: Identity; route: ChannelRoute }
  | { ok: false; status: 401 | 403 | 404; message: string };

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function parseCookies(cookieHeader: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!cookieHeader) return out;
  for (const rawPart of cookieHeader.split(';')) {
    const part = rawPart.trim();
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

/** The Origin must be this site (same host as the request) or explicitly allowed. Pure. */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (!origin || !host) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.host.toLowerCase() === host.toLowerCase()) return true;
  return allowedOrigins.some((a) => a.replace(/\/$/, '').toLowerCase() === parsed.origin.toLowerCase());
}

/**
 * Decide an upgrade before any handshake: Origin (403), session (401), channel (404).
 * Channel-level authorisation (role, device grant) happens in the channel handler.
 */
export async function authenticateUpgrade(
  req: IncomingMessage,
  opts: UpgradeOptions,
): Promise<UpgradeDecision> {
  const authorization = header(req, 'authorization');
  if (authorization !== undefined) return authenticateBearer(req, authorization, opts);
  const host =
    (opts.trustProxy && header(req, 'x-forwarded-host')?.split(',')[0]?.trim()) || header(req, 'host');
  if (!originAllowed(header(req, 'origin'), host, opts.allowedOrigins)) {
    return { ok: false, status: 403, message: 'Cross-site WebSocket request refused.' };
  }
  let token: Awaited<ReturnType<typeof getToken>> = null;
  const cookies = parseCookies(header(req, 'cookie'));
  try {
    const forwardedProto = opts.trustProxy ? header(req, 'x-forwarded-proto') : undefined;
    token = await getToken({
      req: { headers: req.headers, cookies } as unknown as Parameters<typeof getToken>[0]['req'],
      secret: opts.secret,
      secureCookie:
        forwardedProto === 'https' || Object.keys(cookies).some((c) => c.startsWith('__Secure-next-auth')),
    });
  } catch {
    token = null;
  }
  if (!token?.sub) return { ok: false, status: 401, message: 'Sign in first.' };
  const user = await opts.findUser(token.sub);
  // a session issued before a password reset, disable, role change or "sign out everywhere" is over
  if (!user || user.disabled || !isRole(user.role) || user.sessionVersion !== sessionVersionOf(token)) {
    return { ok: false, status: 401, message: 'Session is no longer valid.' };
  }
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  const route = matchChannel(pathname);
  if (!route) return { ok: false, status: 404, message: 'No such channel.' };
  return {
    ok: true,
    identity: {
      userId: user.id,
      username: user.username,
      role: user.role,
      sessionVersion: user.sessionVersion,
      locale: resolveLocale({
        saved: user.locale,
        cookie: cookies[LOCALE_COOKIE],
        acceptLanguage: header(req, 'accept-language'),
      }),
    },
    route,
  };
}

/**
 * A script's upgrade: `Authorization: Bearer <token>`. No Origin check applies (no browser sends this
 * header, so it cannot be a cross-site request riding on a cookie).
 */
async function authenticateBearer(
  req: IncomingMessage,
  authorization: string,
  opts: UpgradeOptions,
): Promise<UpgradeDecision> {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!m || !opts.findToken)
    return { ok: false, status: 401, message: 'Send Authorization: Bearer <token>.' };
  const r = await opts.findToken(m[1]!);
  if (!r.ok) return { ok: false, status: 401, message: r.message };
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  const route = matchChannel(pathname);
  if (!route) return { ok: false, status: 404, message: 'No such channel.' };
  return {
    ok: true,
    identity: {
      userId: r.user.id,
      username: r.user.username,
      role: r.user.role,
      ...(r.user.sessionVersion !== undefined ? { sessionVersion: r.user.sessionVersion } : {}),
      // a script's socket: the language it asks for (Accept-Language), else English
      locale: resolveLocale({ acceptLanguage: header(req, 'accept-language') }),
      tokenId: r.token.id,
      tokenScope: r.token.scope,
    },
    route,
  };
}

/** Answer a refused upgrade with a plain HTTP response and drop the socket (no handshake). */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1000).unref();
}
