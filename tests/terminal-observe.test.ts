import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { setTeamGrants } from '../lib/auth/grants';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';

/**
 * Watching someone's live terminal session: who may (admins, the owner; nobody else without the
 * `observe` permission), what the observer sees (the screen, then what the owner sees), what the owner
 * is told, ending a session with a reason, revocation mid-watch, and a stalled observer that never
 * slows the owner.
 */
let portal: Portal;

beforeAll(async () => {
  portal = await startPortal({
    lab: [
      { name: 'lab-watch', vendor: 'cisco_ios', port: 0, ...LAB_CREDS },
      { name: 'lab-flood', vendor: 'huawei_vrp', port: 0, ...LAB_CREDS, faults: { flood: true } },
    ],
  });
  // (the harness grants both operators every lab device: operate on it is not observe)
});
afterAll(() => portal.close());

async function ownSession(device = 'lab-watch', userId = portal.users.operator) {
  const deviceId = await portal.deviceId(device);
  const owner = await TestClient.open(portal, `/ws/terminal/${deviceId}`, userId);
  owner.send({ type: 'connect', cols: 100, rows: 30 });
  const { session_id } = await owner.waitFrame('terminal_connected');
  return { owner, sessionId: session_id as string, deviceId };
}

const observe = (sessionId: string, userId: string) =>
  TestClient.open(portal, `/ws/observe/${sessionId}`, userId);

function rawSocket(c: TestClient) {
  return (c.ws as WebSocket & { _socket: import('node:net').Socket })._socket;
}

