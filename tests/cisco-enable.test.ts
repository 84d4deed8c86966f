import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import { createTask, getTaskDetail } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, type Portal } from './harness';

let portal: Portal;

beforeAll(async () => {
  // lab-ios-0x answer `show running-config` only in privileged mode, after `enable` + the secret
  portal = await startPortal({ lab: defaultLabFleet(2, LAB_CREDS, 'cisco_ios') });
});
afterAll(() => portal.close());

describe('tasks on Cisco IOS enter enable mode (finding 4)', () => {
  it('show running-config on a device with an enable secret returns the configuration', async () => {
    const operator = { id: portal.users.operator, role: 'operator' as const };
    const deviceId = await portal.deviceId('lab-ios-01');
    const r = await createTask(
      operator,
      {
        name: 'running config',
        commands: 'show running-config',
        deviceIds: [deviceId],
        concurrency: '1',
        timeoutSeconds: '10',
      },
      portal.tasks,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    await vi.waitFor(
      async () => {
        const t = await portal.db.task.findUniqueOrThrow({ where: { id: r.id } });
        expect(['completed', 'failed', 'cancelled', 'interrupted']).toContain(t.status);
      },
      { timeout: 20_000, interval: 50 },
    );
    const detail = (await getTaskDetail(operator, r.id, portal.tasks))!;
    const device = detail.devices[0]!;
    expect(device.error).toBeNull();
    expect(device.status).toBe('success');
    expect(detail.task.status).toBe('completed');
    const out = device.outputs[0]!;
    expect(out.status).toBe('success');
    expect(out.output).not.toMatch(/Invalid input/);
    expect(out.output).toMatch(/^Building configuration\.\.\./);
    expect(out.output).toContain('hostname lab-ios-01');
    expect(out.output).toMatch(/\nend\n*$/); // the blank line IOS prints after `end` is kept
  });
});
