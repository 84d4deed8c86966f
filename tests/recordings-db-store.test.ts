import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as castRoute from '../app/api/v1/recordings/[id]/cast/route';
import { parseEnv } from '../lib/config';
import { createPrismaClient, type PrismaClient } from '../lib/db/client';
import { castOutput, parseCast } from '../lib/recordings/asciicast';
import { DatabaseRecordingStore } from '../lib/recordings/db-store';
import { purgeRecordings } from '../lib/recordings/purge';
import { DirectoryRecordingStore } from '../lib/recordings/store';
import {
  clusterStoreWarning,
  createRecordingStore,
  recordingStoreKind,
} from '../lib/recordings/store-choice';
import { setRuntime } from '../lib/server/registry';
import pino from 'pino';
import { call, mintToken } from './api-client';
import { startPortal, TestClient, type Portal } from './harness';
import { freshDatabase } from './helpers';

/**
 * The database recording store (cluster mode: every node reads every recording, no shared file
 * system): a recording is appended chunk by chunk as it is flushed, readable in order at any moment
 * (by another node too, through its own connection), removed with its index row, and a database
 * that refuses or cannot keep up stops the recording, not the session. Run on SQLite and, with
 * TEST_DATABASE=postgres (npm run test:pg), on PostgreSQL.
 */
const WAIT = { timeout: 10_000, interval: 20 };
let db: PrismaClient;
let url: string;

beforeAll(() => {
  ({ db, url } = freshDatabase());
});

const id = () => randomBytes(12).toString('hex');
const chunks = (key: string) =>
  db.recordingChunk.findMany({ where: { key }, orderBy: { seq: 'asc' }, select: { seq: true, data: true } });

