import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';

let portal: Portal | undefined;
afterEach(async () => {
  await portal?.close();
  portal = undefined;
});

describe('terminal session lifetime', () => {
  it('after the resume grace period the SSH session is closed and a reattach says so', async () => {
    portal = await startPortal({ lab: defaultLabFleet(1, LAB_CREDS), resumeGraceMs: 300 });
    const id = await portal.deviceId('lab-vrp-01');
    const c = await TestClient.open(portal, `/ws/terminal/${id}`, portal.users.operator);
    c.send({ type: 'connect' });
    const { session_id } = await c.waitFrame('terminal_connected');
    await c.close();
    expect(portal.terminals.count()).toBe(1); // kept for the grace period
    await vi.waitFor(() => expect(portal!.terminals.count()).toBe(0), { timeout: 5000, interval: 25 });

    const back = await TestClient.open(portal, `/ws/terminal/${id}`, portal.users.operator);
    back.send({ type: 'connect', session_id: session_id as string });
    expect(await back.waitFrame('terminal_error')).toMatchObject({ code: 'session_expired' });
    await back.close();
    const closed = await portal.db.auditEvent.findFirstOrThrow({ where: { action: 'terminal.close' } });
    expect(closed.detail).toMatch(/grace period/);
  });

  it('an idle session is closed with a reason the tab can show', async () => {
    portal = await startPortal({ lab: defaultLabFleet(1, LAB_CREDS), idleTimeoutMs: 1000 });
    const c = await TestClient.open(
      portal,
      `/ws/terminal/${await portal.deviceId('lab-vrp-01')}`,
      portal.users.operator,
    );
    c.send({ type: 'connect' });
    await c.waitFrame('terminal_connected');
    // warned a quarter of the timeout before (60 s before, with the default 30 minutes)
    expect((await c.waitFrame('terminal_notice', 5000)).message).toMatch(/^Idle: this session closes in 1 s/);
    expect((await c.waitFrame('terminal_closed', 5000)).reason).toBe(
      'Closed after 1 s with no input or output.',
    );
    await c.close();
  });

  it('output counts as activity: a device that keeps printing (top, a log) is not closed as idle', async () => {
    portal = await startPortal({
      lab: [{ ...defaultLabFleet(1, LAB_CREDS)[0]!, name: 'lab-flood', faults: { flood: true } }],
      idleTimeoutMs: 1000,
    });
    const c = await TestClient.open(
      portal,
      `/ws/terminal/${await portal.deviceId('lab-flood')}`,
      portal.users.operator,
    );
    c.send({ type: 'connect' });
    await c.waitFrame('terminal_connected');
    // three idle timeouts of output and no typing: still open, never warned
    const t0 = Date.now();
    await c.waitUntil(() => (Date.now() - t0 > 3000 ? true : undefined), '3 s of output', 5000);
    expect(c.frames.some((f) => f.type === 'terminal_closed' || f.type === 'terminal_notice')).toBe(false);
    c.send({ type: 'close' });
    await c.close();
  });
});