describe('observing a live session', () => {
  it('an admin sees the screen, then what the owner types; the owner is told who watches; all audited', async () => {
    const { owner, sessionId } = await ownSession();
    await owner.waitOutput(/lab-watch>$/);
    owner.send({ type: 'input', data: 'show clock\r' });
    await owner.waitOutput(/show clock[\s\S]*lab-watch>$/);

    const admin = await observe(sessionId, portal.users.admin);
    const started = await admin.waitFrame('observe_started');
    expect(started).toMatchObject({
      session_id: sessionId,
      device: 'lab-watch',
      owner: 'op',
      cols: 100,
      rows: 30,
      can_end: true,
    });
    const screen = await admin.waitFrame('screen');
    expect(screen).toMatchObject({ cols: 100, rows: 30 });
    expect(screen.data).toContain('show clock');
    const told = await owner.waitFrame('terminal_observers');
    expect(told.observers).toEqual([{ name: 'admin', since: expect.any(String) }]);

    owner.send({ type: 'input', data: 'show clock\r' });
    await admin.waitOutput(/show clock[\s\S]*lab-watch>$/);
    // the owner resizes: the observer follows
    owner.send({ type: 'resize', cols: 120, rows: 40 });
    expect(await admin.waitFrame('resized')).toMatchObject({ cols: 120, rows: 40 });

    // an observer cannot type (only a pairing guest handed the keyboard does)
    admin.send({ type: 'input', data: 'reload\r' });
    expect(await admin.waitFrame('error')).toMatchObject({ code: 'not_in_control' });

    const before = owner.frames.length;
    await admin.close();
    const left = await owner.waitFrame('terminal_observers', 5000, before);
    expect(left.observers).toEqual([]);
    await vi.waitFor(async () => {
      const actions = (
        await portal.db.auditEvent.findMany({ where: { userId: portal.users.admin, target: 'lab-watch' } })
      ).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['terminal.observe', 'terminal.observe_end']));
    });
    owner.send({ type: 'close' });
    await owner.close();
  });

  it('others may not watch: another operator, a viewer, an unknown id; the owner may from another window', async () => {
    const { owner, sessionId } = await ownSession();
    expect(await TestClient.refusal(portal, `/ws/observe/${sessionId}`, portal.users.operator2)).toBe(404);
    expect(await TestClient.refusal(portal, `/ws/observe/${sessionId}`, portal.users.viewer)).toBe(404);
    expect(await TestClient.refusal(portal, '/ws/observe/no-such-session', portal.users.admin)).toBe(404);
    expect(await TestClient.refusal(portal, '/ws/observe/../terminal', portal.users.admin)).toBe(404);
    const mirror = await observe(sessionId, portal.users.operator);
    expect(await mirror.waitFrame('observe_started')).toMatchObject({ can_end: false });
    // only an admin ends sessions
    mirror.send({ type: 'end', reason: 'trying' });
    expect(await mirror.waitFrame('error')).toMatchObject({ code: 'not_allowed' });
    expect(portal.terminals.get(sessionId)).not.toBeNull();
    await mirror.close();
    owner.send({ type: 'close' });
    await owner.close();
  });

  it('an admin ends a session with a reason: the owner and every observer are told, and it is audited', async () => {
    const { owner, sessionId } = await ownSession();
    const admin = await observe(sessionId, portal.users.admin);
    await admin.waitFrame('screen');
    admin.send({ type: 'end', reason: '' });
    expect(await admin.waitFrame('error')).toMatchObject({ code: 'bad_frame' });
    admin.send({ type: 'end', reason: 'change freeze on core switches' });
    const closed = await owner.waitFrame('terminal_closed');
    expect(closed.reason).toBe('Ended by admin: change freeze on core switches');
    expect((await admin.waitFrame('terminal_closed')).reason).toBe(closed.reason);
    await admin.waitUntil(() => admin.closed, 'the observer socket to close');
    expect(portal.terminals.get(sessionId)).toBeNull();
    const ended = await portal.db.auditEvent.findFirst({
      where: { action: 'terminal.end', userId: portal.users.admin },
    });
    expect(ended?.detail).toContain('change freeze on core switches');
    await owner.close();
  });

  it('revoked access closes the watch at once', async () => {
    const { owner, sessionId } = await ownSession();
    const admin = await observe(sessionId, portal.users.admin);
    await admin.waitFrame('screen');
    // demoted: the role change publishes access.revoked for the user; the watch no longer holds
    await portal.db.user.update({ where: { id: portal.users.admin }, data: { role: 'operator' } });
    try {
      await portal.runtime.bus.publish('access.revoked', {
        userId: portal.users.admin,
        scope: { deviceIds: [] },
        reason: 'Your role changed.',
      });
      expect((await admin.waitFrame('terminal_closed')).reason).toMatch(/permission to observe/);
      await admin.waitUntil(() => admin.closed, 'the observer socket to close');
      // the owner's session goes on
      owner.send({ type: 'input', data: 'show clock\r' });
      await owner.waitOutput(/show clock[\s\S]*lab-watch>$/);
    } finally {
      await portal.db.user.update({ where: { id: portal.users.admin }, data: { role: 'admin' } });
    }
    owner.send({ type: 'close' });
    await owner.close();
  });

  it('a team granted observe on the device’s group watches; taking observe away closes the watch at once', async () => {
    const deviceId = await portal.deviceId('lab-watch');
    const group = await portal.db.deviceGroup.create({
      data: { name: 'watched-group', members: { create: { deviceId } } },
    });
    const team = await portal.db.team.create({
      data: { name: 'leads', members: { create: { userId: portal.users.operator2 } } },
    });
    const admin = { id: portal.users.admin, username: 'admin', displayName: '', role: 'admin' as const };
    const { owner, sessionId } = await ownSession();
    expect(await TestClient.refusal(portal, `/ws/observe/${sessionId}`, portal.users.operator2)).toBe(404);
    await setTeamGrants(
      admin,
      team.id,
      { groups: [{ id: group.id, level: 'view', observe: true }] },
      portal.runtime,
    );
    const lead = await observe(sessionId, portal.users.operator2);
    expect(await lead.waitFrame('observe_started')).toMatchObject({ can_end: false });
    await lead.waitFrame('screen');
    // the grant stays (op2 still operates the device), observing goes
    await setTeamGrants(admin, team.id, { groups: [{ id: group.id, level: 'view' }] }, portal.runtime);
    expect((await lead.waitFrame('terminal_closed')).reason).toMatch(/permission to observe/);
    await lead.waitUntil(() => lead.closed, 'the watch to close');
    // the owner's session and op2's own access are untouched
    expect(portal.terminals.get(sessionId)).not.toBeNull();
    owner.send({ type: 'close' });
    await owner.close();
  });

  it('a stalled observer never slows the owner: it is dropped behind, then resynced from the screen', async () => {
    const { owner, sessionId } = await ownSession('lab-flood');
    await owner.waitUntil(() => owner.outputTotal > 100_000, 'the flood to start');
    const watcher = await observe(sessionId, portal.users.admin);
    await watcher.waitFrame('screen');
    rawSocket(watcher).pause(); // an observer on a link that stopped
    const from = owner.outputTotal;
    const rssBefore = process.memoryUsage().rss;
    // the owner keeps getting the flood, many times what the observer may have queued
    await owner.waitUntil(() => owner.outputTotal > from + 8_000_000, 'the owner to keep flowing', 20_000);
    // (the owner's own socket may pause the device for a moment, as flow control does; the observer never)
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
    // reading again: the observer gets the whole screen again, then live output
    const seen = watcher.frames.length;
    rawSocket(watcher).resume();
    await watcher.waitFrame('screen', 15_000, seen + 1);
    const after = watcher.outputTotal;
    await watcher.waitUntil(
      () => watcher.outputTotal > after + 100_000,
      'live output after the resync',
      15_000,
    );
    await watcher.close();
    owner.send({ type: 'close' });
    await owner.close();
  });
});

