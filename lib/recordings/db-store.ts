import { Readable } from 'node:stream';
import { constants, gunzipSync } from 'node:zlib';
import type { PrismaClient } from '../db/client';
import {
  CastGzip,
  gunzipStream,
  RECORDING_FLUSH_MS,
  RECORDING_GZIP_BATCH_BYTES,
  type RecordingStore,
  type RecordingWriter,
} from './store';

/** Chunks a stream reads from the database at a time (each at most RECORDING_CHUNK_BYTES and a flush). */
const STREAM_PAGE_CHUNKS = 16;

/**
 * Recordings kept in the database (`RecordingChunk`), so that every node of a cluster can play every
 * recording without a shared file system: the database is the one thing every node already reaches.
 * A recording is one gzip stream, as in the directory store; each flush appends the compressed bytes
 * produced since the last one as the next chunk, and reading joins the chunks in order. A node that
 * dies mid-session leaves a recording readable up to its last chunk.
 */

/** A chunk is written early once this many compressed bytes wait (bulk output between two flushes). */
export const RECORDING_CHUNK_BYTES = 256 * 1024;
/**
 * Compressed bytes a recording may have waiting for the database at most: past it the database is
 * not keeping up (or not answering) and the recording stops, marked failed, instead of the node's
 * memory growing with the session.
 */
export const RECORDING_DB_BACKLOG_MAX_BYTES = 8 * 1024 * 1024;

