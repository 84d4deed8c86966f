import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

/**
 * Server-side screen models: every byte a terminal session prints is parsed by xterm's headless
 * terminal, so that a reloaded page (or an observer) starts from the screen as it is (the alternate
 * screen of `less` or `top`, the cursor, colours, modes) plus scrollback, however much was printed.
 *
 * Parsing costs about as much CPU as relaying the output (≈ 65 MB/s on this machine), so the models
 * live in one worker thread per node and the session thread only posts its output frames there. Output
 * that waited while the worker was busy is parsed as one write, and of a plain-text flood (`cat`,
 * `display logbuffer`, `show tech`) the part whose lines would all scroll out of the model's
 * scrollback before anyone could see them is not parsed at all (flood-cut.mjs: the screen, scrollback
 * and cursor come out the same; 5.9 → 5.1 s of the worker's CPU in the throughput benchmark). After
 * a write of a flood's size the worker rests 100 ms before it parses what came meanwhile (a snapshot,
 * a line read or a resize ends the rest), so a flood arriving a turn at a time is parsed in a few
 * large writes, mostly skipped, instead of one write per turn, each too short to skip anything (the
 * worker took 16–33% of a core during the benchmark's flood, 8–14% since). A
 * model that falls more than SCREEN_BACKLOG_MAX_CHARS behind (a flood faster than the worker parses)
 * stops taking output and, once the worker caught up, starts again from the session's raw scrollback
 * (what reattaching replayed before models existed): its snapshots are then marked inexact (a
 * full-screen program's mode may be lost; the next redraw or Ctrl+L shows the screen right). A worker that dies takes its models along: sessions fall back to their raw scrollback and
 * new sessions get a new worker.
 */

/** Scrollback rows a model keeps and a snapshot carries (the browser keeps more of its own). */
export const SCREEN_SCROLLBACK_ROWS = 3000;
/** Output a model may lag behind its session by before it gives up exactness. */
export const SCREEN_BACKLOG_MAX_CHARS = 16 * 1024 * 1024;
/**
 * The worker's nice value (Linux: per thread): parsing never takes a core from relaying. 10 gives it
 * about a tenth of a core that relaying also wants (CFS weights 110 vs 1024).
 */
export const SCREEN_WORKER_NICE = Number(process.env.SCREEN_WORKER_NICE ?? 10);
/** How long a reattach waits for a snapshot before it replays the raw scrollback instead. */
export const SCREEN_SNAPSHOT_TIMEOUT_MS = 3000;

export interface Snapshot {
  /** Escape sequences that rebuild the screen, its modes and scrollback in a terminal of this size. */
  data: string;
  cols: number;
  rows: number;
  /** False after the model lost output (see above): the screen may differ until the program redraws. */
  exact: boolean;
  /**
   * Characters of plain-text floods the model did not parse because all their lines scrolled out
   * before it got to them (the screen is the same; lib/terminal/flood-cut.mjs).
   */
  skipped: number;
}

export interface ScreenModelOptions {
  scrollbackRows?: number;
  backlogMaxChars?: number;
  snapshotTimeoutMs?: number;
  /** The session's raw scrollback, to restart a model that fell behind. */
  rawTail: () => string;
}

/** The line the cursor is on, as the screen shows it (the guard rails read command lines from it). */
export interface CursorLine {
  /** The whole logical line: rows the terminal wrapped are joined; trailing blanks removed. */
  text: string;
  /** What is left of the cursor on that line (the prompt, when nothing is typed). */
  before: string;
  /** The alternate screen is on (a full-screen program: `less`, `top`, an editor). */
  alt: boolean;
}

type WorkerReply =
  | { t: 'ack'; id: string; n: number }
  | { t: 'snap'; req: number; data: string | null; cols?: number; rows?: number; skipped?: number }
  | { t: 'line'; req: number; text: string | null; before?: string; alt?: boolean };

const WORKER_FILE = fileURLToPath(new URL('./screen-worker.mjs', import.meta.url));

/** One node's screen models and the worker that holds them. */
export class ScreenModels {
  private worker: Worker | null = null;
  private readonly models = new Map<string, ScreenModel>();
  private readonly snapshots = new Map<number, (r: Exclude<WorkerReply, { t: 'ack' }> | null) => void>();
  private seq = 0;
  private stopped = false;

  constructor(
    private readonly log: Pick<Logger, 'error'>,
    /** How long the worker rests after a flood-sized write (100 ms; tests lengthen it). */
    private readonly floodRestMs?: number,
  ) {}

  /** A model for a new session of this size (null when no worker can run: the session replays raw). */
  open(id: string, cols: number, rows: number, opts: ScreenModelOptions): ScreenModel | null {
    const worker = this.ensureWorker();
    if (!worker) return null;
    const model = new ScreenModel(this, worker, id, cols, rows, opts);
    this.models.set(id, model);
    return model;
  }

  /** Models alive (metrics, tests). */
  get size(): number {
    return this.models.size;
  }