describe('DatabaseRecordingStore', () => {
  it('appends a chunk per flush, readable in order while it is written and after, by any connection', async () => {
    const store = new DatabaseRecordingStore(db, { flushMs: 20 });
    const key = store.keyFor(id());
    expect(key).toMatch(/^db:[0-9a-f]{24}$/);
    const w = store.create(key);
    const header = '{"version":2,"width":80,"height":24,"timestamp":1}\n';
    w.write(header);
    // the header is written at once: the recording exists from its start
    await vi.waitFor(async () => expect(await chunks(key)).toHaveLength(1), WAIT);
    expect(await store.read(key)).toBe(header);

    const lines = Array.from(
      { length: 5 },
      (_, i) => `[${i + 1},"o","line ${i} ${'x'.repeat(i * 10)}\\r\\n"]\n`,
    );
    let have = 1;
    for (const line of lines) {
      w.write(line);
      // each flush is one more chunk, and the cast so far reads back whole
      await vi.waitFor(async () => expect((await chunks(key)).length).toBeGreaterThan(have), WAIT);
      have = (await chunks(key)).length;
    }
    // another node: its own connection to the same database, its own store
    const other = createPrismaClient(url);
    try {
      expect(await new DatabaseRecordingStore(other).read(key)).toBe(header + lines.join(''));
    } finally {
      await other.$disconnect();
    }
    const { storedBytes, error } = await w.end();
    expect(error).toBeNull();
    const rows = await chunks(key);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i));
    expect(storedBytes).toBe(rows.reduce((n, r) => n + r.data.length, 0));
    expect(await store.read(key)).toBe(header + lines.join(''));
  });

  it('bulk output is cut into chunks of about RECORDING_CHUNK_BYTES between flushes, joined back in order', async () => {
    const store = new DatabaseRecordingStore(db, { flushMs: 60_000, chunkBytes: 16 * 1024 });
    const key = store.keyFor(id());
    const w = store.create(key);
    // output that does not compress (random): the compressed stream is as long as the text
    const events = Array.from(
      { length: 200 },
      (_, i) => `[${i},"o","${randomBytes(600).toString('base64')}"]\n`,
    );
    const text = '{"version":2,"width":80,"height":24,"timestamp":1}\n' + events.join('');
    for (const e of ['{"version":2,"width":80,"height":24,"timestamp":1}\n', ...events]) w.write(e);
    const { storedBytes, error } = await w.end();
    expect(error).toBeNull();
    const rows = await chunks(key);
    expect(rows.length).toBeGreaterThan(5);
    expect(storedBytes).toBeGreaterThan(text.length * 0.7);
    // no chunk much above the threshold (gzip hands its output over in pieces of up to 16 KiB)
    for (const r of rows) expect(r.data.length).toBeLessThanOrEqual(2 * 16 * 1024);
    expect(await store.read(key)).toBe(text);
  });

  it('a removed recording is gone, read as missing (ENOENT) like a deleted file', async () => {
    const store = new DatabaseRecordingStore(db, { flushMs: 20 });
    const key = store.keyFor(id());
    const w = store.create(key);
    w.write('{"version":2}\n');
    await w.end();
    await store.remove(key);
    expect(await chunks(key)).toEqual([]);
    await expect(store.read(key)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.read(store.keyFor(id()))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads and removes the recordings the directory store made before it, so switching loses none', async () => {
    const dir = new DirectoryRecordingStore(mkdtempSync(path.join(tmpdir(), 'sb-rec-prev-')));
    const oldKey = dir.keyFor(id(), new Date('2026-11-01T00:00:00Z'));
    const w = dir.create(oldKey);
    w.write('{"version":2,"width":80,"height":24,"timestamp":1}\n[0.1,"o","old"]\n');
    await w.end();
    const store = new DatabaseRecordingStore(db, { previous: dir });
    expect(await store.read(oldKey)).toContain('"old"');
    expect(() => store.create(oldKey)).toThrow(/not a database recording key/);
    await store.remove(oldKey);
    await expect(dir.read(oldKey)).rejects.toThrow(/ENOENT/);
    // without a previous store, such a key is simply missing
    await expect(new DatabaseRecordingStore(db).read(oldKey)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a database that does not keep up stops the recording (memory stays bounded), once, with the reason', async () => {
    // inserts that never finish: a database that hangs
    const hung = { recordingChunk: { create: () => new Promise(() => {}) } } as unknown as PrismaClient;
    const errors: Error[] = [];
    const store = new DatabaseRecordingStore(hung, {
      flushMs: 60_000,
      chunkBytes: 8 * 1024,
      backlogMaxBytes: 64 * 1024,
    });
    const w = store.create(store.keyFor(id()), (err) => errors.push(err));
    for (let i = 0; i < 200 && !w.error; i++)
      w.write(`[${i},"o","${randomBytes(900).toString('base64')}"]\n`);
    await vi.waitFor(() => expect(w.error).not.toBeNull(), WAIT);
    expect(w.error!.message).toMatch(/database is not keeping up/);
    w.write('more'); // ignored
    expect(errors).toHaveLength(1);
  });

  it('a database that refuses the writes fails the recording with its error', async () => {
    const own = freshDatabase();
    try {
      await own.db.$executeRawUnsafe('DROP TABLE "RecordingChunk"');
      const errors: Error[] = [];
      const store = new DatabaseRecordingStore(own.db, { flushMs: 20 });
      const w = store.create(store.keyFor(id()), (err) => errors.push(err));
      w.write('{"version":2}\n');
      await vi.waitFor(() => expect(errors).toHaveLength(1), WAIT);
      w.write('[1,"o","after"]\n');
      expect(await w.end()).toEqual({ storedBytes: 0, error: errors[0] });
    } finally {
      await own.db.$disconnect();
    }
  });
});

