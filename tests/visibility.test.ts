import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../lib/auth/roles';
import { createPrismaClient, type PrismaClient } from '../lib/db/client';
import {
  deviceAccessWhere,
  effectiveLevel,
  type GrantLevel,
  usersSeeingDeviceWhere,
} from '../lib/devices/visibility';
import { freshDatabase } from './helpers';

/**
 * The one access rule, checked against a model written independently of the query: for every
 * scenario (users × teams × groups × levels × roles) the devices the SQL finds must be exactly the
 * ones the model grants, at both levels, and the users who receive a device's notifications must be
 * exactly those who see it.
 */

let db: PrismaClient;
let queries = 0;

beforeAll(() => {
  const { url } = freshDatabase();
  db = createPrismaClient(url, { log: [{ emit: 'event', level: 'query' }] });
  // every SQL statement the client sends (the log option types $on loosely; this is its documented use)
  (db as unknown as { $on(event: 'query', cb: () => void): void }).$on('query', () => queries++);
});
afterAll(() => db.$disconnect());

const DEVICES = ['d0', 'd1', 'd2', 'd3'] as const;
/** gA holds d0,d1; gB holds d1,d2; d3 is in no group. */
const GROUPS: Record<string, readonly string[]> = { gA: ['d0', 'd1'], gB: ['d1', 'd2'] };

interface Scenario {
  name: string;
  role: Role;
  /** Teams the user is in. */
  teams?: string[];
  userDevice?: [string, GrantLevel][];
  userGroup?: [string, GrantLevel][];
  teamDevice?: [string, string, GrantLevel][];
  teamGroup?: [string, string, GrantLevel][];
}

/** The model: every grant that reaches the user, per device, then the role's cap. */
function model(s: Scenario): Record<string, GrantLevel | null> {
  const levels: Record<string, GrantLevel[]> = Object.fromEntries(DEVICES.map((d) => [d, []]));
  const mine = new Set(s.teams ?? []);
  for (const [d, l] of s.userDevice ?? []) levels[d]!.push(l);
  for (const [g, l] of s.userGroup ?? []) for (const d of GROUPS[g]!) levels[d]!.push(l);
  for (const [t, d, l] of s.teamDevice ?? []) if (mine.has(t)) levels[d]!.push(l);
  for (const [t, g, l] of s.teamGroup ?? []) if (mine.has(t)) for (const d of GROUPS[g]!) levels[d]!.push(l);
  return Object.fromEntries(DEVICES.map((d) => [d, effectiveLevel(s.role, levels[d]!)]));
}

const TABLE: Scenario[] = [
  { name: 'no grants', role: 'operator' },
  { name: 'admin without grants', role: 'admin' },
  { name: 'direct operate', role: 'operator', userDevice: [['d0', 'operate']] },
  { name: 'direct view', role: 'operator', userDevice: [['d0', 'view']] },
  { name: 'viewer with operate is capped', role: 'viewer', userDevice: [['d0', 'operate']] },
  { name: 'group view', role: 'operator', userGroup: [['gA', 'view']] },
  { name: 'group operate + other group view overlap', role: 'operator', userGroup: [['gA', 'operate'], ['gB', 'view']] },
  { name: 'team not a member', role: 'operator', teamGroup: [['T1', 'gA', 'operate']] },
  { name: 'team member, group operate', role: 'operator', teams: ['T1'], teamGroup: [['T1', 'gA', 'operate']] },
  { name: 'team member, device view', role: 'operator', teams: ['T1'], teamDevice: [['T1', 'd3', 'view']] },
  {
    name: 'team view + own operate on one device',
    role: 'operator',
    teams: ['T1'],
    teamGroup: [['T1', 'gB', 'view']],
    userDevice: [['d2', 'operate']],
  },
  { name: 'viewer in operating team', role: 'viewer', teams: ['T1'], teamGroup: [['T1', 'gA', 'operate']] },
  {
    name: 'two teams, one operates',
    role: 'operator',
    teams: ['T1', 'T2'],
    teamGroup: [['T1', 'gA', 'view'], ['T2', 'gB', 'operate']],
  },
];