  private ensureWorker(): Worker | null {
    if (this.stopped) return null;
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_FILE, {
        workerData: { nice: SCREEN_WORKER_NICE, floodRestMs: this.floodRestMs },
      });
    } catch (err) {
      this.log.error({ err }, 'the screen model worker cannot start; reattaching replays raw scrollback');
      return null;
    }
    worker.unref();
    worker.on('message', (m: WorkerReply) => {
      if (m.t === 'ack') this.models.get(m.id)?.acked(m.n);
      else {
        const done = this.snapshots.get(m.req);
        this.snapshots.delete(m.req);
        done?.(m);
      }
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      if (!this.stopped)
        this.log.error({ why }, 'the screen model worker stopped; its sessions replay raw scrollback');
      for (const m of this.models.values()) m.broken();
      this.models.clear();
      for (const done of this.snapshots.values()) done(null);
      this.snapshots.clear();
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  /** @internal */
  requestSnapshot(
    worker: Worker,
    id: string,
    scrollback: number,
    timeoutMs: number,
  ): Promise<Extract<WorkerReply, { t: 'snap' }> | null> {
    return this.request(worker, { t: 'snap', id, scrollback }, timeoutMs) as Promise<Extract<
      WorkerReply,
      { t: 'snap' }
    > | null>;
  }

  /** @internal */
  requestLine(
    worker: Worker,
    id: string,
    timeoutMs: number,
  ): Promise<Extract<WorkerReply, { t: 'line' }> | null> {
    return this.request(worker, { t: 'line', id }, timeoutMs) as Promise<Extract<
      WorkerReply,
      { t: 'line' }
    > | null>;
  }

  private request(
    worker: Worker,
    message: { t: 'snap' | 'line'; id: string; scrollback?: number },
    timeoutMs: number,
  ): Promise<Exclude<WorkerReply, { t: 'ack' }> | null> {
    if (this.worker !== worker) return Promise.resolve(null);
    const req = ++this.seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.snapshots.delete(req);
        resolve(null);
      }, timeoutMs);
      timer.unref();
      this.snapshots.set(req, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      worker.postMessage({ ...message, req });
    });
  }

  /** @internal */
  forget(id: string): void {
    this.models.delete(id);
  }

  /** Stop the worker (server shutdown, tests). */
  async stop(): Promise<void> {
    this.stopped = true;
    const w = this.worker;
    this.worker = null;
    for (const m of this.models.values()) m.broken();
    this.models.clear();
    for (const done of this.snapshots.values()) done(null);
    this.snapshots.clear();
    if (w) await w.terminate();
  }

  /** Kill the worker as a crash would (tests). */
  async crashForTest(): Promise<void> {
    await this.worker?.terminate();
  }
}

/** One session's screen, as the worker parses it. */
export class ScreenModel {
  private queued = 0;
  private lagging = false;
  private exact = true;
  private dead = false;
  private readonly backlogMax: number;

  constructor(
    private readonly models: ScreenModels,
    private readonly worker: Worker,
    private readonly id: string,
    private cols: number,
    private rows: number,
    private readonly opts: ScreenModelOptions,
  ) {
    this.backlogMax = opts.backlogMaxChars ?? SCREEN_BACKLOG_MAX_CHARS;
    this.post({ t: 'open', id, cols, rows, scrollback: this.scrollbackRows });
  }

  private get scrollbackRows(): number {
    return this.opts.scrollbackRows ?? SCREEN_SCROLLBACK_ROWS;
  }

  private post(message: object): void {
    if (this.dead) return;
    try {
      this.worker.postMessage(message);
    } catch {
      this.broken();
    }
  }

  /** Output as the session decoded it (whole characters). */
  write(text: string): void {
    if (this.dead || this.lagging || !text) return;
    if (this.queued + text.length > this.backlogMax) {
      this.lagging = true;
      this.exact = false;
      return;
    }
    this.queued += text.length;
    // one message (and one ack) per write: the session writes a turn's output at a time
    this.post({ t: 'w', id: this.id, d: text });
  }

  resize(cols: number, rows: number): void {
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    // while lagging the size goes in with the restart
    if (this.lagging) return;
    this.post({ t: 'resize', id: this.id, cols, rows });
  }

  /** @internal The worker parsed n characters of this session's output. */
  acked(n: number): void {
    this.queued = Math.max(0, this.queued - n);
    if (this.lagging && this.queued === 0) {
      // caught up: start again from the raw scrollback (the screen is right again once the program redraws)
      this.lagging = false;
      this.post({
        t: 'open',
        id: this.id,
        cols: this.cols,
        rows: this.rows,
        scrollback: this.scrollbackRows,
      });
      const tail = this.opts.rawTail();
      if (tail) {
        this.queued += tail.length;
        this.post({ t: 'w', id: this.id, d: tail });
      }
    }
  }

  /** @internal */
  broken(): void {
    this.dead = true;
  }

  /** Whether a snapshot can be had (false: the caller replays its raw scrollback). */
  get available(): boolean {
    return !this.dead && !this.lagging;
  }

  /**
   * The screen after all output written so far. Null when the model cannot answer (its worker died,
   * it lags behind, or the worker does not answer in time): the caller replays its raw scrollback.
   */
  async snapshot(): Promise<Snapshot | null> {
    if (!this.available) return null;
    const r = await this.models.requestSnapshot(
      this.worker,
      this.id,
      this.scrollbackRows,
      this.opts.snapshotTimeoutMs ?? SCREEN_SNAPSHOT_TIMEOUT_MS,
    );
    if (!r || r.data === null) return null;
    return {
      data: r.data,
      cols: r.cols ?? this.cols,
      rows: r.rows ?? this.rows,
      exact: this.exact,
      skipped: r.skipped ?? 0,
    };
  }

  /**
   * The line the cursor is on after all output written so far (null when the model cannot answer:
   * its worker died, it lags behind, or it does not answer in time).
   */
  async cursorLine(): Promise<CursorLine | null> {
    if (!this.available) return null;
    const r = await this.models.requestLine(
      this.worker,
      this.id,
      this.opts.snapshotTimeoutMs ?? SCREEN_SNAPSHOT_TIMEOUT_MS,
    );
    if (!r || r.text === null || !this.available) return null;
    return { text: r.text, before: r.before ?? '', alt: r.alt ?? false };
  }

  close(): void {
    this.post({ t: 'close', id: this.id });
    this.dead = true;
    this.models.forget(this.id);
  }
}