describe('choosing the store', () => {
  it('auto is the database with PostgreSQL and the directory with SQLite; RECORDING_STORE overrides', () => {
    expect(recordingStoreKind('auto', 'postgresql://u@h/db')).toBe('database');
    expect(recordingStoreKind('auto', 'postgres://u@h/db')).toBe('database');
    expect(recordingStoreKind('auto', 'file:./data/switchboard.db')).toBe('directory');
    expect(recordingStoreKind('database', 'file:./x.db')).toBe('database');
    expect(recordingStoreKind('directory', 'postgresql://u@h/db')).toBe('directory');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sb-rec-choice-'));
    const choose = (RECORDING_STORE: 'auto' | 'directory' | 'database', DATABASE_URL: string) =>
      createRecordingStore({ RECORDING_STORE, DATABASE_URL, DATA_DIR: dataDir }, db);
    expect(choose('auto', 'postgresql://u@h/db')).toBeInstanceOf(DatabaseRecordingStore);
    expect(choose('auto', 'file:x.db')).toBeInstanceOf(DirectoryRecordingStore);
    expect(choose('database', 'file:x.db')).toBeInstanceOf(DatabaseRecordingStore);
  });

  it('a cluster node on the directory store is warned that its recordings play only there', () => {
    expect(clusterStoreWarning('directory', 'postgresql://u@h/db', '/srv/node-1')).toMatch(
      /plays only on the node that made it, unless \/srv\/node-1\/recordings is one shared mount/,
    );
    expect(clusterStoreWarning('auto', 'postgresql://u@h/db', '/srv/node-1')).toBeNull();
    expect(clusterStoreWarning('database', 'postgresql://u@h/db', '/srv/node-1')).toBeNull();
  });

  it('RECORDING_STORE is read from the environment, auto by default, and checked', () => {
    expect(parseEnv({}).RECORDING_STORE).toBe('auto');
    expect(parseEnv({ RECORDING_STORE: 'database' }).RECORDING_STORE).toBe('database');
    expect(() => parseEnv({ RECORDING_STORE: 's3' })).toThrow(/RECORDING_STORE/);
  });
});

describe('terminal sessions recorded into the database', () => {
  let portal: Portal;
  beforeAll(async () => {
    portal = await startPortal({
      recordings: { store: (pdb) => new DatabaseRecordingStore(pdb, { flushMs: 50 }) },
    });
    setRuntime(portal.runtime);
  });
  afterAll(async () => {
    setRuntime(undefined);
    await portal?.close();
  });

  it('replay to exactly what the browser got; another node plays it mid-session; purge removes the chunks', async () => {
    const c = await TestClient.open(
      portal,
      `/ws/terminal/${await portal.deviceId('lab-vrp-01')}`,
      portal.users.operator,
    );
    const received: string[] = [];
    c.ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as { type: string; data?: string };
      if (f.type === 'output') received.push(f.data!);
    });
    c.send({ type: 'connect', cols: 100, rows: 30 });
    const sessionId = (await c.waitFrame('terminal_connected')).session_id as string;
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'input', data: 'display version\r' });
    await c.waitOutput(/VRP[\s\S]*<lab-vrp-01>$/);

    const row = await portal.db.recording.findUniqueOrThrow({ where: { sessionId } });
    expect(row.key).toBe(`db:${row.id}`);
    // another node, its own connection: the session so far, while it is still open
    const other = createPrismaClient(portal.url);
    try {
      const otherStore = new DatabaseRecordingStore(other);
      await vi.waitFor(async () => {
        expect(castOutput(parseCast(await otherStore.read(row.key)))).toMatch(/VRP/);
      }, WAIT);
    } finally {
      await other.$disconnect();
    }

    c.send({ type: 'close' });
    await c.waitFrame('terminal_closed');
    await c.close();
    await portal.runtime.recordings!.service.drain();
    const done = await portal.db.recording.findUniqueOrThrow({ where: { sessionId } });
    expect(done).toMatchObject({ state: 'complete', commandCount: 1, note: '' });
    const text = await portal.runtime.recordings!.store.read(done.key);
    expect(Buffer.byteLength(text)).toBe(done.bytes);
    expect(castOutput(parseCast(text))).toBe(received.join(''));
    const stored = await portal.db.recordingChunk.findMany({ where: { key: done.key } });
    expect(done.storedBytes).toBe(stored.reduce((n, r) => n + r.data.length, 0));
    expect(done.storedBytes).toBeLessThan(done.bytes);

    // the API serves it from the database
    const token = (await mintToken(portal.runtime, portal.users.operator, 'read')).token;
    const r = await call(castRoute.GET, {
      token,
      path: `/recordings/${done.id}/cast`,
      params: { id: done.id },
    });
    expect([r.status, r.text]).toEqual([200, text]);

    // retention: index row and chunks go together
    await portal.db.recording.update({ where: { id: done.id }, data: { startedAt: new Date('2020-01-01') } });
    const store = portal.runtime.recordings!.store;
    expect(
      await purgeRecordings(
        { db: portal.db, store, log: pino({ level: 'silent' }) },
        new Date(Date.now() - 3_600_000),
      ),
    ).toBe(1);
    expect(await portal.db.recordingChunk.count({ where: { key: done.key } })).toBe(0);
  });
});
