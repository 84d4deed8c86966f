import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { PrismaClient } from '../lib/db/client';
import { DatabaseRecordingStore } from '../lib/recordings/db-store';
import { DirectoryRecordingStore, type RecordingStore } from '../lib/recordings/store';
import { freshDatabase } from './helpers';

/**
 * Casts are streamed to a download (read and decompressed as they are sent), from either store: the
 * bytes are those `read` gives, a recording still being written streams up to its last flush, and a
 * key the store does not hold is refused before the first byte. SQLite, and PostgreSQL in test:pg.
 */
let db: PrismaClient;
beforeAll(() => {
  ({ db } = freshDatabase());
});

async function collect(r: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

const stores: [string, () => RecordingStore][] = [
  ['directory', () => new DirectoryRecordingStore(mkdtempSync(path.join(tmpdir(), 'sb-rec-stream-')), 20)],
  // small chunks: a long cast spans many rows and several pages of them
  ['database', () => new DatabaseRecordingStore(db, { flushMs: 20, chunkBytes: 512 })],
];

describe.each(stores)('streaming a cast from the %s store', (_name, make) => {
  it('gives the bytes read() gives, across many chunks, with multi-byte text intact', async () => {
    const store = make();
    const key = store.keyFor(randomBytes(12).toString('hex'), new Date());
    const w = store.create(key);
    w.write('{"version":2,"width":80,"height":24,"timestamp":1}\n');
    for (let i = 0; i < 3000; i++)
      w.write(`[${i / 10},"o","接口 GE0/0/${i} ${randomBytes(24).toString('hex')}\\r\\n"]\n`);
    const end = await w.end();
    expect(end.error).toBeNull();
    const whole = await store.read(key);
    expect(whole.length).toBeGreaterThan(200_000);
    expect(await collect(await store.stream(key))).toBe(whole);
  });

  it('a recording still being written streams up to its last flush', async () => {
    const store = make();
    const key = store.keyFor(randomBytes(12).toString('hex'), new Date());
    const w = store.create(key);
    w.write('{"version":2,"width":80,"height":24,"timestamp":1}\n');
    w.write('[0.5,"o","flushed line\\r\\n"]\n');
    await vi.waitFor(async () => expect(await store.read(key)).toContain('flushed line'), {
      timeout: 5000,
      interval: 20,
    });
    expect(await collect(await store.stream(key))).toContain('flushed line');
    await w.end();
  });

  it('a key the store does not hold is refused before any byte (ENOENT)', async () => {
    const store = make();
    const key = store.keyFor(randomBytes(12).toString('hex'), new Date());
    await expect(store.stream(key)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
