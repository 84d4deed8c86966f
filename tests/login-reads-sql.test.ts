/**
 * A login load's statements are SQL written by hand (lib/devices/login-reads.ts): they return what
 * Prisma's own queries with the same selects return, typed alike (booleans, dates, nulls), on SQLite
 * and (npm run test:pg) PostgreSQL, and the jump-host group count counts what the relation filter
 * counts. The statement cache under SQLite (lib/db/statement-cache.ts) serves them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../lib/db/client';
import {
  ACTOR_SELECT,
  DEVICE_SELECT,
  readActor,
  readActorAndDevices,
  readDevicesForLogin,
  readLoginBatch,
} from '../lib/devices/login-reads';
import { freshDatabase } from './helpers';

let db: PrismaClient;
const ids: Record<string, string> = {};
let admin = '';
let disabled = '';

beforeAll(async () => {
  db = freshDatabase().db;
  admin = (await db.user.create({ data: { username: 'ada', passwordHash: 'x', role: 'admin' } })).id;
  disabled = (
    await db.user.create({ data: { username: 'off', passwordHash: 'x', role: 'operator', disabled: true } })
  ).id;
  const device = (name: string, extra: Record<string, unknown> = {}) =>
    db.device.create({
      data: {
        name,
        host: '192.0.2.1',
        port: 2222,
        vendor: 'huawei_vrp',
        username: 'netops',
        authType: 'password',
        secretEnc: 'sealed',
        ...extra,
      },
    });
  ids.jump = (await device('jump-1', { kind: 'jump' })).id;
  ids.plain = (await device('plain-1')).id;
  ids.full = (
    await device('full-1', {
      encoding: 'gbk',
      transport: 'telnet',
      passphraseEnc: 'pp',
      enableSecretEnc: 'en',
      negotiatedAlgorithms: '{"kex":"curve25519-sha256"}',
      hostKeyFingerprint: 'SHA256:abc',
      hostKeyApprovalRequired: true,
      jumpHostId: ids.jump,
    })
  ).id;
  ids.grouped = (await device('grouped-1')).id;
  ids.twoGroups = (await device('grouped-2')).id;
  const viaJump = await db.deviceGroup.create({ data: { name: 'site-a', jumpHostId: ids.jump } });
  const viaJump2 = await db.deviceGroup.create({ data: { name: 'site-b', jumpHostId: ids.jump } });
  const noJump = await db.deviceGroup.create({ data: { name: 'core' } });
  await db.deviceGroupMember.createMany({
    data: [
      { groupId: viaJump.id, deviceId: ids.grouped! },
      { groupId: noJump.id, deviceId: ids.grouped! },
      { groupId: viaJump.id, deviceId: ids.twoGroups! },
      { groupId: viaJump2.id, deviceId: ids.twoGroups! },
      { groupId: noJump.id, deviceId: ids.plain! },
    ],
  });
}, 60_000);

afterAll(() => db?.$disconnect());

describe('login reads in SQL', () => {
  it('a device row is what findUnique with the same select returns, field by field and typed alike', async () => {
    const all = Object.values(ids);
    const rows = await readDevicesForLogin(db, all);
    expect(rows.map((r) => r.id).sort()).toEqual([...all].sort());
    for (const row of rows) {
      const { jumpGroups: _count, ...fields } = row;
      const orm = await db.device.findUnique({ where: { id: row.id }, select: DEVICE_SELECT });
      expect(fields).toStrictEqual(orm);
      expect(fields.updatedAt).toBeInstanceOf(Date);
      expect(typeof fields.hostKeyApprovalRequired).toBe('boolean');
      expect(typeof fields.port).toBe('number');
    }
  });

  it("counts a device's groups that name a jump host as the relation filter does", async () => {
    const rows = await readDevicesForLogin(db, Object.values(ids));
    for (const row of rows) {
      const orm = await db.device.findUnique({
        where: { id: row.id },
        select: { _count: { select: { groups: { where: { group: { jumpHostId: { not: null } } } } } } },
      });
      expect(Number(row.jumpGroups), row.name).toBe(orm!._count.groups);
    }
    const byName = new Map(rows.map((r) => [r.name, Number(r.jumpGroups)]));
    expect(Object.fromEntries(byName)).toMatchObject({ 'plain-1': 0, 'grouped-1': 1, 'grouped-2': 2 });
  });

  it('unknown ids and an empty list read nothing; an id is data, not SQL', async () => {
    expect(await readDevicesForLogin(db, [])).toEqual([]);
    expect(await readDevicesForLogin(db, ['nope', `x' OR '1'='1`])).toEqual([]);
    expect(await readActor(db, `x' OR '1'='1`)).toBeNull();
  });

  it('the actor is what findUnique returns: role and disabled typed, null when gone', async () => {
    for (const id of [admin, disabled]) {
      expect(await readActor(db, id)).toStrictEqual(
        await db.user.findUnique({ where: { id }, select: ACTOR_SELECT }),
      );
    }
    expect((await readActor(db, disabled))!.disabled).toBe(true);
    expect(await readActor(db, 'gone')).toBeNull();
  });

  it("a load's first statement reads the actor and the devices together, as the two reads apart do", async () => {
    const all = Object.values(ids);
    const byId = (rows: { id: string }[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    for (const user of [admin, disabled]) {
      const both = await readActorAndDevices(db, user, all);
      expect(both.actor).toStrictEqual(await readActor(db, user));
      expect(byId(both.devices)).toStrictEqual(byId(await readDevicesForLogin(db, all)));
    }
    // none of the devices exists: the user's row alone
    expect(await readActorAndDevices(db, admin, ['nope', `x' OR '1'='1`])).toStrictEqual({
      actor: await readActor(db, admin),
      devices: [],
    });
    // the user is gone: the devices all the same, for the access check to refuse
    const gone = await readActorAndDevices(db, `x' OR '1'='1`, [ids.plain!]);
    expect(gone.actor).toBeNull();
    expect(gone.devices.map((d) => d.name)).toEqual(['plain-1']);
    expect(await readActorAndDevices(db, admin, [])).toStrictEqual({
      actor: await readActor(db, admin),
      devices: [],
    });
  });

  it('a load follows the jump hosts and reads the groups of a grouped device only', async () => {
    const reads = await readLoginBatch(db, admin, [ids.full!, ids.grouped!, ids.plain!]);
    expect(reads.actor?.id).toBe(admin);
    // the jump host of full-1 was read in the same load (its second hop)
    expect((await reads.device(ids.jump!))?.name).toBe('jump-1');
    expect(await reads.jumpGroups(ids.grouped!)).toEqual([
      { name: 'site-a', jumpHost: { id: ids.jump, name: 'jump-1' } },
    ]);
    expect(await reads.jumpGroups(ids.plain!)).toEqual([]);
    expect(await reads.level(ids.plain!)).toBe('operate');
  });
});
