import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as listRoute from '../app/api/v1/recordings/route';
import * as oneRoute from '../app/api/v1/recordings/[id]/route';
import * as castRoute from '../app/api/v1/recordings/[id]/cast/route';
import { parseCast } from '../lib/recordings/asciicast';
import { setRuntime } from '../lib/server/registry';
import { call, mintToken } from './api-client';
import { startPortal, TestClient, type Portal } from './harness';

/**
 * GET /api/v1/recordings…: a user finds their own recordings, an admin everyone's, by device, user,
 * command typed and time; the cast endpoint serves exactly what the store holds; what the caller
 * may not see is not found.
 */
let portal: Portal;
const tokens: Record<'op' | 'op2' | 'admin' | 'viewer', string> = { op: '', op2: '', admin: '', viewer: '' };
const WAIT = { timeout: 10_000, interval: 20 };

interface Session {
  sessionId: string;
  recordingId: string;
  startedAt: Date;
}

/** Open a terminal as `userId`, type each line and wait for the prompt after it, close, and wait for the index row. */
async function recordSession(device: string, userId: string, lines: string[]): Promise<Session> {
  const prompt = device.includes('vrp') ? new RegExp(`<${device}>$`) : new RegExp(`${device}>$`);
  const c = await TestClient.open(portal, `/ws/terminal/${await portal.deviceId(device)}`, userId);
  c.send({ type: 'connect', cols: 100, rows: 30 });
  const hello = await c.waitFrame('terminal_connected');
  await c.waitOutput(prompt);
  for (const line of lines) {
    const before = c.outputTotal;
    c.send({ type: 'input', data: `${line}\r` });
    await c.waitUntil(() => c.outputTotal > before && prompt.test(c.output), `the prompt after ${line}`);
  }
  c.send({ type: 'close' });
  await c.waitFrame('terminal_closed');
  await c.close();
  const sessionId = hello.session_id as string;
  const row = await vi.waitFor(async () => {
    const r = await portal.db.recording.findUniqueOrThrow({ where: { sessionId } });
    expect(r.state).not.toBe('recording');
    return r;
  }, WAIT);
  return { sessionId, recordingId: row.id, startedAt: row.startedAt };
}

const list = (token: string, query = '') => call(listRoute.GET, { token, path: `/recordings${query}` });
const one = (token: string, id: string) =>
  call(oneRoute.GET, { token, path: `/recordings/${id}`, params: { id } });
const cast = (token: string, id: string) =>
  call(castRoute.GET, { token, path: `/recordings/${id}/cast`, params: { id } });
const ids = (r: { json: Record<string, unknown> }) => (r.json.items as { id: string }[]).map((i) => i.id);

let opVrp: Session;
let opIos: Session;
let op2Vrp: Session;

beforeAll(async () => {
  portal = await startPortal();
  setRuntime(portal.runtime);
  const u = portal.users;
  tokens.op = (await mintToken(portal.runtime, u.operator, 'read')).token;
  tokens.op2 = (await mintToken(portal.runtime, u.operator2, 'read')).token;
  tokens.admin = (await mintToken(portal.runtime, u.admin, 'read')).token;
  tokens.viewer = (await mintToken(portal.runtime, u.viewer, 'read')).token;
  // one after the other, so that their start times are in this order
  opVrp = await recordSession('lab-vrp-01', u.operator, ['display clock', 'reload', 'display version']);
  opIos = await recordSession('lab-ios-01', u.operator, ['show clock']);
  op2Vrp = await recordSession('lab-vrp-01', u.operator2, ['display clock']);
}, 90_000);
afterAll(async () => {
  setRuntime(undefined);
  await portal?.close();
});

