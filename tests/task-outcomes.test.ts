/**
 * What a task reports for each device after the driver rewrite: privileged output with enable, a
 * rejected command named and the rest `not run`, questions answered or failing at once, a command that
 * ends the session named, the task's own failure and expected-output patterns, per-command timeouts
 * and a cancel that does not wait for the device.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import type { LabDeviceSpec } from '../lab/types';
import { cancelTask, createTask, getTaskDetail } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, type Portal } from './harness';

let portal: Portal;
const special = (
  name: string,
  vendor: LabDeviceSpec['vendor'],
  extra: Partial<LabDeviceSpec>,
): LabDeviceSpec => ({
  name,
  vendor,
  port: 0,
  ...LAB_CREDS,
  ...extra,
});

beforeAll(async () => {
  portal = await startPortal({
    lab: [
      ...defaultLabFleet(4, LAB_CREDS, 'cisco_ios'),
      ...defaultLabFleet(2, LAB_CREDS, 'huawei_vrp'),
      special('slow-vrp', 'huawei_vrp', { latencyMs: 5_000 }),
    ],
  });
});
afterAll(() => portal.close());

const operator = () => ({ id: portal.users.operator, role: 'operator' as const });

async function run(names: string[], input: Record<string, unknown>) {
  const deviceIds = await Promise.all(names.map((n) => portal.deviceId(n)));
  const r = await createTask(
    operator(),
    { name: 't', concurrency: '4', timeoutSeconds: '30', deviceIds, ...input },
    portal.tasks,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.id;
}

async function final(id: string) {
  await vi.waitFor(
    async () => {
      const t = await portal.db.task.findUniqueOrThrow({ where: { id } });
      expect(['completed', 'failed', 'cancelled', 'interrupted']).toContain(t.status);
    },
    { timeout: 30_000, interval: 50 },
  );
  return (await getTaskDetail(operator(), id, portal.tasks))!;
}

describe('task outcomes', () => {
  it('show version + show running-config on Cisco devices with an enable secret: privileged output on every device', async () => {
    // lab-ios-02 is not granted to operators by the harness; the others are
    const names = ['lab-ios-01', 'lab-ios-03', 'lab-ios-04'];
    const d = await final(await run(names, { commands: 'show version\nshow running-config' }));
    expect(d.task.status).toBe('completed');
    for (const dev of d.devices) {
      expect(dev.status, dev.error ?? '').toBe('success');
      expect(dev.outputs.map((o) => o.status)).toEqual(['success', 'success']);
      expect(dev.outputs[0]!.output).toMatch(/Cisco IOS XE Software/);
      expect(dev.outputs[1]!.output).toContain(`hostname ${dev.deviceName}`);
    }
  });

  it('a rejected command fails the device, naming it and the message; the rest are not run', async () => {
    const d = await final(
      await run(['lab-vrp-01'], { commands: 'display clock\ndisplay nonsense\ndisplay version' }),
    );
    const dev = d.devices[0]!;
    expect(dev.status).toBe('failed');
    expect(dev.error).toMatch(/The device rejected "display nonsense": Error: Unrecognized command/);
    expect(dev.outputs.map((o) => o.status)).toEqual(['success', 'error', 'not_run']);
  });

  it('a question is answered when the task says how; unanswered it fails at once, showing it', async () => {
    const answered = await final(
      await run(['lab-vrp-01'], {
        commands: 'save',
        commandOptions: JSON.stringify([{ command: 'save', answers: [{ prompt: '[Y/N]', answer: 'y' }] }]),
      }),
    );
    expect(answered.devices[0]!.status).toBe('success');
    const t0 = Date.now();
    const unanswered = await final(await run(['lab-vrp-02'], { commands: 'save\ndisplay clock' }));
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(unanswered.devices[0]!.error).toMatch(/"save" asked «.*\[Y\/N\]/);
    expect(unanswered.devices[0]!.outputs.map((o) => o.status)).toEqual(['error', 'not_run']);
  });

  it('a command that ends the session is named; the commands after it are not run', async () => {
    const d = await final(
      await run(['lab-ios-03'], {
        commands: 'show clock\nreload\nshow version',
        // the guard rails ask operators to confirm reload (its device's name)
        confirmGuarded: 'lab-ios-03',
        commandOptions: JSON.stringify([
          { command: 'reload', answers: [{ prompt: '[confirm]', answer: '' }] },
        ]),
      }),
    );
    const dev = d.devices[0]!;
    expect(dev.status).toBe('failed');
    expect(dev.error).toMatch(/closed the session while running "reload"/);
    expect(dev.outputs.map((o) => o.status)).toEqual(['success', 'error', 'not_run']);
  });

  it("the task's failure patterns and expected output decide too", async () => {
    const failing = await final(
      await run(['lab-ios-01'], { commands: 'show version', failurePatterns: '(?i)cisco ios xe' }),
    );
    expect(failing.devices[0]!.error).toMatch(/matches the failure pattern/);
    const expected = await final(
      await run(['lab-ios-01', 'lab-vrp-01'], { commands: 'show version', expectOutput: 'IOS XE' }),
    );
    const byName = Object.fromEntries(expected.devices.map((x) => [x.deviceName, x]));
    expect(byName['lab-ios-01']!.status).toBe('success');
    // VRP rejects `show version`, which fails it before the expected output is looked at
    expect(byName['lab-vrp-01']!.status).toBe('failed');
  });

  it("a command's own timeout bounds that command only; cancel does not wait for the device", async () => {
    const t0 = Date.now();
    const d = await final(
      await run(['slow-vrp'], {
        commands: 'display clock',
        timeoutSeconds: '60',
        commandOptions: JSON.stringify([{ command: 'display clock', timeoutSeconds: 1 }]),
      }),
    );
    expect(d.devices[0]!.error).toMatch(/No prompt within 1 s while running "display clock"/);
    expect(Date.now() - t0).toBeLessThan(50_000);

    const id = await run(['slow-vrp'], { commands: 'display clock', timeoutSeconds: '60' });
    await vi.waitFor(
      async () => {
        const row = await portal.db.taskDevice.findFirstOrThrow({ where: { taskId: id } });
        expect(row.status).toBe('running');
      },
      { timeout: 10_000, interval: 20 },
    );
    const c0 = Date.now();
    expect((await cancelTask(operator(), id, portal.tasks)).ok).toBe(true);
    const cancelled = await final(id);
    expect(Date.now() - c0).toBeLessThan(2_000);
    expect(cancelled.devices[0]!.status).toBe('cancelled');
  });
});
