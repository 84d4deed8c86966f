import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiToken, revokeApiToken } from '../lib/auth/tokens';
import { startPortal, type Portal } from './harness';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal({ tokenRecheckMs: 200 });
});
afterAll(async () => {
  await portal.close();
});

async function mint(userId: string, scope: 'read' | 'write') {
  const r = await createApiToken({ id: userId }, { name: `ws-${scope}`, scope }, portal.runtime);
  if (!r.ok) throw new Error('not created');
  return r;
}

/** A script's socket: a bearer token, no Origin, no cookie. */
function open(path: string, token: string | null, headers: Record<string, string> = {}) {
  const ws = new WebSocket(portal.wsBase + path, {
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
  });
  const frames: { type: string; [k: string]: unknown }[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as { type: string }));
  const ready = new Promise<number>((resolve) => {
    ws.once('open', () => resolve(101));
    ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
  return { ws, frames, ready };
}

describe('WebSockets with an API token', () => {
  it('a script watches /ws/monitor/tasks with a token and no Origin; bad tokens get 401', async () => {
    const { token } = await mint(portal.users.operator, 'read');
    const ok = open('/ws/monitor/tasks', token);
    expect(await ok.ready).toBe(101);
    ok.ws.close();
    expect(await open('/ws/monitor/tasks', 'sb_' + 'A'.repeat(42)).ready).toBe(401);
    expect(await open('/ws/monitor/tasks', null, { Authorization: 'Token abc' }).ready).toBe(401);
    // without a token the old rules hold: no cookie, no socket
    expect(await open('/ws/monitor/tasks', null).ready).toBe(403);
  });

  it('a read token cannot open a terminal; a write token of an operator can', async () => {
    const lab = await portal.deviceId('lab-vrp-01');
    const read = await mint(portal.users.operator, 'read');
    expect(await open(`/ws/terminal/${lab}`, read.token).ready).toBe(403);
    const write = await mint(portal.users.operator, 'write');
    const t = open(`/ws/terminal/${lab}`, write.token);
    expect(await t.ready).toBe(101);
    t.ws.send(JSON.stringify({ type: 'connect' }));
    await expect
      .poll(() => t.frames.find((f) => f.type === 'terminal_connected'), { timeout: 10_000 })
      .toBeTruthy();
    t.ws.close();
    // a viewer's terminal is read-only (the guard rails' read-only rules)
    const viewer = await mint(portal.users.viewer, 'write');
    const v = open(`/ws/terminal/${lab}`, viewer.token);
    expect(await v.ready).toBe(101);
    v.ws.send(JSON.stringify({ type: 'connect' }));
    await expect
      .poll(() => v.frames.find((f) => f.type === 'terminal_connected'), { timeout: 10_000 })
      .toMatchObject({ read_only: true });
    v.ws.close();
  });

  it('revoking a token closes its open sockets at once, and only its own', async () => {
    const a = await mint(portal.users.operator2, 'read');
    const b = await mint(portal.users.operator2, 'read');
    const sa = open('/ws/notifications', a.token);
    const sb = open('/ws/notifications', b.token);
    expect([await sa.ready, await sb.ready]).toEqual([101, 101]);
    const closed = once(sa.ws, 'close');
    await revokeApiToken({ id: portal.users.operator2, role: 'operator' }, a.view.id, portal.runtime);
    const [code, reason] = (await closed) as [number, Buffer];
    expect(code).toBe(1008);
    expect(reason.toString()).toContain('revoked');
    expect(sb.ws.readyState).toBe(WebSocket.OPEN);
    expect(await open('/ws/notifications', a.token).ready).toBe(401);
    sb.ws.close();
  });

  it('a token revoked behind the portal’s back (the CLI, another node) or expiring closes its sockets on the next check', async () => {
    const t = await mint(portal.users.operator2, 'read');
    const s = open('/ws/notifications', t.token);
    expect(await s.ready).toBe(101);
    const closed = once(s.ws, 'close');
    await portal.db.apiToken.update({
      where: { id: t.view.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const [code, reason] = (await closed) as [number, Buffer];
    expect([code, reason.toString()]).toEqual([1008, 'This token has expired.']);
  });
});
