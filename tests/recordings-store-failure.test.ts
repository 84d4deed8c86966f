import type { Readable } from 'node:stream';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RECORDING_ALERT_QUIET_MS } from '../lib/recordings/alerts';
import { Recordings } from '../lib/recordings/recorder';
import { DirectoryRecordingStore, type RecordingStore, type RecordingWriter } from '../lib/recordings/store';
import { startPortal, TestClient, type Portal } from './harness';

/**
 * A recording store that is full or unwritable: the session goes on as if nothing happened, the
 * recording is marked failed (at once, not only when the session ends) with the reason, and every
 * enabled admin is told once per failure burst, however many sessions and chunks fail in it.
 */
const WAIT = { timeout: 10_000, interval: 20 };

/**
 * The directory store on a disk that is full: each recording's file is /dev/full, whose every write
 * fails with ENOSPC (the kernel's own error, as from a full file system). Flushed every 50 ms, so the
 * failure shows mid-session.
 */
class FullDiskStore implements RecordingStore {
  private readonly inner: DirectoryRecordingStore;
  constructor(private readonly dir = mkdtempSync(path.join(tmpdir(), 'sb-rec-full-'))) {
    this.inner = new DirectoryRecordingStore(dir, 50);
  }
  keyFor(id: string, at: Date) {
    return this.inner.keyFor(id, at);
  }
  create(key: string, onError?: (err: Error) => void): RecordingWriter {
    const file = path.join(this.dir, key);
    mkdirSync(path.dirname(file), { recursive: true });
    symlinkSync('/dev/full', file);
    return this.inner.create(key, onError);
  }
  read(key: string) {
    return this.inner.read(key);
  }
  stream(key: string) {
    return this.inner.stream(key);
  }
  remove(key: string) {
    return this.inner.remove(key);
  }
}

/** A store whose directory refuses new files (EACCES, as for a directory another user owns). */
class UnwritableStore implements RecordingStore {
  created = 0;
  keyFor(id: string) {
    return `2026/12/${id}.cast.gz`;
  }
  create(): RecordingWriter {
    this.created++;
    throw Object.assign(new Error("EACCES: permission denied, open '/srv/recordings/2026/12/x.cast.gz'"), {
      code: 'EACCES',
    });
  }
  read(): Promise<string> {
    return Promise.reject(new Error('unreadable'));
  }
  stream(): Promise<Readable> {
    return Promise.reject(new Error('unreadable'));
  }
  async remove() {}
}

let portal: Portal;
let admin2: string;
let disabledAdmin: string;

beforeAll(async () => {
  portal = await startPortal({ recordings: { store: () => new FullDiskStore() } });
  admin2 = (await portal.db.user.create({ data: { username: 'admin2', role: 'admin', passwordHash: 'x' } }))
    .id;
  disabledAdmin = (
    await portal.db.user.create({
      data: { username: 'gone-admin', role: 'admin', passwordHash: 'x', disabled: true },
    })
  ).id;
});
afterAll(async () => {
  await portal?.close();
});

const failureNotices = (userId: string) =>
  portal.db.notification.findMany({ where: { userId, kind: 'recording_failed' }, orderBy: { seq: 'asc' } });

async function terminal(device: string, userId: string) {
  const c = await TestClient.open(portal, `/ws/terminal/${await portal.deviceId(device)}`, userId);
  c.send({ type: 'connect', cols: 100, rows: 30 });
  const hello = await c.waitFrame('terminal_connected');
  await c.waitOutput(new RegExp(`<${device}>$`));
  return { c, sessionId: hello.session_id as string };
}

