import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';

const HIGH = 256 * 1024;
const LOW = 64 * 1024;
let portal: Portal;

beforeAll(async () => {
  portal = await startPortal({
    lab: [
      { name: 'lab-flood', vendor: 'huawei_vrp', port: 0, ...LAB_CREDS, faults: { flood: true } },
      { name: 'lab-quiet', vendor: 'cisco_ios', port: 0, ...LAB_CREDS },
    ],
    waterMarks: { highBytes: HIGH, lowBytes: LOW },
  });
});
afterAll(() => portal.close());

function rawSocket(c: TestClient) {
  return (c.ws as WebSocket & { _socket: import('node:net').Socket })._socket;
}

describe('terminal backpressure', () => {
  it('a client that stops reading pauses the device, memory stays bounded, other sessions keep flowing', async () => {
    const floodId = await portal.deviceId('lab-flood');
    const slow = await TestClient.open(portal, `/ws/terminal/${floodId}`, portal.users.operator);
    slow.send({ type: 'connect' });
    const { session_id } = await slow.waitFrame('terminal_connected');
    await slow.waitUntil(() => slow.outputTotal > 100_000, 'the flood to start');
    const rssBefore = process.memoryUsage().rss;
    rawSocket(slow).pause(); // stop reading: the server's send buffer fills

    const session = portal.terminals.find(session_id as string, portal.users.operator, floodId)!;
    await vi.waitFor(() => expect(session.isPaused).toBe(true), { timeout: 15_000, interval: 20 });

    // Meanwhile another user's session on another device works normally.
    const other = await TestClient.open(
      portal,
      `/ws/terminal/${await portal.deviceId('lab-quiet')}`,
      portal.users.operator2,
    );
    other.send({ type: 'connect' });
    await other.waitOutput(/lab-quiet>$/);
    other.send({ type: 'input', data: 'show clock\r' });
    await other.waitOutput(/show clock[\s\S]*lab-quiet>$/);

    // The flood device is held: nothing more is queued for the stalled socket.
    expect(session.isPaused).toBe(true);
    // (one SSH chunk may land after the decision; the queue stays near the high-water mark)
    expect(session.bufferedBytes()).toBeLessThanOrEqual(HIGH + 128 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);

    // Reading again drains the buffer below the low-water mark and the output resumes.
    const before = slow.outputTotal;
    rawSocket(slow).resume();
    await slow.waitUntil(() => slow.outputTotal > before + 2_000_000, 'the flood to continue', 15_000);

    slow.send({ type: 'close' });
    other.send({ type: 'close' });
    await Promise.all([slow.waitFrame('terminal_closed', 15_000), other.waitFrame('terminal_closed')]);
    await Promise.all([slow.close(), other.close()]);
  });
});
