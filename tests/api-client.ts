import { createApiToken } from '../lib/auth/tokens';
import type { Runtime } from '../lib/server/runtime';

export type Handler = (req: Request, segment: { params: Promise<unknown> }) => Promise<Response>;

/** Call an App Router route handler of /api/v1 the way Next does, with a bearer token. */
export async function call(
  handler: Handler,
  opts: {
    method?: string;
    path?: string;
    token?: string | null;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
    params?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await handler(
    new Request(`http://127.0.0.1/api/v1${opts.path ?? '/x'}`, {
      method: opts.method ?? 'GET',
      headers,
      body,
    }),
    { params: Promise.resolve(opts.params ?? {}) },
  );
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON
  }
  return { status: res.status, json, headers: res.headers, text };
}


/** A personal access token for a user. */
export async function mintToken(runtime: Runtime, userId: string, scope: 'read' | 'write', name = `${scope}-${userId.slice(0, 6)}`) {
  const r = await createApiToken({ id: userId }, { name, scope }, runtime);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
}
