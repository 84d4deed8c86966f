import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../lib/auth/tokens';
import { setRuntime } from '../lib/server/registry';
import { ROOT, routeFiles } from './helpers';
import { startPortal, type Portal } from './harness';

/**
 * Every route under app/api/v1 × every role × both token scopes: who is refused before the handler
 * runs. (What each route does is in tests/api.test.ts.)
 */
type Handler = (req: Request, segment: { params: Promise<unknown> }) => Promise<Response>;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

let portal: Portal;
const tokens: Record<string, string> = {};
const routes: { method: string; route: string; handler: Handler }[] = [];

beforeAll(async () => {
  portal = await startPortal({ lab: [] });
  setRuntime(portal.runtime);
  for (const [role, userId] of [
    ['admin', portal.users.admin],
    ['operator', portal.users.operator],
    ['viewer', portal.users.viewer],
  ] as const) {
    for (const scope of ['read', 'write'] as const) {
      const r = await createApiToken({ id: userId }, { name: `${role}-${scope}`, scope }, portal.runtime);
      if (!r.ok) throw new Error('token');
      tokens[`${role}-${scope}`] = r.token;
    }
  }
  const base = path.join(ROOT, 'app', 'api', 'v1');
  for (const file of routeFiles(base)) {
    const route = '/' + path.relative(base, path.dirname(file)).split(path.sep).join('/');
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of METHODS)
      if (typeof mod[method] === 'function') routes.push({ method, route, handler: mod[method] as Handler });
  }
});
afterAll(async () => {
  setRuntime(undefined);
  await portal.close();
});

/** The refusal expected before the handler runs, or null when the caller gets through. */
function expected(method: string, route: string, role: string, scope: string): [number, string] | null {
  if (route === '/openapi.json') return null;
  const write = method !== 'GET';
  // guard-rail policies are admin business; the policy tester changes nothing (a read token will do)
  if (route.startsWith('/policies')) {
    if (write && route !== '/policies/test' && scope === 'read') return [403, 'read_only_token'];
    return role === 'admin' ? null : [403, 'role'];
  }
  if (write && scope === 'read') return [403, 'read_only_token'];
  if (route.startsWith('/users') && role !== 'admin') return [403, 'role'];
  // teams are admin business; groups may be listed by anyone, changed by admins only
  if (route.startsWith('/teams') && role !== 'admin') return [403, 'role'];
  if (route.startsWith('/webhooks') && role !== 'admin') return [403, 'role'];
  if (route.startsWith('/groups') && write && role !== 'admin') return [403, 'role'];
  // writes that change only the caller's own state: marking notifications read, following a template
  const ownStateWrite = route === '/notifications/read' || route === '/templates/[id]/subscription';
  const operatorWrite = write && !ownStateWrite;
  if (operatorWrite && role === 'viewer') return [403, 'role'];
  return null;
}

describe('API access matrix', () => {
  it('covers every route file', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
  });

  it('no token: 401 everywhere but the OpenAPI document', async () => {
    for (const r of routes) {
      const res = await r.handler(new Request(`http://127.0.0.1/api/v1${r.route}`, { method: r.method }), {
        params: Promise.resolve({ id: 'x' }),
      });
      expect([r.method, r.route, res.status]).toEqual([
        r.method,
        r.route,
        r.route === '/openapi.json' ? 200 : 401,
      ]);
    }
  });

  it('each role × scope is refused exactly where it should be, with the stable code', async () => {
    for (const r of routes)
      for (const role of ['admin', 'operator', 'viewer'])
        for (const scope of ['read', 'write']) {
          const res = await r.handler(
            new Request(`http://127.0.0.1/api/v1${r.route}`, {
              method: r.method,
              headers: {
                authorization: `Bearer ${tokens[`${role}-${scope}`]}`,
                'content-type': 'application/json',
              },
              body: r.method === 'GET' ? undefined : '{}',
            }),
            { params: Promise.resolve({ id: 'no-such-id' }) },
          );
          const body = (await res.json().catch(() => ({}))) as { code?: string };
          const want = expected(r.method, r.route, role, scope);
          const got: [number, string] | null = res.status === 403 ? [403, body.code ?? ''] : null;
          expect({ route: `${r.method} ${r.route}`, role, scope, refused: got }).toEqual({
            route: `${r.method} ${r.route}`,
            role,
            scope,
            refused: want,
          });
          expect(res.status, `${r.method} ${r.route} as ${role}/${scope}`).not.toBe(500);
        }
  });
});