describe('who sees which recordings', () => {
  it('a user lists their own, newest first; an admin lists everyone’s; a viewer who never opened a terminal, none', async () => {
    const mine = await list(tokens.op);
    expect(mine.status).toBe(200);
    expect(ids(mine)).toEqual([opIos.recordingId, opVrp.recordingId]);
    expect(mine.json.next_cursor).toBeNull();
    expect(ids(await list(tokens.op2))).toEqual([op2Vrp.recordingId]);
    expect(ids(await list(tokens.admin))).toEqual([op2Vrp.recordingId, opIos.recordingId, opVrp.recordingId]);
    expect(ids(await list(tokens.viewer))).toEqual([]);

    const item = (mine.json.items as Record<string, unknown>[])[1];
    expect(item).toMatchObject({
      id: opVrp.recordingId,
      session_id: opVrp.sessionId,
      user_id: portal.users.operator,
      username: 'op',
      device_id: await portal.deviceId('lab-vrp-01'),
      device_name: 'lab-vrp-01',
      node_id: portal.runtime.nodes.self,
      started_at: opVrp.startedAt.toISOString(),
      command_count: 3,
      state: 'complete',
      note: '',
      matched_commands: [],
    });
    expect(item!.ended_at).toEqual(expect.any(String));
    expect(item!.duration_ms).toBeGreaterThan(0);
    expect(item!.stored_bytes).toBeGreaterThan(0);
  });

  it('another user’s recording, its detail and its cast are not found, as an unknown id is', async () => {
    for (const r of [await one(tokens.op, op2Vrp.recordingId), await cast(tokens.op, op2Vrp.recordingId)]) {
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
      expect(r.json.code).toBe('not_found');
    }
    const unknown = await one(tokens.admin, 'c0000000000000000000000000');
    expect([unknown.status, unknown.json.code]).toEqual([404, 'not_found']);
    expect((await cast(tokens.admin, 'c0000000000000000000000000')).status).toBe(404);
    // an admin sees it
    expect((await one(tokens.admin, op2Vrp.recordingId)).status).toBe(200);
    expect((await cast(tokens.admin, op2Vrp.recordingId)).status).toBe(200);
    // and a user filtering by someone else finds nothing of theirs
    expect(ids(await list(tokens.op, '?user=op2'))).toEqual([]);
  });

  it('needs a token or a session', async () => {
    const anon = await call(listRoute.GET, { path: '/recordings' });
    expect([anon.status, anon.json.code]).toEqual([401, 'unauthenticated']);
  });
});

describe('search', () => {
  it('by a command typed: "who ran reload", with the matching lines and where they are', async () => {
    const r = await list(tokens.admin, '?command=reload');
    expect(ids(r)).toEqual([opVrp.recordingId]);
    const [hit] = r.json.items as { matched_commands: { offset_ms: number; command: string }[] }[];
    expect(hit!.matched_commands).toEqual([{ offset_ms: expect.any(Number), command: 'reload' }]);
    // case does not matter, and part of a line is enough
    expect(ids(await list(tokens.admin, '?command=RELO'))).toEqual([opVrp.recordingId]);
    expect(ids(await list(tokens.admin, '?command=clock'))).toEqual([
      op2Vrp.recordingId,
      opIos.recordingId,
      opVrp.recordingId,
    ]);
    expect(ids(await list(tokens.admin, '?command=write%20erase'))).toEqual([]);
  });

  it('by device (name or id) and user (username or id), combined with the command and a week', async () => {
    const vrp = await portal.deviceId('lab-vrp-01');
    expect(ids(await list(tokens.admin, '?device=lab-vrp-01'))).toEqual([
      op2Vrp.recordingId,
      opVrp.recordingId,
    ]);
    expect(ids(await list(tokens.admin, `?device=${vrp}`))).toEqual([op2Vrp.recordingId, opVrp.recordingId]);
    expect(ids(await list(tokens.admin, '?device=lab-ios-01'))).toEqual([opIos.recordingId]);
    expect(ids(await list(tokens.admin, '?user=op'))).toEqual([opIos.recordingId, opVrp.recordingId]);
    expect(ids(await list(tokens.admin, `?user=${portal.users.operator2}`))).toEqual([op2Vrp.recordingId]);
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const who = await list(
      tokens.admin,
      `?command=reload&device=lab-vrp-01&from=${encodeURIComponent(weekAgo)}`,
    );
    expect((who.json.items as { username: string }[]).map((i) => i.username)).toEqual(['op']);
    expect(ids(await list(tokens.admin, '?command=reload&device=lab-ios-01'))).toEqual([]);
  });

  it('a device renamed since is found by its new name and by the name it had', async () => {
    const vrp = await portal.deviceId('lab-vrp-01');
    await portal.db.device.update({ where: { id: vrp }, data: { name: 'core-sw-01' } });
    try {
      expect(ids(await list(tokens.admin, '?device=core-sw-01'))).toEqual([
        op2Vrp.recordingId,
        opVrp.recordingId,
      ]);
      expect(ids(await list(tokens.admin, '?device=lab-vrp-01'))).toEqual([
        op2Vrp.recordingId,
        opVrp.recordingId,
      ]);
    } finally {
      await portal.db.device.update({ where: { id: vrp }, data: { name: 'lab-vrp-01' } });
    }
  });

  it('by start time: from is inclusive, to exclusive; a day alone is midnight UTC', async () => {
    const at = (d: Date) => encodeURIComponent(d.toISOString());
    expect(ids(await list(tokens.admin, `?from=${at(opIos.startedAt)}`))).toEqual([
      op2Vrp.recordingId,
      opIos.recordingId,
    ]);
    expect(ids(await list(tokens.admin, `?to=${at(opIos.startedAt)}`))).toEqual([opVrp.recordingId]);
    expect(ids(await list(tokens.admin, `?from=${at(opVrp.startedAt)}&to=${at(op2Vrp.startedAt)}`))).toEqual([
      opIos.recordingId,
      opVrp.recordingId,
    ]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(ids(await list(tokens.admin, `?from=${tomorrow}`))).toEqual([]);
    expect(ids(await list(tokens.admin, `?to=${tomorrow}`))).toHaveLength(3);
    // an offset is honoured
    const plus8 = new Date(opIos.startedAt.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    expect(ids(await list(tokens.admin, `?from=${encodeURIComponent(plus8)}`))).toEqual([
      op2Vrp.recordingId,
      opIos.recordingId,
    ]);
    expect(ids(await list(tokens.admin, '?state=complete'))).toHaveLength(3);
    expect(ids(await list(tokens.admin, '?state=capped'))).toEqual([]);
  });

  it('pages with a cursor, never repeating or skipping a recording', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await list(tokens.admin, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...ids(r));
      cursor = r.json.next_cursor as string | null;
    } while (cursor);
    expect(seen).toEqual([op2Vrp.recordingId, opIos.recordingId, opVrp.recordingId]);
  });

  it('bad parameters are refused with the field named; a cursor it did not give out is a 400', async () => {
    for (const [query, field] of [
      ['?from=yesterday', 'from'],
      ['?to=2026-13-01', 'to'],
      ['?state=deleted', 'state'],
      ['?limit=0', 'limit'],
      ['?limit=5000', 'limit'],
      ['?command=', 'command'],
      ['?from=2026-11-03&to=2026-11-02', 'to'],
    ] as const) {
      const r = await list(tokens.admin, query);
      expect([query, r.status, r.json.code]).toEqual([query, 422, 'invalid']);
      expect(Object.keys(r.json.errors as object), query).toContain(field);
    }
    const unknown = await list(tokens.admin, '?devcie=lab-vrp-01');
    expect(unknown.status).toBe(422);
    for (const cursor of ['not-a-cursor', Buffer.from('["a","b"]').toString('base64url')]) {
      const r = await list(tokens.admin, `?cursor=${cursor}`);
      expect([r.status, r.json.code]).toEqual([400, 'bad_cursor']);
    }
  });
});

