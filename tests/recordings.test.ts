import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CAP_MARKER, castOutput, parseCast } from '../lib/recordings/asciicast';
import { purgeRecordings } from '../lib/recordings/purge';
import { Recordings } from '../lib/recordings/recorder';
import { DirectoryRecordingStore } from '../lib/recordings/store';
import { startPortal, TestClient, type Portal } from './harness';

/**
 * Terminal sessions recorded as the browser sees them: the cast's output events are exactly the
 * output frames, with a marker at each command line, resizes, and an index row to find it by.
 */
let portal: Portal;
const WAIT = { timeout: 10_000, interval: 20 };

beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

/** A terminal whose every output frame is kept whole (TestClient keeps a bounded tail). */
async function recordedTerminal(p: Portal, device: string, userId = p.users.operator) {
  const c = await TestClient.open(p, `/ws/terminal/${await p.deviceId(device)}`, userId);
  const received: string[] = [];
  c.ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as { type: string; data?: string };
    if (f.type === 'output') received.push(f.data!);
  });
  c.send({ type: 'connect', cols: 100, rows: 30 });
  const hello = await c.waitFrame('terminal_connected');
  return { c, received, sessionId: hello.session_id as string };
}

/**
 * The recording once its session's end is written (endedAt): a store that fails mid-session marks the
 * row failed at once, before the session ends and its command count is written.
 */
async function finishedRecording(p: Portal, sessionId: string) {
  return vi.waitFor(async () => {
    const r = await p.db.recording.findUniqueOrThrow({ where: { sessionId }, include: { commands: true } });
    expect(r.state).not.toBe('recording');
    expect(r.endedAt).not.toBeNull();
    return r;
  }, WAIT);
}

describe('session recordings', () => {
  it('replay to exactly the output the browser received, with a marker per command and the resizes', async () => {
    const { c, received, sessionId } = await recordedTerminal(portal, 'lab-vrp-01');
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'input', data: 'display version\r' });
    await c.waitOutput(/VRP[\s\S]*<lab-vrp-01>$/);
    c.send({ type: 'resize', cols: 120, rows: 40 });
    c.send({ type: 'input', data: 'display clock\r' });
    await c.waitOutput(/display clock[\s\S]*<lab-vrp-01>$/);
    c.send({ type: 'close' });
    await c.waitFrame('terminal_closed');
    await c.close();

    const row = await finishedRecording(portal, sessionId);
    expect(row).toMatchObject({
      state: 'complete',
      username: 'op',
      deviceName: 'lab-vrp-01',
      commandCount: 2,
      note: '',
    });
    expect(row.commands.map((x) => x.command).sort()).toEqual(['display clock', 'display version']);
    expect(row.endedAt).not.toBeNull();
    expect(row.storedBytes).toBeGreaterThan(0);
    expect(row.storedBytes).toBeLessThan(row.bytes); // compressed

    const cast = parseCast(await portal.runtime.recordings!.store.read(row.key));
    expect(cast.header).toMatchObject({
      version: 2,
      width: 100,
      height: 30,
      env: { TERM: 'xterm-256color' },
    });
    expect(castOutput(cast)).toBe(received.join(''));
    expect(Buffer.byteLength(await portal.runtime.recordings!.store.read(row.key))).toBe(row.bytes);
    const markers = cast.events.filter((e) => e[1] === 'm').map((e) => e[2]);
    expect(markers).toEqual(['display version', 'display clock']);
    expect(cast.events.filter((e) => e[1] === 'r').map((e) => e[2])).toEqual(['120x40']);
    // keystrokes are not recorded unless RECORDING_INPUT is on
    expect(cast.events.some((e) => e[1] === 'i')).toBe(false);
    // times never go back, and the marker sits before the command's output
    const times = cast.events.map((e) => e[0]);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const versionAt = cast.events.findIndex((e) => e[1] === 'm' && e[2] === 'display version');
    const outputAfter = cast.events.slice(versionAt).find((e) => e[1] === 'o' && /VRP/.test(e[2]));
    expect(outputAfter).toBeDefined();
  });

  it('a device in a group with recording off is not recorded', async () => {
    const deviceId = await portal.deviceId('lab-vrp-02');
    const group = await portal.db.deviceGroup.create({
      data: { name: 'unrecorded', recordSessions: false, members: { create: { deviceId } } },
    });
    try {
      const { c, sessionId } = await recordedTerminal(portal, 'lab-vrp-02');
      await c.waitOutput(/<lab-vrp-02>$/);
      c.send({ type: 'close' });
      await c.waitFrame('terminal_closed');
      await c.close();
      expect(await portal.db.recording.findUnique({ where: { sessionId } })).toBeNull();
    } finally {
      await portal.db.deviceGroup.delete({ where: { id: group.id } });
    }
  });

  it('retention deletes old recordings, their command lines and their files; newer ones stay', async () => {
    const { c, sessionId } = await recordedTerminal(portal, 'lab-vrp-01');
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'input', data: 'display clock\r' });
    await c.waitOutput(/display clock[\s\S]*<lab-vrp-01>$/);
    c.send({ type: 'close' });
    await c.waitFrame('terminal_closed');
    await c.close();
    const row = await finishedRecording(portal, sessionId);
    const store = portal.runtime.recordings!.store;
    const log = pino({ level: 'silent' });
    // nothing older than an hour ago
    expect(await purgeRecordings({ db: portal.db, store, log }, new Date(Date.now() - 3_600_000))).toBe(0);
    await portal.db.recording.update({ where: { id: row.id }, data: { startedAt: new Date('2020-01-01') } });
    expect(await purgeRecordings({ db: portal.db, store, log }, new Date(Date.now() - 3_600_000))).toBe(1);
    expect(await portal.db.recording.findUnique({ where: { id: row.id } })).toBeNull();
    expect(await portal.db.recordingCommand.count({ where: { recordingId: row.id } })).toBe(0);
    await expect(store.read(row.key)).rejects.toThrow(/ENOENT/);
  });
});

