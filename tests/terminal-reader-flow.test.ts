import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';

/**
 * A browser cannot stop reading its socket; when its terminal falls behind it sends `flow` paused
 * (app/(portal)/terminal/reader-backlog.ts) and the session holds the device as it does for a full
 * socket, until the reader says it has caught up.
 */
let portal: Portal;

beforeAll(async () => {
  portal = await startPortal({
    lab: [{ name: 'lab-flood', vendor: 'huawei_vrp', port: 0, ...LAB_CREDS, faults: { flood: true } }],
  });
});
afterAll(() => portal.close());

describe('terminal flow frames from the reader', () => {
  it('a reader that is behind holds the device while its socket is empty; caught up, the flood goes on', async () => {
    const deviceId = await portal.deviceId('lab-flood');
    const reader = await TestClient.open(portal, `/ws/terminal/${deviceId}`, portal.users.operator);
    reader.send({ type: 'connect' });
    const { session_id } = await reader.waitFrame('terminal_connected');
    await reader.waitUntil(() => reader.outputTotal > 100_000, 'the flood to start');
    const session = portal.terminals.find(session_id as string, portal.users.operator, deviceId)!;

    reader.send({ type: 'flow', paused: true });
    await vi.waitFor(() => expect(session.isPaused).toBe(true), { timeout: 10_000, interval: 20 });
    // this client reads everything: the socket drains, and the device stays held all the same
    await vi.waitFor(() => expect(session.bufferedBytes()).toBe(0), { timeout: 10_000, interval: 20 });
    expect(session.isPaused).toBe(true);

    const before = reader.outputTotal;
    reader.send({ type: 'flow', paused: false });
    await reader.waitUntil(() => reader.outputTotal > before + 1_000_000, 'the flood to go on', 15_000);

    // a tab that reattaches (a reload) is not held by what the tab before it said
    reader.send({ type: 'flow', paused: true });
    await vi.waitFor(() => expect(session.isPaused).toBe(true), { timeout: 10_000, interval: 20 });
    const reloaded = await TestClient.open(portal, `/ws/terminal/${deviceId}`, portal.users.operator);
    reloaded.send({ type: 'connect', session_id });
    await reloaded.waitFrame('terminal_connected');
    await reloaded.waitUntil(() => reloaded.outputTotal > 1_000_000, 'the flood on the new tab', 15_000);

    // a flow frame before any session is ignored (nothing to hold)
    const early = await TestClient.open(portal, `/ws/terminal/${deviceId}`, portal.users.operator);
    early.send({ type: 'flow', paused: true });
    early.send({ type: 'ping', ts: 1 });
    await early.waitFrame('pong');
    expect(early.frames.filter((f) => f.type === 'error' || f.type === 'terminal_error')).toEqual([]);

    reloaded.send({ type: 'close' });
    await reloaded.waitFrame('terminal_closed', 15_000);
    await Promise.all([reader.close(), reloaded.close(), early.close()]);
  });
});