describe('one recording and its cast', () => {
  it('the detail lists every command line at its offset, in order, and where the cast is', async () => {
    const r = await one(tokens.op, opVrp.recordingId);
    expect(r.status).toBe(200);
    const commands = r.json.commands as { offset_ms: number; command: string }[];
    expect(commands.map((c) => c.command)).toEqual(['display clock', 'reload', 'display version']);
    const offsets = commands.map((c) => c.offset_ms);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    expect(r.json).toMatchObject({
      id: opVrp.recordingId,
      state: 'complete',
      cast_url: `/api/v1/recordings/${opVrp.recordingId}/cast`,
    });
    expect(r.json).not.toHaveProperty('key');
  });

  it('the cast is exactly what the store holds, as an asciicast download', async () => {
    const row = await portal.db.recording.findUniqueOrThrow({ where: { id: opVrp.recordingId } });
    const stored = await portal.runtime.recordings!.store.read(row.key);
    const r = await cast(tokens.op, opVrp.recordingId);
    expect(r.status).toBe(200);
    expect(r.text).toBe(stored);
    expect(Buffer.byteLength(r.text)).toBe(row.bytes);
    expect(r.headers.get('content-type')).toMatch(/^application\/x-asciicast/);
    expect(r.headers.get('content-disposition')).toMatch(
      /^attachment; filename="lab-vrp-01-op-\d{8}-\d{6}\.cast"$/,
    );
    const parsed = parseCast(r.text);
    expect(parsed.events.filter((e) => e[1] === 'm').map((e) => e[2])).toEqual([
      'display clock',
      'reload',
      'display version',
    ]);
  });

  it('a recording whose file is gone says so instead of serving nothing', async () => {
    const s = await recordSession('lab-vrp-02', portal.users.operator, ['display clock']);
    try {
      const row = await portal.db.recording.findUniqueOrThrow({ where: { id: s.recordingId } });
      await portal.runtime.recordings!.store.remove(row.key);
      const r = await cast(tokens.op, s.recordingId);
      expect([r.status, r.json.code]).toEqual([404, 'recording_file_missing']);
      // the index row is still there to read
      expect((await one(tokens.op, s.recordingId)).status).toBe(200);
    } finally {
      // the other tests count the recordings made in beforeAll
      await portal.db.recording.delete({ where: { id: s.recordingId } });
    }
  });
});