describe('recordings that cannot be kept whole', () => {
  it('past RECORDING_MAX_BYTES the recording stops with a marker and says so in its index', async () => {
    const store = new DirectoryRecordingStore(mkdtempSync(path.join(tmpdir(), 'sb-rec-')));
    const maxBytes = 64 * 1024;
    const recordings = new Recordings({
      db: portal.db,
      store,
      log: pino({ level: 'silent' }),
      nodeId: 'test-node',
      enabled: true,
      maxBytes,
      recordInput: false,
    });
    const sessionId = `capped-${Date.now()}`;
    const tap = (await recordings.start({
      sessionId,
      userId: portal.users.admin,
      deviceId: await portal.deviceId('lab-vrp-01'),
      cols: 80,
      rows: 24,
    }))!;
    const sent: string[] = [];
    for (let i = 0; i < 40; i++) {
      const chunk = `${String(i).padStart(4, '0')} ${'x'.repeat(4000)}\r\n`;
      sent.push(chunk);
      tap.output(chunk);
      await new Promise((r) => setImmediate(r)); // one output event per turn, as from a device
    }
    tap.command('display clock'); // after the cap: neither marked nor indexed
    await tap.close('closed by the user');
    const row = await portal.db.recording.findUniqueOrThrow({
      where: { sessionId },
      include: { commands: true },
    });
    expect(row.state).toBe('capped');
    expect(row.note).toMatch(/size cap reached.*RECORDING_MAX_BYTES = 65536/);
    expect(row.bytes).toBeLessThanOrEqual(maxBytes);
    expect(row.commands).toEqual([]);
    const text = await store.read(row.key);
    expect(Buffer.byteLength(text)).toBe(row.bytes);
    const cast = parseCast(text);
    expect(cast.events.at(-1)).toEqual([expect.any(Number), 'm', CAP_MARKER]);
    // what it kept is whole chunks from the start of what was sent
    const kept = castOutput(cast);
    expect(kept.length).toBeGreaterThan(maxBytes - 8 * 1024);
    expect(sent.join('').startsWith(kept)).toBe(true);
  });

  it('an unwritable store marks the recording failed; the session is unaffected', async () => {
    // the store's directory is a file: nothing can be created under it
    const blocked = path.join(mkdtempSync(path.join(tmpdir(), 'sb-rec-blocked-')), 'recordings');
    writeFileSync(blocked, 'not a directory');
    const p = await startPortal({ recordings: { dir: blocked } });
    try {
      const { c, sessionId } = await recordedTerminal(p, 'lab-vrp-01', p.users.admin);
      await c.waitOutput(/<lab-vrp-01>$/);
      c.send({ type: 'input', data: 'display version\r' });
      await c.waitOutput(/VRP[\s\S]*<lab-vrp-01>$/);
      c.send({ type: 'close' });
      await c.waitFrame('terminal_closed');
      await c.close();
      const row = await finishedRecording(p, sessionId);
      expect(row.state).toBe('failed');
      expect(row.note).toMatch(/could not be written/);
      expect(row.commandCount).toBe(1);
    } finally {
      await p.close();
    }
  });

  it('a recording its node left unfinished is marked interrupted when the node starts again', async () => {
    const store = new DirectoryRecordingStore(mkdtempSync(path.join(tmpdir(), 'sb-rec-')));
    const row = await portal.db.recording.create({
      data: {
        sessionId: `left-${Date.now()}`,
        userId: portal.users.operator,
        username: 'op',
        deviceId: 'gone',
        deviceName: 'gone',
        nodeId: portal.runtime.nodes.self,
        key: store.keyFor('abcdefgh12', new Date()),
      },
    });
    expect(await portal.runtime.recordings!.service.markInterrupted()).toBeGreaterThanOrEqual(1);
    const after = await portal.db.recording.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.state).toBe('interrupted');
    expect(after.note).toMatch(/node stopped/);
  });
});