/** A seeded generator of further scenarios, so combinations nobody listed are covered too. */
function generated(count: number): Scenario[] {
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const lv = (): GrantLevel => (rnd(2) ? 'operate' : 'view');
  const roles: Role[] = ['viewer', 'operator', 'admin'];
  const pick = <T,>(xs: readonly T[]) => xs.filter(() => rnd(3) === 0);
  return Array.from({ length: count }, (_, i) => ({
    name: `generated #${i}`,
    role: roles[rnd(3)]!,
    teams: pick(['T1', 'T2']),
    userDevice: pick(DEVICES).map((d) => [d, lv()] as [string, GrantLevel]),
    userGroup: pick(['gA', 'gB']).map((g) => [g, lv()] as [string, GrantLevel]),
    teamDevice: pick(['T1', 'T2']).flatMap((t) => pick(DEVICES).map((d) => [t, d, lv()] as [string, string, GrantLevel])),
    teamGroup: pick(['T1', 'T2']).flatMap((t) => pick(['gA', 'gB']).map((g) => [t, g, lv()] as [string, string, GrantLevel])),
  }));
}

let n = 0;
/** Build one scenario in its own devices, groups and teams (names are unique per scenario). */
async function build(s: Scenario) {
  const p = `s${++n}-`;
  const dev: Record<string, string> = {};
  for (const d of DEVICES) {
    const row = await db.device.create({
      data: { name: p + d, host: '127.0.0.1', vendor: 'generic', username: 'u', authType: 'password', secretEnc: 'x' },
    });
    dev[d] = row.id;
  }
  const grp: Record<string, string> = {};
  for (const [g, members] of Object.entries(GROUPS)) {
    const row = await db.deviceGroup.create({ data: { name: p + g } });
    grp[g] = row.id;
    await db.deviceGroupMember.createMany({ data: members.map((d) => ({ groupId: row.id, deviceId: dev[d]! })) });
  }
  const team: Record<string, string> = {};
  for (const t of ['T1', 'T2']) team[t] = (await db.team.create({ data: { name: p + t } })).id;
  const user = await db.user.create({ data: { username: p + 'user', role: s.role, passwordHash: 'x' } });
  // a bystander in every team with every grant must not leak anything to the user
  await db.user.create({ data: { username: p + 'other', role: 'operator', passwordHash: 'x' } });
  for (const t of s.teams ?? []) await db.teamMember.create({ data: { teamId: team[t]!, userId: user.id } });
  for (const [d, level] of s.userDevice ?? [])
    await db.deviceGrant.create({ data: { userId: user.id, deviceId: dev[d]!, level } });
  for (const [g, level] of s.userGroup ?? [])
    await db.groupGrant.create({ data: { userId: user.id, groupId: grp[g]!, level } });
  for (const [t, d, level] of s.teamDevice ?? [])
    await db.teamDeviceGrant.create({ data: { teamId: team[t]!, deviceId: dev[d]!, level } });
  for (const [t, g, level] of s.teamGroup ?? [])
    await db.teamGroupGrant.create({ data: { teamId: team[t]!, groupId: grp[g]!, level } });
  return { user: { id: user.id, role: s.role }, dev, prefix: p };
}

async function found(user: { id: string; role: Role }, level: GrantLevel, prefix: string) {
  const rows = await db.device.findMany({
    where: { AND: [{ name: { startsWith: prefix } }, deviceAccessWhere(user, level)] },
    select: { name: true },
  });
  return rows.map((r) => r.name.slice(prefix.length)).sort();
}

describe('the access rule', () => {
  it.each([...TABLE, ...generated(60)])('$name', async (s) => {
    const { user, dev, prefix } = await build(s);
    const want = model(s);
    const seeExpected = DEVICES.filter((d) => want[d] !== null);
    const operateExpected = DEVICES.filter((d) => want[d] === 'operate');
    expect(await found(user, 'view', prefix)).toEqual([...seeExpected]);
    expect(await found(user, 'operate', prefix)).toEqual([...operateExpected]);
    // notifications and status pushes go to exactly the users who see the device
    for (const d of DEVICES) {
      const recipients = await db.user.findMany({
        where: { AND: [{ username: { startsWith: prefix } }, usersSeeingDeviceWhere(dev[d]!)] },
        select: { id: true },
      });
      expect(recipients.some((r) => r.id === user.id), `${s.name}: ${d} notifies the user`).toBe(want[d] !== null);
    }
  });
});

