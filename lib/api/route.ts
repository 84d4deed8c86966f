import 'server-only';
import { z } from 'zod';
import type { AuditSink } from '../audit';
import { atLeast, type Role } from '../auth/roles';
import { getCurrentUser } from '../auth/session';
import { authenticateToken, TOKEN_FAILURE_MESSAGES, type TokenScope } from '../auth/tokens';
import {
  DatabaseUnavailableError,
  DB_PROBE_TIMEOUT_MS,
  DB_RETRY_AFTER_S,
  databaseErrorSummary,
  isDatabaseUnavailable,
  probeDatabase,
  unlessDatabaseStalls,
} from '../db/unavailable';
import { getRuntime } from '../server/registry';
import type { Runtime } from '../server/runtime';
import { API_PATHS } from './openapi';
import { ApiProblem, fieldErrors, problemResponse } from './problem';

/** Who an API request acts as: a token's owner, or (GET only) the signed-in browser user. */
export interface ApiActor {
  id: string;
  username: string;
  role: Role;
}

export interface ApiContext {
  runtime: Runtime;
  actor: ApiActor;
  /** The actor in the shape the services' `actor` parameters take. */
  user: ApiActor & { displayName: string };
  /** The token's name and scope; null for a browser session. */
  token: { id: string; name: string; scope: TokenScope; expiresAt: Date | null } | null;
  /** Audit an API write, naming the token it came through. */
  audit(action: string, target: string, detail?: string): Promise<void>;
  /** The runtime, with an audit sink that names the token: pass it to services as their deps. */
  services: Runtime;
}

export interface RouteOptions {
  /** A write needs a `write` token (browser sessions use the pages' Server Actions instead). */
  write?: boolean;
  /** The lowest role allowed (default viewer); below it: 403. */
  role?: Role;
}

type Handler<P> = (req: Request, ctx: ApiContext, params: P) => Promise<Response>;

const TOKEN_QUERY_PARAMS = ['access_token', 'token', 'api_key', 'apikey', 'key'];

function bearerOf(req: Request): string | null | 'malformed' {
  const h = req.headers.get('authorization');
  if (!h) return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : 'malformed';
}

