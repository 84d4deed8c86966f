import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../tests/helpers';
import type { PrismaClient } from '../db/client';
import {
  castFilename,
  getRecording,
  listRecordings,
  readCast,
  recordingFacets,
  recordingsForAuditEntries,
  type RecordingActor,
} from './service';
import { DirectoryRecordingStore } from './store';

/**
 * The recordings service on index rows made by hand: who sees what, the filters, keyset pages
 * through rows that started at the same moment, and which recording an audit entry points to.
 */
let db: PrismaClient;
type Person = RecordingActor & { username: string };
let alice: Person;
let bob: Person;
let admin: Person;
const T0 = new Date('2026-11-02T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function recording(
  user: Person,
  device: { id: string; name: string },
  startedAt: Date,
  commands: string[] = [],
  extra: { sessionId?: string; state?: string } = {},
) {
  return db.recording.create({
    data: {
      sessionId: extra.sessionId ?? crypto.randomUUID(),
      userId: user.id,
      username: user.username,
      deviceId: device.id,
      deviceName: device.name,
      nodeId: 'node-a',
      startedAt,
      endedAt: new Date(startedAt.getTime() + 60_000),
      durationMs: 60_000,
      state: extra.state ?? 'complete',
      key: '',
      commandCount: commands.length,
      commands: { create: commands.map((command, i) => ({ command, offsetMs: 1000 * (i + 1) })) },
    },
  });
}

let core: { id: string; name: string };
let edge: { id: string; name: string };
const made: Record<string, string> = {};

beforeAll(async () => {
  db = freshDatabase().db;
  const mk = async (username: string, role: string) => {
    const u = await db.user.create({ data: { username, role, passwordHash: 'x' } });
    return { id: u.id, role: role as RecordingActor['role'], username };
  };
  const a = await mk('alice', 'operator');
  const b = await mk('bob', 'operator');
  const root = await mk('root', 'admin');
  alice = a;
  bob = b;
  admin = root;
  const dev = async (name: string) =>
    db.device.create({
      data: {
        name,
        host: '192.0.2.1',
        vendor: 'cisco_ios',
        username: 'u',
        authType: 'password',
        secretEnc: '',
      },
    });
  core = await dev('core-sw-01');
  edge = await dev('edge-rt-01');
  made.aliceCoreReload = (await recording(a, core, at(0), ['show clock', 'reload', 'RELOAD in 5'])).id;
  made.aliceEdge = (await recording(a, edge, at(10), ['show ip route'])).id;
  made.bobCore = (await recording(b, core, at(20), ['show version'], { state: 'capped' })).id;
  // a week earlier, under the device's old name
  made.bobOldName = (await recording(b, { id: core.id, name: 'old-core' }, at(-7 * 24 * 60), ['reload'])).id;
});

describe('listRecordings', () => {
  const all = async (actor: RecordingActor, filters = {}) =>
    (await listRecordings(actor, filters, { limit: 100 }, { db })).items.map((r) => r.id);

  it('a user sees their own recordings, an admin all, newest first', async () => {
    expect(await all(alice)).toEqual([made.aliceEdge, made.aliceCoreReload]);
    expect(await all(bob)).toEqual([made.bobCore, made.bobOldName]);
    expect(await all(admin)).toEqual([made.bobCore, made.aliceEdge, made.aliceCoreReload, made.bobOldName]);
  });

  it('finds "who ran reload on core-sw-01 last week", case-insensitively, with the matching lines', async () => {
    const page = await listRecordings(
      admin,
      { command: 'reload', device: 'core-sw-01', from: at(-7 * 24 * 60 - 1), to: at(60) },
      { limit: 100 },
      { db },
    );
    expect(page.items.map((r) => [r.username, r.deviceName])).toEqual([
      ['alice', 'core-sw-01'],
      ['bob', 'old-core'],
    ]);
    expect(page.items[0]!.matches).toEqual([
      { offsetMs: 2000, command: 'reload' },
      { offsetMs: 3000, command: 'RELOAD in 5' },
    ]);
    // without a command filter there are no matches to show
    expect((await listRecordings(admin, {}, { limit: 1 }, { db })).items[0]!.matches).toEqual([]);
  });

  it('filters by device id or name (current or recorded), user id or name, time and state', async () => {
    expect(await all(admin, { device: core.id })).toEqual([
      made.bobCore,
      made.aliceCoreReload,
      made.bobOldName,
    ]);
    expect(await all(admin, { device: 'old-core' })).toEqual([made.bobOldName]);
    expect(await all(admin, { device: 'no-such' })).toEqual([]);
    expect(await all(admin, { user: 'bob' })).toEqual([made.bobCore, made.bobOldName]);
    expect(await all(admin, { user: alice.id })).toEqual([made.aliceEdge, made.aliceCoreReload]);
    // alice filtering by bob sees none of bob's
    expect(await all(alice, { user: 'bob' })).toEqual([]);
    expect(await all(admin, { from: at(10) })).toEqual([made.bobCore, made.aliceEdge]);
    expect(await all(admin, { to: at(10) })).toEqual([made.aliceCoreReload, made.bobOldName]);
    expect(await all(admin, { state: 'capped' })).toEqual([made.bobCore]);
  });

  it('a renamed user is found by the new name too', async () => {
    await db.user.update({ where: { id: bob.id }, data: { username: 'robert' } });
    try {
      expect(await all(admin, { user: 'robert' })).toEqual([made.bobCore, made.bobOldName]);
      expect(await all(admin, { user: 'bob' })).toEqual([made.bobCore, made.bobOldName]);
    } finally {
      await db.user.update({ where: { id: bob.id }, data: { username: 'bob' } });
    }
  });

  it('pages through recordings that started at the same moment without repeating or skipping one', async () => {
    const carol = await db.user.create({ data: { username: 'carol', role: 'operator', passwordHash: 'x' } });
    const actor = { id: carol.id, role: 'operator' as const, username: 'carol' };
    const same = at(100);
    const want: string[] = [];
    for (let i = 0; i < 7; i++) want.push((await recording(actor, edge, same)).id);
    want.push((await recording(actor, edge, at(99))).id);
    const expected = [...want.slice(0, 7).sort().reverse(), want[7]!];
    try {
      const seen: string[] = [];
      let after;
      for (;;) {
        const page = await listRecordings(actor, {}, { limit: 3, after }, { db });
        seen.push(...page.items.map((r) => r.id));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen).toEqual(expected);
    } finally {
      // the other tests list everyone's recordings
      await db.recording.deleteMany({ where: { id: { in: want } } });
    }
  });
});

