import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { access, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { constants, createGunzip, createGzip, gunzipSync, type Gzip } from 'node:zlib';

/**
 * Where recordings are kept, compressed: one gzip stream per recording. The default store is a
 * directory (`DATA_DIR/recordings`); a cluster needs one every node can read: the database store
 * (lib/recordings/db-store.ts, RECORDING_STORE) or a directory on a shared mount.
 */
export interface RecordingStore {
  /**
   * A new recording's writer under `key` (made by `keyFor`). `onError` is told of the first error
   * writing hits (disk full, directory unwritable, database gone), when it happens: the session goes
   * on, the recording stops there.
   */
  create(key: string, onError?: (err: Error) => void): RecordingWriter;
  /** The whole cast, decompressed; what a node that stopped mid-recording left is readable up to its last flush. */
  read(key: string): Promise<string>;
  /**
   * The same, as a stream of UTF-8 bytes, read and decompressed as it is consumed (a download of a
   * 256 MiB recording holds a chunk in memory, not the file). Rejects (ENOENT) before any byte when
   * the store does not hold the key.
   */
  stream(key: string): Promise<Readable>;
  remove(key: string): Promise<void>;
  /** The store's key for a recording id (a relative path in the directory store). */
  keyFor(id: string, startedAt: Date): string;
}

export interface RecordingWriter {
  /** Queue a line (never blocks the session; a failed store stops taking lines, see `error`). */
  write(line: string | Buffer): void;
  /** Flush and close; the compressed size, or the error that stopped the recording. */
  end(): Promise<{ storedBytes: number; error: Error | null }>;
  /** The first error writing hit (disk full, directory unwritable), if any. */
  readonly error: Error | null;
}

/** How often a recording's gzip stream is flushed, so what a crash leaves is readable to that point. */
export const RECORDING_FLUSH_MS = 5_000;
/** Cast lines gathered before they go to gzip as one write (gzip's output buffer is as large). */
export const RECORDING_GZIP_BATCH_BYTES = 256 * 1024;

/**
 * A recording's gzip stream (level 1: terminal output compresses well even so, and the session's
 * own speed comes first), fed in batches. Each write to a zlib stream is a trip to libuv's thread pool
 * and back, one more per output buffer it fills (16 KiB by default): fed one bulk-output event at a
 * time, as sessions record, gzip cost 6.2–6.7 ms of CPU per MB of cast (1.5–1.9 of it on the thread
 * that relays the session); fed 256 KiB at a time into an output buffer as large, 4.3–4.5 (0.6–0.7),
 * for the same bytes. A batch waits in memory until it is full, the stream is flushed or it ends.
 */
export class CastGzip {
  readonly stream: Gzip;
  private batch: Buffer[] = [];
  private batchBytes = 0;

  /** `batchLimit` also bounds each piece of compressed output the stream hands over. */
  constructor(private readonly batchLimit = RECORDING_GZIP_BATCH_BYTES) {
    this.stream = createGzip({ level: 1, chunkSize: batchLimit });
  }

  write(line: string | Buffer): void {
    const bytes = typeof line === 'string' ? Buffer.from(line) : line;
    this.batch.push(bytes);
    this.batchBytes += bytes.length;
    if (this.batchBytes >= this.batchLimit) this.writeBatch();
  }

  /** Everything written so far into the compressed output (readable to here if the node dies). */
  flush(done?: () => void): void {
    this.writeBatch();
    this.stream.flush(constants.Z_SYNC_FLUSH, done);
  }

  end(): void {
    this.writeBatch();
    this.stream.end();
  }

  private writeBatch(): void {
    if (this.batch.length === 0) return;
    this.stream.write(this.batch.length === 1 ? this.batch[0] : Buffer.concat(this.batch, this.batchBytes));
    this.batch = [];
    this.batchBytes = 0;
  }
}
const SAFE_KEY = /^[0-9]{4}\/[0-9]{2}\/[A-Za-z0-9_-]{8,64}\.cast\.gz$/;

export class DirectoryRecordingStore implements RecordingStore {
  constructor(
    private readonly dir: string,
    private readonly flushMs = RECORDING_FLUSH_MS,
  ) {}

  keyFor(id: string, startedAt: Date): string {
    const y = String(startedAt.getUTCFullYear());
    const m = String(startedAt.getUTCMonth() + 1).padStart(2, '0');
    return `${y}/${m}/${id}.cast.gz`;
  }

  private file(key: string): string {
    if (!SAFE_KEY.test(key)) throw new Error(`not a recording key: ${key}`);
    return path.join(this.dir, key);
  }

  create(key: string, onError?: (err: Error) => void): RecordingWriter {
    return new FileWriter(this.file(key), this.flushMs, onError);
  }

  async read(key: string): Promise<string> {
    const data = await readFile(this.file(key));
    // a recording cut off by a crash ends mid-stream: keep what was flushed
    return gunzipSync(data, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  }

  async stream(key: string): Promise<Readable> {
    const file = this.file(key);
    await access(file); // ENOENT now, not halfway through a response
    return createReadStream(file).pipe(gunzipStream());
  }

  async remove(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}

/** Decompression that keeps what was flushed of a stream a crash (or a live recording) left open. */
export function gunzipStream() {
  return createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
}

class FileWriter implements RecordingWriter {
  private gzip: CastGzip | null = null;
  private out: WriteStream | null = null;
  private failure: Error | null = null;
  private readonly opened: Promise<void>;
  private readonly queued: (string | Buffer)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;

  constructor(
    private readonly file: string,
    flushMs: number,
    private readonly onError?: (err: Error) => void,
  ) {
    this.opened = mkdir(path.dirname(file), { recursive: true, mode: 0o700 }).then(
      () => {
        if (this.failure) return;
        this.gzip = new CastGzip();
        this.out = createWriteStream(file, { mode: 0o600 });
        this.out.on('error', (err) => this.fail(err));
        this.gzip.stream.on('error', (err) => this.fail(err));
        this.gzip.stream.pipe(this.out);
        for (const line of this.queued.splice(0)) this.gzip.write(line);
        this.timer = setInterval(() => {
          if (this.dirty && this.gzip && !this.failure) {
            this.dirty = false;
            this.gzip.flush();
          }
        }, flushMs);
        this.timer.unref();
      },
      (err: Error) => this.fail(err),
    );
  }

  get error(): Error | null {
    return this.failure;
  }

  private fail(err: Error): void {
    if (!this.failure) {
      this.failure = err;
      this.onError?.(err);
    }
    if (this.timer) clearInterval(this.timer);
    this.gzip?.stream.unpipe();
    this.gzip?.stream.destroy();
    this.out?.destroy();
  }

  write(line: string | Buffer): void {
    if (this.failure) return;
    this.dirty = true;
    if (this.gzip) this.gzip.write(line);
    else this.queued.push(line);
  }

  async end(): Promise<{ storedBytes: number; error: Error | null }> {
    await this.opened;
    if (this.timer) clearInterval(this.timer);
    if (!this.failure && this.gzip && this.out) {
      const out = this.out;
      await new Promise<void>((resolve) => {
        out.once('close', () => resolve());
        out.once('error', () => resolve());
        this.gzip!.end();
      });
    }
    if (this.failure) return { storedBytes: 0, error: this.failure };
    const size = await stat(this.file).then(
      (s) => s.size,
      () => 0,
    );
    return { storedBytes: size, error: null };
  }
}
