/**
 * Every way the lab can be reached, through the portal's one device login and a batch task: telnet
 * (each vendor's own login, GBK output), a console line over telnet (no login of its own), a
 * legacy-only SSH device (legacy profile), and a keyboard-interactive login that asks for a token
 * (which the portal cannot answer: a clear reason, not a hang).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LabDeviceSpec } from '../lab/types';
import { createTask, getTaskDetail } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, type Portal } from './harness';

let portal: Portal;
const spec = (
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
      spec('tn-vrp', 'huawei_vrp', { transport: 'telnet', encoding: 'gbk' }),
      spec('tn-ios', 'cisco_ios', { transport: 'telnet' }),
      spec('tn-h3c', 'h3c_comware', { transport: 'telnet' }),
      spec('tn-junos', 'juniper_junos', { transport: 'telnet' }),
      spec('con-vrp', 'huawei_vrp', { transport: 'telnet', kind: 'console_line' }),
      spec('old-ios', 'cisco_ios', { sshAlgorithms: 'legacy-only' }),
      spec('otp-vrp', 'huawei_vrp', { auth: 'keyboard-interactive-token', token: '123456' }),
    ],
  });
  // the harness grants operators every lab device
});
afterAll(() => portal.close());

const operator = { id: '', role: 'operator' as const };

async function runOn(names: string[], commands: Record<string, string>) {
  operator.id = portal.users.operator;
  const byDevice = await Promise.all(
    names.map(async (n) => {
      const r = await createTask(
        operator,
        {
          name: n,
          commands: commands[n]!,
          deviceIds: [await portal.deviceId(n)],
          concurrency: '1',
          timeoutSeconds: '30',
        },
        portal.tasks,
      );
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.id;
    }),
  );
  const out: Record<string, Awaited<ReturnType<typeof getTaskDetail>>> = {};
  for (const [i, id] of byDevice.entries()) {
    await vi.waitFor(
      async () =>
        expect(['completed', 'failed']).toContain(
          (await portal.db.task.findUniqueOrThrow({ where: { id } })).status,
        ),
      { timeout: 30_000, interval: 50 },
    );
    out[names[i]!] = await getTaskDetail(operator, id, portal.tasks);
  }
  return out;
}

describe('lab devices over every transport, through a task', () => {
  it('telnet for each vendor (GBK included), a console line, a legacy-only SSH device', async () => {
    const commands = {
      'tn-vrp': 'display interface description',
      'tn-ios': 'show running-config',
      'tn-h3c': 'display version',
      'tn-junos': 'show version',
      'con-vrp': 'display clock',
      'old-ios': 'show version',
    };
    const r = await runOn(Object.keys(commands), commands);
    for (const [name, d] of Object.entries(r)) {
      const dev = d!.devices[0]!;
      expect(dev.status, `${name}: ${dev.error}`).toBe('success');
    }
    expect(r['tn-vrp']!.devices[0]!.outputs[0]!.output).toMatch(/[\u4e00-\u9fff]/); // GBK decoded
    expect(r['tn-ios']!.devices[0]!.outputs[0]!.output).toContain('hostname tn-ios'); // enable over telnet
    expect(r['tn-junos']!.devices[0]!.outputs[0]!.output).toMatch(/Junos:/);
    const old = await portal.db.device.findUniqueOrThrow({ where: { name: 'old-ios' } });
    expect(JSON.parse(old.negotiatedAlgorithms!)).toMatchObject({
      serverHostKey: 'ssh-rsa',
      cipher: 'aes128-cbc',
    });
  });

  it('a login that asks for a one-time token fails at once, saying what it asked', async () => {
    const t0 = Date.now();
    const r = await runOn(['otp-vrp'], { 'otp-vrp': 'display clock' });
    const dev = r['otp-vrp']!.devices[0]!;
    expect(dev.status).toBe('failed');
    expect(dev.error).toMatch(/asks «Token:» at login/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
