import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(1, LAB_CREDS) });
});
afterAll(async () => {
  await portal.close();
});

async function connect(deviceId: string) {
  const c = await TestClient.open(portal, `/ws/terminal/${deviceId}`, portal.users.admin);
  c.send({ type: 'connect' });
  const answer = await c.waitUntil(
    () => c.frames.find((f) => f.type === 'terminal_connected' || f.type === 'terminal_error'),
    'an answer',
  );
  return { c, answer };
}

describe('host key changes', () => {
  it('a changed key is refused until an admin accepts exactly the offered key', async () => {
    const { acceptOfferedHostKey, forgetHostKey } = await import('../lib/devices/host-keys');
    const admin = { id: portal.users.admin, username: 'admin', displayName: '', role: 'admin' as const };
    const id = await portal.deviceId('lab-vrp-01');
    await portal.db.device.update({
      where: { id },
      data: { hostKeyFingerprint: 'SHA256:' + 'B'.repeat(43) },
    });

    const refused = await connect(id);
    expect(refused.answer).toMatchObject({ type: 'terminal_error', code: 'host_key_mismatch' });
    await refused.c.close();
    const { offeredHostKeyFingerprint } = await portal.db.device.findUniqueOrThrow({ where: { id } });

    expect(await acceptOfferedHostKey(admin, id, 'SHA256:' + 'C'.repeat(43), portal.runtime)).toMatchObject({
      ok: false,
    });
    expect(await acceptOfferedHostKey(admin, id, offeredHostKeyFingerprint!, portal.runtime)).toMatchObject({
      ok: true,
    });
    const accepted = await connect(id);
    expect(accepted.answer).toMatchObject({ type: 'terminal_connected' });
    accepted.c.send({ type: 'close' });
    await accepted.c.waitFrame('terminal_closed');
    await accepted.c.close();

    expect(await forgetHostKey(admin, id, portal.runtime)).toMatchObject({ ok: true });
    expect((await portal.db.device.findUniqueOrThrow({ where: { id } })).hostKeyFingerprint).toBeNull();
    const audit = await portal.db.auditEvent.findMany({
      where: { action: { startsWith: 'device.hostkey' } },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(['device.hostkey_accept', 'device.hostkey_forget']);
  });
});