const KEY_PREFIX = 'db:';
const SAFE_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** A missing recording reads as a missing file does (readCast answers "missing"). */
function notFound(key: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no recording chunks for ${key}`), { code: 'ENOENT' });
}

export interface DatabaseRecordingStoreOptions {
  flushMs?: number;
  chunkBytes?: number;
  backlogMaxBytes?: number;
  /**
   * The store recordings were kept in before this one (the node's directory): keys that are not
   * this store's are read and removed there, so switching stores loses no recording.
   */
  previous?: RecordingStore;
}

export class DatabaseRecordingStore implements RecordingStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly opts: DatabaseRecordingStoreOptions = {},
  ) {}

  keyFor(id: string): string {
    return `${KEY_PREFIX}${id}`;
  }

  /** Whether the key is one this store made (others belong to `previous`). */
  owns(key: string): boolean {
    return key.startsWith(KEY_PREFIX) && SAFE_ID.test(key.slice(KEY_PREFIX.length));
  }

  create(key: string, onError?: (err: Error) => void): RecordingWriter {
    if (!this.owns(key)) throw new Error(`not a database recording key: ${key}`);
    return new ChunkWriter(this.db, key, {
      flushMs: this.opts.flushMs ?? RECORDING_FLUSH_MS,
      chunkBytes: this.opts.chunkBytes ?? RECORDING_CHUNK_BYTES,
      backlogMaxBytes: this.opts.backlogMaxBytes ?? RECORDING_DB_BACKLOG_MAX_BYTES,
      onError,
    });
  }

  async read(key: string): Promise<string> {
    if (!this.owns(key)) {
      if (this.opts.previous) return this.opts.previous.read(key);
      throw notFound(key);
    }
    const rows = await this.db.recordingChunk.findMany({
      where: { key },
      orderBy: { seq: 'asc' },
      select: { data: true },
    });
    if (rows.length === 0) throw notFound(key);
    const data = Buffer.concat(rows.map((r) => r.data));
    // a recording still being written (or cut off by a crash) ends at a sync flush: keep what is there
    return gunzipSync(data, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  }

  async stream(key: string): Promise<Readable> {
    if (!this.owns(key)) {
      if (this.opts.previous) return this.opts.previous.stream(key);
      throw notFound(key);
    }
    if ((await this.db.recordingChunk.count({ where: { key } })) === 0) throw notFound(key);
    const db = this.db;
    // a page of chunks at a time, in order, as the reader takes them
    async function* chunks() {
      let after = -1;
      for (;;) {
        const page = await db.recordingChunk.findMany({
          where: { key, seq: { gt: after } },
          orderBy: { seq: 'asc' },
          take: STREAM_PAGE_CHUNKS,
          select: { seq: true, data: true },
        });
        for (const c of page) yield Buffer.from(c.data);
        if (page.length < STREAM_PAGE_CHUNKS) return;
        after = page[page.length - 1]!.seq;
      }
    }
    return Readable.from(chunks()).pipe(gunzipStream());
  }

  async remove(key: string): Promise<void> {
    if (!this.owns(key)) {
      await this.opts.previous?.remove(key);
      return;
    }
    await this.db.recordingChunk.deleteMany({ where: { key } });
  }
}

class ChunkWriter implements RecordingWriter {
  /** Its pieces of output are never larger than a chunk. */
  private readonly gzip: CastGzip;
  private failure: Error | null = null;
  /** Compressed bytes produced and not yet taken into a chunk. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes handed to the database and not yet written. */
  private backlog = 0;
  private stored = 0;
  private seq = 0;
  /** Inserts, one after the other: chunk n+1 is never written before chunk n. */
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;
  private started = false;
  private ended = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: PrismaClient,
    private readonly key: string,
    private readonly opts: {
      flushMs: number;
      chunkBytes: number;
      backlogMaxBytes: number;
      onError?: (err: Error) => void;
    },
  ) {
    this.gzip = new CastGzip(Math.min(RECORDING_GZIP_BATCH_BYTES, opts.chunkBytes));
    this.gzip.stream.on('data', (b: Buffer) => {
      this.pending.push(b);
      this.pendingBytes += b.length;
      if (this.pendingBytes >= opts.chunkBytes) this.takeChunk();
    });
    this.gzip.stream.on('error', (err) => this.fail(err));
    this.timer = setInterval(() => this.flush(), opts.flushMs);
    this.timer.unref();
  }

  get error(): Error | null {
    return this.failure;
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    clearInterval(this.timer);
    this.pending = [];
    this.gzip.stream.destroy();
    this.opts.onError?.(err);
  }

  write(line: string | Buffer): void {
    if (this.failure || this.ended) return;
    this.dirty = true;
    this.gzip.write(line);
    // the first line (the header) is written at once: the recording exists, and plays, from the start
    if (!this.started) {
      this.started = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sync-flush the gzip stream and write what it produced as the next chunk. */
  private flush(): void {
    if (!this.dirty || this.failure || this.ended) return;
    this.dirty = false;
    // the chunk ends where the flush did (its output may still be on its way to the listener)
    this.gzip.flush(() => setImmediate(() => this.takeChunk()));
  }

  /** What gzip produced so far becomes the next chunk, queued behind the ones before it. */
  private takeChunk(): void {
    if (this.failure || this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.backlog += data.length;
    if (this.backlog > this.opts.backlogMaxBytes) {
      this.fail(
        new Error(
          `the database is not keeping up with the recording (${Math.round(this.backlog / 1024)} KiB waiting)`,
        ),
      );
      return;
    }
    const seq = this.seq++;
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await this.db.recordingChunk.create({ data: { key: this.key, seq, data: new Uint8Array(data) } });
        this.stored += data.length;
        this.backlog -= data.length;
      } catch (err) {
        this.fail(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  async end(): Promise<{ storedBytes: number; error: Error | null }> {
    if (!this.ended) {
      this.ended = true;
      clearInterval(this.timer);
      if (!this.failure) {
        await new Promise<void>((resolve) => {
          this.gzip.stream.once('end', () => resolve());
          this.gzip.stream.once('error', () => resolve());
          this.gzip.stream.once('close', () => resolve());
          this.gzip.end();
          // 'end' comes only once the output is read: it is, by the 'data' listener
        });
        this.takeChunk();
      }
    }
    await this.chain;
    return this.failure ? { storedBytes: 0, error: this.failure } : { storedBytes: this.stored, error: null };
  }
}