describe('pairing', () => {
  it('the owner invites a teammate, hands over the keyboard and takes it back; who typed what is audited', async () => {
    const { owner, sessionId } = await ownSession();
    await owner.waitOutput(/lab-watch>$/);
    // not invited yet: op2 operates the device but may not watch
    expect(await TestClient.refusal(portal, `/ws/observe/${sessionId}`, portal.users.operator2)).toBe(404);
    owner.send({ type: 'invite', username: 'op2' });
    expect(await owner.waitFrame('terminal_guests')).toMatchObject({
      guests: [{ name: 'op2', control: false }],
    });
    const guest = await observe(sessionId, portal.users.operator2);
    await guest.waitFrame('screen');
    expect(await guest.waitFrame('control')).toMatchObject({ yours: false });
    // a guest types only with the keyboard handed over
    guest.send({ type: 'input', data: 'show clock\r' });
    expect(await guest.waitFrame('error')).toMatchObject({ code: 'not_in_control' });

    let from = guest.frames.length;
    owner.send({ type: 'hand_over', username: 'op2' });
    expect(await guest.waitFrame('control', 5000, from)).toMatchObject({ yours: true });
    guest.send({ type: 'input', data: 'show users\r' });
    await owner.waitOutput(/show users[\s\S]*lab-watch>$/);
    // the owner waits meanwhile
    const ownerFrom = owner.frames.length;
    owner.send({ type: 'input', data: 'x' });
    expect((await owner.waitFrame('terminal_error', 5000, ownerFrom)).error).toMatch(/op2 has control/);

    from = guest.frames.length;
    owner.send({ type: 'hand_over', username: null });
    expect(await guest.waitFrame('control', 5000, from)).toMatchObject({ yours: false });
    owner.send({ type: 'input', data: 'show clock\r' });
    await owner.waitOutput(/show clock[\s\S]*lab-watch>$/);

    await vi.waitFor(async () => {
      const rows = await portal.db.auditEvent.findMany({
        where: {
          target: 'lab-watch',
          action: { in: ['terminal.input', 'terminal.invite', 'terminal.control'] },
        },
        orderBy: { at: 'asc' },
      });
      const byWhom = rows.map(
        (r) =>
          `${r.userId === portal.users.operator2 ? 'op2' : r.userId === portal.users.operator ? 'op' : '?'} ${r.action} ${r.detail.replace(/^session \w+: /, '')}`,
      );
      expect(byWhom).toEqual(
        expect.arrayContaining([
          'op terminal.invite op2',
          'op terminal.control handed to op2',
          'op2 terminal.input show users',
          'op terminal.control taken back by the owner',
          'op terminal.input show clock',
        ]),
      );
    });

    // withdrawn: the guest's watch closes
    owner.send({ type: 'uninvite', username: 'op2' });
    expect((await guest.waitFrame('terminal_closed')).reason).toMatch(/ended your invitation/);
    await guest.waitUntil(() => guest.closed, 'the guest socket to close');
    owner.send({ type: 'close' });
    await owner.close();
  });

  it('an invitation to someone who may not see the device is refused; a viewer watches but never gets the keyboard', async () => {
    const stranger = await portal.db.user.create({
      data: { username: 'stranger', passwordHash: 'x', role: 'operator' },
    });
    const { owner, sessionId } = await ownSession();
    await owner.waitOutput(/lab-watch>$/);
    for (const username of ['stranger', 'nobody-by-that-name']) {
      const from = owner.frames.length;
      owner.send({ type: 'invite', username });
      expect(await owner.waitFrame('terminal_error', 5000, from)).toMatchObject({
        code: 'pairing_refused',
        error: `${username} cannot be invited: no such user may see lab-watch.`,
      });
    }
    expect(await TestClient.refusal(portal, `/ws/observe/${sessionId}`, stranger.id)).toBe(404);
    // the viewer sees the device: may watch, may not type
    owner.send({ type: 'invite', username: 'viewer' });
    await owner.waitFrame('terminal_guests');
    const watcher = await observe(sessionId, portal.users.viewer);
    await watcher.waitFrame('screen');
    const from = owner.frames.length;
    owner.send({ type: 'hand_over', username: 'viewer' });
    expect((await owner.waitFrame('terminal_error', 5000, from)).error).toMatch(/may only view/);
    await watcher.close();
    owner.send({ type: 'close' });
    await owner.close();
  });
});