describe('a full recording store', () => {
  it('marks the recordings failed mid-session, the sessions go on, and each admin is told once', async () => {
    const a = await terminal('lab-vrp-01', portal.users.operator);
    // failed while the session is still open (the first flush hit the full disk)
    const failed = await vi.waitFor(async () => {
      const r = await portal.db.recording.findUniqueOrThrow({ where: { sessionId: a.sessionId } });
      expect(r.state).toBe('failed');
      return r;
    }, WAIT);
    expect(failed.endedAt).toBeNull();
    expect(failed.note).toMatch(/could not be written \(ENOSPC: no space left on device/);

    // the session is unaffected: commands run and their output arrives
    a.c.send({ type: 'input', data: 'display version\r' });
    await a.c.waitOutput(/VRP[\s\S]*<lab-vrp-01>$/);

    // a second session in the same burst fails the same way, and notifies nobody again
    const b = await terminal('lab-vrp-02', portal.users.operator2);
    await vi.waitFor(async () => {
      const r = await portal.db.recording.findUniqueOrThrow({ where: { sessionId: b.sessionId } });
      expect(r.state).toBe('failed');
    }, WAIT);
    b.c.send({ type: 'input', data: 'display clock\r' });
    await b.c.waitOutput(/display clock[\s\S]*<lab-vrp-02>$/);
    for (const s of [a, b]) {
      s.c.send({ type: 'close' });
      await s.c.waitFrame('terminal_closed');
      await s.c.close();
    }
    await portal.runtime.recordings!.service.drain();

    for (const s of [a, b]) {
      const r = await portal.db.recording.findUniqueOrThrow({ where: { sessionId: s.sessionId } });
      expect(r).toMatchObject({ state: 'failed', commandCount: 1, storedBytes: 0 });
      expect(r.endedAt).not.toBeNull();
      expect(r.note).toMatch(/ENOSPC.*the recording is incomplete\.$/);
    }

    for (const id of [portal.users.admin, admin2]) {
      const notices = await failureNotices(id);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        title: `Session recordings are failing on ${portal.runtime.nodes.self}`,
        link: '/recordings?state=failed',
        readAt: null,
      });
      expect(notices[0]!.body).toMatch(/could not be written \(ENOSPC: .*first: op on lab-vrp-01/);
      expect(JSON.parse(notices[0]!.params)).toMatchObject({
        node: portal.runtime.nodes.self,
        error: expect.stringMatching(/^ENOSPC: no space left on device/),
        user: 'op',
        device: 'lab-vrp-01',
      });
    }
    // not to a disabled admin, nor to anyone who is not an admin
    for (const id of [disabledAdmin, portal.users.operator, portal.users.operator2, portal.users.viewer])
      expect(await failureNotices(id)).toEqual([]);
  });
});

describe('failure bursts', () => {
  it('one notification per burst: failures within RECORDING_ALERT_QUIET_MS of the last are the same burst', async () => {
    let clock = Date.parse('2026-12-04T10:00:00Z');
    const store = new UnwritableStore();
    const recordings = new Recordings({
      db: portal.db,
      store,
      log: pino({ level: 'silent' }),
      nodeId: 'node-b',
      enabled: true,
      maxBytes: 1024 * 1024,
      recordInput: false,
      feed: portal.feed,
      now: () => clock,
    });
    const before = (await failureNotices(admin2)).length;
    const deviceId = await portal.deviceId('lab-ios-01');
    const start = async () => {
      const sessionId = `unwritable-${clock}-${Math.random()}`;
      // the session goes on unrecorded: no tap, and the index row says why
      expect(
        await recordings.start({ sessionId, userId: portal.users.operator, deviceId, cols: 80, rows: 24 }),
      ).toBeNull();
      await recordings.drain();
      const row = await portal.db.recording.findUniqueOrThrow({ where: { sessionId } });
      expect(row.state).toBe('failed');
      expect(row.note).toMatch(/could not be written \(EACCES: permission denied/);
    };
    const minute = 60_000;
    // three failures at once, then more, each within the quiet time of the one before (40 min in all)
    await Promise.all([start(), start(), start()]);
    for (let i = 0; i < 4; i++) {
      clock += RECORDING_ALERT_QUIET_MS - minute;
      await start();
    }
    expect(store.created).toBe(7);
    let notices = (await failureNotices(admin2)).slice(before);
    expect(notices).toHaveLength(1);
    expect(JSON.parse(notices[0]!.params)).toMatchObject({
      node: 'node-b',
      error: expect.stringMatching(/^EACCES/),
    });
    // quiet for RECORDING_ALERT_QUIET_MS: the next failure is a new burst
    clock += RECORDING_ALERT_QUIET_MS;
    await start();
    notices = (await failureNotices(admin2)).slice(before);
    expect(notices).toHaveLength(2);
    expect(new Set(notices.map((n) => n.eventKey)).size).toBe(2);
    expect(await failureNotices(portal.users.operator)).toEqual([]);
  });

  it('an admin who turned the kind off is not told', async () => {
    await portal.feed.setKinds(admin2, ['device_down']);
    const before = await portal.db.notification.count({ where: { kind: 'recording_failed' } });
    const recordings = new Recordings({
      db: portal.db,
      store: new UnwritableStore(),
      log: pino({ level: 'silent' }),
      nodeId: 'node-c',
      enabled: true,
      maxBytes: 1024 * 1024,
      recordInput: false,
      feed: portal.feed,
    });
    await recordings.start({
      sessionId: `kind-off-${Date.now()}`,
      userId: portal.users.operator,
      deviceId: await portal.deviceId('lab-ios-01'),
      cols: 80,
      rows: 24,
    });
    await recordings.drain();
    // the other admin (kind on by default) is told; admin2 is not
    const made = await portal.db.notification.findMany({
      where: { kind: 'recording_failed', eventKey: { startsWith: 'recording_failed:node-c:' } },
    });
    expect(made.map((n) => n.userId)).toEqual([portal.users.admin]);
    expect(await portal.db.notification.count({ where: { kind: 'recording_failed' } })).toBe(before + 1);
  });
});