describe('recordingFacets', () => {
  it('suggests the device names of what the actor sees, and (admins) the users, once each, sorted', async () => {
    expect(await recordingFacets(alice, { db })).toEqual({
      devices: ['core-sw-01', 'edge-rt-01'],
      users: [],
    });
    expect(await recordingFacets(bob, { db })).toEqual({ devices: ['core-sw-01', 'old-core'], users: [] });
    expect(await recordingFacets(admin, { db })).toEqual({
      devices: ['core-sw-01', 'edge-rt-01', 'old-core'],
      users: ['alice', 'bob'],
    });
    expect((await recordingFacets(admin, { db }, 1)).devices).toEqual(['core-sw-01']);
  });
});

describe('getRecording and readCast', () => {
  it('someone else’s recording is not found; the owner and an admin get every command line in order', async () => {
    expect(await getRecording(made.aliceCoreReload, bob, { db })).toBeNull();
    for (const actor of [alice, admin]) {
      const r = await getRecording(made.aliceCoreReload, actor, { db });
      expect(r?.commands.map((c) => c.command)).toEqual(['show clock', 'reload', 'RELOAD in 5']);
    }
  });

  it('reads the cast from the store; a missing file or store is "missing", someone else’s "not found"', async () => {
    const store = new DirectoryRecordingStore(mkdtempSync(path.join(tmpdir(), 'sb-rec-svc-')));
    const key = store.keyFor(made.aliceEdge, at(10));
    const w = store.create(key);
    w.write('{"version":2,"width":80,"height":24,"timestamp":1}\n[0.5,"o","hello"]\n');
    await w.end();
    await db.recording.update({ where: { id: made.aliceEdge }, data: { key } });
    const deps = { db, recordings: { store } };
    const r = await readCast(made.aliceEdge, alice, deps);
    expect(r).toMatchObject({
      ok: true,
      text: '{"version":2,"width":80,"height":24,"timestamp":1}\n[0.5,"o","hello"]\n',
    });
    expect(await readCast(made.aliceEdge, bob, deps)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await readCast(made.aliceEdge, alice, { db, recordings: null })).toMatchObject({
      ok: false,
      code: 'missing',
    });
    await store.remove(key);
    expect(await readCast(made.aliceEdge, admin, deps)).toMatchObject({ ok: false, code: 'missing' });
  });

  it('names the download after the device, the user and the UTC start, safely', () => {
    expect(
      castFilename({
        deviceName: 'core sw/01"',
        username: 'ali;ce',
        startedAt: new Date('2026-11-02T09:05:07Z'),
      }),
    ).toBe('core_sw_01_-ali_ce-20261102-090507.cast');
  });
});

describe('recordingsForAuditEntries', () => {
  it('links terminal.open by session id and terminal.close by the session length, only to what the actor sees', async () => {
    const sessionId = 'abcdef12-0000-4000-8000-000000000000';
    const start = at(200);
    const rec = await recording(alice, core, start, [], { sessionId });
    // the same user on the same device 30 s later: a close entry must pick the nearer start
    const later = await recording(alice, core, new Date(start.getTime() + 30_000));
    const entries = [
      {
        id: 'open',
        action: 'terminal.open',
        at: start,
        userId: alice.id,
        target: 'core-sw-01',
        detail: 'session abcdef12',
      },
      {
        id: 'close',
        action: 'terminal.close',
        at: new Date(start.getTime() + 95_400),
        userId: alice.id,
        target: 'core-sw-01',
        detail: 'closed by the user (after 95 s)',
      },
      {
        id: 'close-later',
        action: 'terminal.close',
        at: new Date(start.getTime() + 40_000),
        userId: alice.id,
        target: 'core-sw-01',
        detail: 'idle (after 10 s)',
      },
      // the same session prefix from another user is not that session
      {
        id: 'other',
        action: 'terminal.open',
        at: start,
        userId: bob.id,
        target: 'core-sw-01',
        detail: 'session abcdef12',
      },
      { id: 'login', action: 'login', at: start, userId: alice.id, target: null, detail: '' },
      {
        id: 'no-rec',
        action: 'terminal.open',
        at: start,
        userId: alice.id,
        target: 'core-sw-01',
        detail: 'session 99999999',
      },
    ];
    try {
      const links = await recordingsForAuditEntries(admin, entries, { db });
      expect(Object.fromEntries(links)).toEqual({ open: rec.id, close: rec.id, 'close-later': later.id });
      // bob may not see alice's recordings
      expect((await recordingsForAuditEntries(bob, entries, { db })).size).toBe(0);
    } finally {
      await db.recording.deleteMany({ where: { id: { in: [rec.id, later.id] } } });
    }
  });
});
