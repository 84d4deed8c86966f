import type { JWT } from 'next-auth/jwt';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { CurrentUser } from '../lib/auth/session';
import { setRuntime } from '../lib/server/registry';
import { startPortal, type Portal } from './harness';

/**
 * Finding 3: a session (a JWT valid for 12 h) survived a password reset, disabling the account and
 * signing out. The session now carries the user's session version, which those changes bump.
 */

// getServerSession needs a Next request; here it runs the real session callback on the token the
// test holds, as next-auth does after decoding the cookie.
let browserToken: JWT = {};
vi.mock('next-auth', async (importOriginal) => {
  const actual = await importOriginal<typeof import('next-auth')>();
  return {
    ...actual,
    getServerSession: async (opts: import('next-auth').NextAuthOptions) =>
      opts.callbacks!.session!({
        session: { user: { name: browserToken.name }, expires: '' },
        token: browserToken,
      } as never),
  };
});

const { authOptions } = await import('../lib/auth/options');
const { getCurrentUser } = await import('../lib/auth/session');
const users = await import('../lib/auth/users');

let portal: Portal;
let admin: CurrentUser;

beforeAll(async () => {
  portal = await startPortal();
  setRuntime(portal.runtime);
  admin = { id: portal.users.admin, username: 'admin', displayName: '', role: 'admin' };
});
afterAll(async () => {
  setRuntime(undefined);
  await portal.close();
});

let n = 0;
async function newUser(role = 'operator') {
  const u = await portal.db.user.create({
    data: { username: `sv-${++n}`, role, passwordHash: 'unused' },
  });
  return { id: u.id, username: u.username, displayName: '', role: role as CurrentUser['role'] };
}

/** Sign in as the real jwt callback does it, and hold the token as the browser's cookie would. */
async function signIn(user: { id: string; username: string; role: string }): Promise<JWT> {
  const jwt = authOptions.callbacks!.jwt!;
  return (await jwt({
    token: { sub: user.id, name: user.username },
    user: { id: user.id, name: user.username, role: user.role } as never,
    account: null,
    trigger: 'signIn',
  } as never)) as JWT;
}

/** The HTTP status of an upgrade with this cookie (101 when it opens). */
function upgradeStatus(path: string, cookie: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(portal.wsBase + path, { headers: { Origin: portal.origin, Cookie: cookie } });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => {});
  });
}

const changes: [string, (u: CurrentUser) => Promise<unknown>][] = [
  ['a password reset', (u) => users.resetPassword(admin, u.id, 'brand-new-password-1', portal.runtime)],
  [
    'disabling (and enabling again)',
    async (u) => {
      await users.setDisabled(admin, u.id, true, portal.runtime);
      await users.setDisabled(admin, u.id, false, portal.runtime);
    },
  ],
  ['a role change', (u) => users.setRole(admin, u.id, 'viewer', portal.runtime)],
  ['signing out everywhere (by the user)', (u) => users.signOutEverywhere(u, u.id, portal.runtime)],
  ['signing out everywhere (by an admin)', (u) => users.signOutEverywhere(admin, u.id, portal.runtime)],
];

describe('a session issued before a revoking change is no longer accepted', () => {
  beforeEach(() => {
    browserToken = {};
  });

  it.each(changes)(
    'pages and Server Actions: after %s, getCurrentUser says signed out',
    async (_w, change) => {
      const user = await newUser();
      browserToken = await signIn(user);
      expect(await getCurrentUser()).toMatchObject({ id: user.id });
      await change(user);
      expect(await getCurrentUser()).toBeNull();
      // signing in again gives a session that works
      browserToken = await signIn({
        ...user,
        role: (await portal.db.user.findUniqueOrThrow({ where: { id: user.id } })).role,
      });
      expect(await getCurrentUser()).toMatchObject({ id: user.id });
    },
  );

  it.each(changes)(
    'WebSocket upgrades: after %s, the old cookie is refused with 401 on every channel',
    async (_w, change) => {
      const user = await newUser();
      const device = await portal.deviceId('lab-vrp-01');
      await portal.db.deviceGrant.create({ data: { userId: user.id, deviceId: device } });
      const old = await portal.cookieFor(user.id);
      for (const path of ['/ws/notifications', '/ws/monitor/tasks', `/ws/terminal/${device}`])
        expect(await upgradeStatus(path, old)).toBe(101);
      await change(user);
      for (const path of ['/ws/notifications', '/ws/monitor/tasks', `/ws/terminal/${device}`])
        expect(await upgradeStatus(path, old)).toBe(401);
      // a new sign-in (a cookie with the current version) is accepted
      expect(await upgradeStatus('/ws/notifications', await portal.cookieFor(user.id))).toBe(101);
    },
  );

  it('signing out everywhere is audited, and says who did it', async () => {
    const user = await newUser('viewer');
    await users.signOutEverywhere(user, user.id, portal.runtime);
    await users.signOutEverywhere(admin, user.id, portal.runtime);
    const rows = await portal.db.auditEvent.findMany({
      where: { action: 'user.sign_out_everywhere', target: user.username },
    });
    expect(rows.map((r) => r.userId).sort()).toEqual([user.id, admin.id].sort());
  });

  it('a change that does not revoke anything (same role again) keeps the session', async () => {
    const user = await newUser();
    browserToken = await signIn(user);
    await users.setRole(admin, user.id, 'operator', portal.runtime);
    expect(await getCurrentUser()).toMatchObject({ id: user.id });
  });
});