async function authenticate(req: Request, runtime: Runtime, opts: RouteOptions): Promise<ApiContext> {
  const url = new URL(req.url);
  if (TOKEN_QUERY_PARAMS.some((p) => url.searchParams.has(p))) {
    throw new ApiProblem(
      400,
      'token_in_query',
      'Tokens go in the Authorization header (Bearer), never in the URL, where logs and proxies keep them.',
    );
  }
  const bearer = bearerOf(req);
  let ctx: Omit<ApiContext, 'audit' | 'services' | 'user'>;
  if (bearer === 'malformed') {
    throw new ApiProblem(
      401,
      'unauthenticated',
      'Send Authorization: Bearer <token>.',
      {},
      {
        'WWW-Authenticate': 'Bearer',
      },
    );
  } else if (bearer) {
    const r = await authenticateToken(bearer, runtime);
    if (!r.ok)
      throw new ApiProblem(
        401,
        `token_${r.code}`,
        TOKEN_FAILURE_MESSAGES[r.code],
        {},
        {
          'WWW-Authenticate': 'Bearer error="invalid_token"',
        },
      );
    const verdict = await runtime.apiLimiter.take(r.identity.token.id);
    if (!verdict.allowed)
      throw new ApiProblem(
        429,
        'rate_limited',
        `More than ${runtime.tunables.API_RATE_LIMIT_PER_MINUTE} requests a minute with this token.`,
        {},
        { 'Retry-After': String(verdict.retryAfterS) },
      );
    const { user, token } = r.identity;
    ctx = { runtime, actor: { id: user.id, username: user.username, role: user.role }, token };
  } else {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new ApiProblem(
        401,
        'unauthenticated',
        'API writes need a token: Authorization: Bearer <token>.',
        {},
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
    // no session is a 401; a database that cannot say whose session it is, a 503 (in answer)
    const user = await getCurrentUser().catch((err: unknown) => {
      if (isDatabaseUnavailable(err)) throw err;
      return null;
    });
    if (!user)
      throw new ApiProblem(
        401,
        'unauthenticated',
        'Send Authorization: Bearer <token>.',
        {},
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
    ctx = { runtime, actor: { id: user.id, username: user.username, role: user.role }, token: null };
  }
  if (opts.write && ctx.token && ctx.token.scope !== 'write')
    throw new ApiProblem(
      403,
      'read_only_token',
      'This token is read-only; create a write token for changes.',
    );
  if (opts.role && !atLeast(ctx.actor.role, opts.role))
    throw new ApiProblem(403, 'role', `Your role (${ctx.actor.role}) cannot do this.`);
  const via = `via API${ctx.token ? ` token "${ctx.token.name}"` : ''}`;
  const audit: AuditSink = (e) =>
    runtime.audit({ ...e, detail: `${e.detail ?? ''}${e.detail ? '; ' : ''}${via}` });
  return {
    ...ctx,
    audit: (action, target, detail) => audit({ userId: ctx.actor.id, action, target, detail }),
    services: { ...runtime, audit },
    user: { ...ctx.actor, displayName: '' },
  };
}

const API_BASE = '/api/v1';
/** Every route of the API, as the OpenAPI document names it (tests/openapi.test.ts keeps it complete). */
const ROUTE_TEMPLATES = Object.keys(API_PATHS).map((path) => ({
  template: API_BASE + path,
  segments: path.split('/').slice(1),
}));

/**
 * The route template a request path was served by (`/api/v1/tasks/{id}`), for metrics labels: a raw
 * path would make one series per task or device. Where two templates fit, the one with a fixed
 * segment at the first place they differ wins, as in Next's routing (`/devices/import` over
 * `/devices/{id}`). A path no template fits is `other`.
 */
export function apiRouteTemplate(pathname: string): string {
  if (!pathname.startsWith(`${API_BASE}/`)) return 'other';
  const parts = pathname.slice(API_BASE.length + 1).split('/');
  let best: { template: string; fixed: string } | null = null;
  for (const t of ROUTE_TEMPLATES) {
    if (t.segments.length !== parts.length) continue;
    let fixed = '';
    for (const [i, s] of t.segments.entries()) {
      const param = s.startsWith('{');
      if (!param && s !== parts[i]) {
        fixed = '';
        break;
      }
      fixed += param ? '0' : '1';
    }
    if (fixed && (!best || fixed > best.fixed)) best = { template: t.template, fixed };
  }
  return best?.template ?? 'other';
}

/**
 * Wrap a route handler: authenticate (bearer token, or a session cookie for GETs), check scope and
 * role, rate-limit per token, and turn expected failures into problem+json and unexpected ones into
 * a 500 problem (logged), or a 503 `database_unavailable` when the database does not answer (within
 * about two seconds even when its server hangs) — the process never sees a throw. Every answer is counted and timed by
 * route template (`switchboard_api_*`).
 */
export function apiRoute<P = Record<string, never>>(opts: RouteOptions, handler: Handler<P>) {
  return async (req: Request, segment: { params: Promise<unknown> }): Promise<Response> => {
    let runtime: Runtime;
    try {
      runtime = getRuntime();
    } catch {
      return problemResponse(new ApiProblem(503, 'not_running', 'The portal is starting or stopping.'));
    }
    const started = performance.now();
    const res = await answer(req, segment, runtime, opts, handler);
    runtime.metrics.apiRequest(
      apiRouteTemplate(new URL(req.url).pathname),
      req.method,
      res.status,
      (performance.now() - started) / 1000,
    );
    return res;
  };
}

async function answer<P>(
  req: Request,
  segment: { params: Promise<unknown> },
  runtime: Runtime,
  opts: RouteOptions,
  handler: Handler<P>,
): Promise<Response> {
  const work = (async () => {
    const ctx = await authenticate(req, runtime, opts);
    const raw = ((await segment?.params) ?? {}) as Record<string, unknown>;
    for (const v of Object.values(raw))
      if (typeof v !== 'string' || v.length === 0 || v.length > 128)
        throw new ApiProblem(404, 'not_found', 'Not found.');
    const params = raw as P;
    return await handler(req, ctx, params);
  })();
  const probe = () => probeDatabase(runtime.db, DB_PROBE_TIMEOUT_MS);
  try {
    // a query on a hung database server never returns: a request that waits asks whether it answers
    return await unlessDatabaseStalls(work, probe);
  } catch (err) {
    if (err instanceof ApiProblem) return problemResponse(err);
    const where = { url: req.url, method: req.method };
    // an error nobody classified, while the database is down, is the database's too (a transaction
    // that could not start in time, say)
    if (isDatabaseUnavailable(err) || !(await probe()).up) {
      runtime.log.warn({ ...where, reason: databaseErrorSummary(err) }, 'API request: database unavailable');
      if (err instanceof DatabaseUnavailableError)
        // the request was not called back and may still finish (a write too) once the server answers
        work.then(
          (res) =>
            runtime.log.warn({ ...where, status: res.status }, 'API request answered 503 finished later'),
          () => {},
        );
      return problemResponse(
        new ApiProblem(
          503,
          'database_unavailable',
          'The database is not answering (stopped, restarting or overloaded). Try again in a few seconds.',
          {},
          { 'Retry-After': String(DB_RETRY_AFTER_S) },
        ),
      );
    }
    runtime.log.error({ err, ...where }, 'API request failed');
    return problemResponse(new ApiProblem(500, 'internal', 'Something went wrong; it is in the server log.'));
  }
}

/**
 * The raw body, refused with 413 (`tooLarge`) as soon as it passes `max` bytes: by its declared
 * length before reading, or while reading (a body without a length cannot run the server out of memory).
 */
export async function readBoundedBody(
  req: Request,
  max: number,
  tooLarge: () => ApiProblem,
): Promise<Buffer> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

/** Read a JSON body of at most API_MAX_BODY_BYTES (not yet validated). */
export async function readBody(req: Request, ctx: ApiContext): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type))
    throw new ApiProblem(415, 'unsupported_media_type', 'Send the body as application/json.');
  const max = ctx.runtime.tunables.API_MAX_BODY_BYTES;
  const body = await readBoundedBody(
    req,
    max,
    () => new ApiProblem(413, 'body_too_large', `The body is larger than ${max} bytes (API_MAX_BODY_BYTES).`),
  );
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new ApiProblem(400, 'malformed_json', 'The body is not valid JSON.');
  }
}

/** Validate a parsed body (unknown fields are refused: the schemas are strict). */
export function parseBody<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new ApiProblem(422, 'invalid', 'The request has invalid fields.', {
      errors: fieldErrors(parsed.error),
    });
  return parsed.data;
}

/** Read and validate a JSON body. */
export async function readJson<S extends z.ZodType>(
  req: Request,
  schema: S,
  ctx: ApiContext,
): Promise<z.output<S>> {
  return parseBody(schema, await readBody(req, ctx));
}

/** Validate query parameters (unknown ones are refused, so a typo is not silently ignored). */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams.entries());
  const parsed = schema.safeParse(params);
  if (!parsed.success)
    throw new ApiProblem(422, 'invalid', 'The query has invalid parameters.', {
      errors: fieldErrors(parsed.error),
    });
  return parsed.data;
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });
