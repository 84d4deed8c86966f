import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CurrentUser } from '../lib/auth/session';
import * as users from '../lib/auth/users';
import { setUserGrants } from '../lib/auth/grants';
import { startPortal, TestClient, type Portal } from './harness';

/**
 * Finding 2: revoking access must close what is already open. Before the fix a disabled user kept
 * typing into their terminal (the check ran only at connect, and typing reset the idle timer).
 */
let portal: Portal;
let admin: CurrentUser;

beforeAll(async () => {
  portal = await startPortal();
  admin = { id: portal.users.admin, username: 'admin', displayName: '', role: 'admin' };
});
afterAll(() => portal.close());

let n = 0;
/** A fresh operator granted every lab device (each test revokes someone of its own). */
async function newOperator(): Promise<{ id: string; username: string }> {
  const username = `rev-op-${++n}`;
  const u = await portal.db.user.create({ data: { username, role: 'operator', passwordHash: 'unused' } });
  for (const d of await portal.db.device.findMany())
    await portal.db.deviceGrant.create({ data: { userId: u.id, deviceId: d.id } });
  return { id: u.id, username };
}

type Closed = { code: number; reason: string };
interface Tracked {
  client: TestClient;
  closedWith: Promise<Closed>;
}

async function open(path: string, userId: string): Promise<Tracked> {
  const client = await TestClient.open(portal, path, userId);
  const closedWith = new Promise<Closed>((resolve) =>
    client.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return { client, closedWith };
}

async function openTerminal(userId: string, device: string): Promise<Tracked & { sessionId: string }> {
  const deviceId = await portal.deviceId(device);
  const t = await open(`/ws/terminal/${deviceId}`, userId);
  t.client.send({ type: 'connect', cols: 80, rows: 24 });
  const hello = await t.client.waitFrame('terminal_connected', 10_000);
  await t.client.waitOutput(new RegExp(`${device}[>#]$`), 10_000);
  return { ...t, sessionId: hello.session_id as string };
}

async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stillAnswers(t: Tracked, device: string) {
  const from = t.client.outputTotal;
  t.client.send({ type: 'input', data: '\r' });
  await t.client.waitUntil(
    () => t.client.outputTotal > from && new RegExp(`${device}[>#]$`).test(t.client.output),
    `a fresh prompt from ${device}`,
  );
  expect(t.client.closed).toBe(false);
}

async function closeTerminal(t: Tracked) {
  if (t.client.closed) return;
  t.client.send({ type: 'close' });
  await t.client.waitFrame('terminal_closed');
  await t.client.close();
}

describe('revoking access closes what is already open, at once, with a reason', () => {
  const everything: [string, (u: { id: string }) => Promise<unknown>, RegExp][] = [
    ['disabling the user', (u) => users.setDisabled(admin, u.id, true, portal.runtime), /disabled/i],
    [
      'resetting their password',
      (u) => users.resetPassword(admin, u.id, 'a-new-password-1234', portal.runtime),
      /password/i,
    ],
    [
      'signing them out everywhere',
      (u) => users.signOutEverywhere(admin, u.id, portal.runtime),
      /signed out/i,
    ],
  ];

  it.each(everything)(
    '%s closes their terminal, monitor and notification sockets and their terminal session',
    async (_what, act, reason) => {
      const victim = await newOperator();
      const term = await openTerminal(victim.id, 'lab-vrp-01');
      const monitor = await open('/ws/monitor/tasks', victim.id);
      const feed = await open('/ws/notifications', victim.id);
      // someone else's sockets stay up
      const bystander = await openTerminal(portal.users.operator, 'lab-vrp-01');
      const bystanderFeed = await open('/ws/notifications', portal.users.operator);

      await act(victim);

      const closedFrame = await term.client.waitFrame('terminal_closed');
      expect(closedFrame.reason).toMatch(reason);
      for (const t of [term, monitor, feed]) {
        const closed = await t.closedWith;
        expect(closed.code).toBe(1008); // policy: the browser does not retry
        expect(closed.reason).toMatch(reason);
      }
      expect(
        portal.terminals.find(term.sessionId, victim.id, await portal.deviceId('lab-vrp-01')),
      ).toBeNull();
      // the server forgets each socket when its closing handshake completes
      await until(() => portal.realtime.manager.connectionsOf(victim.id).length === 0, 'sockets forgotten');
      const audit = await portal.db.auditEvent.findFirst({
        where: { action: 'access.revoked', target: victim.username },
      });
      expect(audit?.detail).toMatch(reason);
      expect(
        await portal.db.auditEvent.findFirst({
          where: { action: 'terminal.close', target: 'lab-vrp-01', userId: victim.id },
        }),
      ).toMatchObject({ detail: expect.stringMatching(reason) });

      await stillAnswers(bystander, 'lab-vrp-01');
      expect(bystanderFeed.client.closed).toBe(false);
      await closeTerminal(bystander);
      await bystanderFeed.client.close();
    },
  );

  it('removing one device grant closes only that device’s terminal of that user', async () => {
    const victim = await newOperator();
    const lost = await openTerminal(victim.id, 'lab-vrp-01');
    const kept = await openTerminal(victim.id, 'lab-ios-01');
    const feed = await open('/ws/notifications', victim.id);
    const other = await openTerminal(portal.users.operator2, 'lab-vrp-01');

    const keep = (await portal.db.device.findMany()).filter((d) => d.name !== 'lab-vrp-01').map((d) => d.id);
    await setUserGrants(admin, victim.id, { devices: keep }, portal.runtime);

    expect((await lost.client.waitFrame('terminal_closed')).reason).toMatch(
      /access to .*lab-vrp-01.* removed/i,
    );
    expect((await lost.closedWith).code).toBe(1008);
    expect(portal.terminals.find(lost.sessionId, victim.id, await portal.deviceId('lab-vrp-01'))).toBeNull();
    await stillAnswers(kept, 'lab-ios-01');
    await stillAnswers(other, 'lab-vrp-01');
    expect(feed.client.closed).toBe(false);
    expect(
      await portal.db.auditEvent.findFirst({ where: { action: 'access.revoked', target: victim.username } }),
    ).not.toBeNull();
    await closeTerminal(kept);
    await closeTerminal(other);
    await feed.client.close();
  });

  it('a role change to viewer closes their terminals', async () => {
    const victim = await newOperator();
    const term = await openTerminal(victim.id, 'lab-ios-01');
    await users.setRole(admin, victim.id, 'viewer', portal.runtime);
    expect((await term.client.waitFrame('terminal_closed')).reason).toMatch(/role/i);
    expect((await term.closedWith).code).toBe(1008);
    expect(portal.terminals.find(term.sessionId, victim.id, await portal.deviceId('lab-ios-01'))).toBeNull();
  });

  it('a revocation published by another node (on the event bus) closes this node’s sockets', async () => {
    const victim = await newOperator();
    const term = await openTerminal(victim.id, 'lab-vrp-02');
    const feed = await open('/ws/notifications', victim.id);
    await portal.bus.publish('access.revoked', {
      userId: victim.id,
      scope: 'all',
      reason: 'Your account was disabled.',
    });
    expect((await term.client.waitFrame('terminal_closed')).reason).toBe('Your account was disabled.');
    expect(await feed.closedWith).toEqual({ code: 1008, reason: 'Your account was disabled.' });
    expect(portal.terminals.find(term.sessionId, victim.id, await portal.deviceId('lab-vrp-02'))).toBeNull();
  });
});