describe('at 5,000 devices × 200 users', () => {
  it('is one query per question, fast, for an operator whose access comes through groups and a team', async () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `scale-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < ids.length; i += 500)
      await db.device.createMany({
        data: ids.slice(i, i + 500).map((id) => ({
          id,
          name: id,
          host: '10.0.0.1',
          vendor: 'generic',
          username: 'u',
          authType: 'password',
          secretEnc: 'x',
        })),
      });
    // 50 groups of 100 devices
    for (let g = 0; g < 50; g++) {
      const group = await db.deviceGroup.create({ data: { name: `scale-g${g}` } });
      await db.deviceGroupMember.createMany({
        data: ids.slice(g * 100, g * 100 + 100).map((deviceId) => ({ groupId: group.id, deviceId })),
      });
    }
    const groups = await db.deviceGroup.findMany({ where: { name: { startsWith: 'scale-g' } }, orderBy: { name: 'asc' } });
    // 200 users in 10 teams; each team operates 2 groups and views 1; each user has 20 own grants
    const teams = await Promise.all(
      Array.from({ length: 10 }, (_, t) => db.team.create({ data: { name: `scale-t${t}` } })),
    );
    for (let u = 0; u < 200; u++) {
      const user = await db.user.create({ data: { username: `scale-u${u}`, role: 'operator', passwordHash: 'x' } });
      await db.teamMember.create({ data: { teamId: teams[u % 10]!.id, userId: user.id } });
      await db.deviceGrant.createMany({
        data: Array.from({ length: 20 }, (_, k) => ({ userId: user.id, deviceId: ids[(u * 20 + k) % 5000]!, level: 'view' })),
      });
    }
    for (let t = 0; t < 10; t++) {
      await db.teamGroupGrant.createMany({
        data: [
          { teamId: teams[t]!.id, groupId: groups[t * 3]!.id, level: 'operate' },
          { teamId: teams[t]!.id, groupId: groups[t * 3 + 1]!.id, level: 'operate' },
          { teamId: teams[t]!.id, groupId: groups[t * 3 + 2]!.id, level: 'view' },
        ],
      });
    }
    const u7 = await db.user.findUniqueOrThrow({ where: { username: 'scale-u7' } });
    const user = { id: u7.id, role: 'operator' as Role };
    const scale = { name: { startsWith: 'scale-' } };

    queries = 0;
    const t0 = performance.now();
    const visible = await db.device.count({ where: { AND: [scale, deviceAccessWhere(user, 'view')] } });
    const operable = await db.device.count({ where: { AND: [scale, deviceAccessWhere(user, 'operate')] } });
    const page = await db.device.findMany({
      where: { AND: [scale, deviceAccessWhere(user, 'view')] },
      orderBy: { name: 'asc' },
      take: 50,
      select: { id: true },
    });
    const recipients = await db.user.findMany({
      where: { AND: [{ username: { startsWith: 'scale-' } }, usersSeeingDeviceWhere(ids[2100]!)] },
      select: { id: true },
    });
    const ms = performance.now() - t0;

    expect(queries).toBe(4);
    // team 7 operates groups 21 and 22 (200 devices) and views group 23 (100); 20 own view grants
    // (devices 140..159, outside those groups)
    expect(operable).toBe(200);
    expect(visible).toBe(320);
    expect(page).toHaveLength(50);
    // device 2100 is in group 21: the 20 members of team 7 (users 7, 17, …, 197), and user 105 whose
    // own grants run from device 2100
    expect(recipients).toHaveLength(21);
    expect(ms).toBeLessThan(2000);
  }, 120_000);
});
