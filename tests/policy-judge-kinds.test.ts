import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessEventBus } from '../lib/events/in-process';
import { PolicyService } from '../lib/policy/service';
import { freshDatabase } from './helpers';

/**
 * judgeCommands judges each kind of device (vendor, groups, commands) once and gives every device
 * of that kind the same verdicts: devices that differ in any of the three must still be judged apart.
 */

const { db } = freshDatabase();
const policy = new PolicyService({ db, bus: new InProcessEventBus(), audit: async () => {} });
const actor = { id: 'u-op', role: 'operator' as const, name: 'op' };
let coreGroup = '';

const device = (id: string, vendor: string, commands: string[]) => ({
  id,
  name: id,
  vendor,
  host: `${id}.example`,
  commands,
});

beforeAll(async () => {
  await db.user.create({ data: { id: actor.id, username: 'op', role: 'operator', passwordHash: 'x' } });
  for (const [id, vendor] of [
    ['core-1', 'huawei_vrp'],
    ['core-2', 'huawei_vrp'],
    ['edge-1', 'huawei_vrp'],
    ['edge-2', 'huawei_vrp'],
    ['ios-1', 'cisco_ios'],
  ] as const)
    await db.device.create({
      data: {
        id,
        name: id,
        host: `${id}.example`,
        port: 22,
        vendor,
        username: 'u',
        authType: 'password',
        secretEnc: '',
      },
    });
  coreGroup = (await db.deviceGroup.create({ data: { name: 'core' } })).id;
  for (const deviceId of ['core-1', 'core-2'])
    await db.deviceGroupMember.create({ data: { groupId: coreGroup, deviceId } });
  await policy.start();
  // at the top: rules decide in order, and the built-in ones ask operators to confirm some commands
  const top = policy.rules()[0]?.id;
  for (const rule of [
    { name: 'no clock on core', patterns: ['display clock'], action: 'deny', groupIds: [coreGroup] },
    { name: 'no version on IOS', patterns: ['show version'], action: 'deny', vendors: ['cisco_ios'] },
    { name: 'confirm interfaces', patterns: ['display interface'], action: 'confirm' },
  ]) {
    const made = await policy.create('u-admin', rule, top);
    if (!made.ok) throw new Error(made.error);
  }
});
afterAll(async () => {
  policy.stop();
  await db.$disconnect();
});

describe('judgeCommands over many devices', () => {
  it('judges devices of one vendor apart by their groups, and of one group apart by vendor and commands', async () => {
    const verdicts = await policy.judgeCommands(actor, [
      device('core-1', 'huawei_vrp', ['display clock']),
      device('edge-1', 'huawei_vrp', ['display clock']),
      device('core-2', 'huawei_vrp', ['display clock']),
      device('edge-2', 'huawei_vrp', ['display interface brief', 'display clock']),
      device('edge-1', 'huawei_vrp', ['show version']),
      device('ios-1', 'cisco_ios', ['show version']),
    ]);
    const of = (list: typeof verdicts.deny) =>
      list.map((v) => `${v.device.id}: ${v.command} (${v.decision.rule?.name})`);
    expect(of(verdicts.deny)).toEqual([
      'core-1: display clock (no clock on core)',
      'core-2: display clock (no clock on core)',
      'ios-1: show version (no version on IOS)',
    ]);
    expect(of(verdicts.confirm)).toEqual(['edge-2: display interface brief (confirm interfaces)']);
    expect(verdicts.approve).toEqual([]);
  });

  it('gives each device of one kind its own verdict, naming that device', async () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      device(i % 2 ? 'core-1' : 'core-2', 'huawei_vrp', ['display version', 'display clock']),
    );
    const verdicts = await policy.judgeCommands(actor, many);
    expect(verdicts.deny).toHaveLength(300);
    expect(verdicts.deny.map((v) => v.device)).toEqual(many);
    expect(new Set(verdicts.deny.map((v) => v.command))).toEqual(new Set(['display clock']));
  });
});
