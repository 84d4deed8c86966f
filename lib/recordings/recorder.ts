import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client';
import type { NotificationFeed } from '../notifications/feed';
import { TERMINAL_TERM } from '../terminal/manager';
import { StoreFailureAlerts, describeStoreError } from './alerts';
import { CastEncoder, CAP_MARKER } from './asciicast';
import type { RecordingStore, RecordingWriter } from './store';

/**
 * What a terminal session tells its recorder (the session's output port for recordings): output as
 * the device sent it, the user's keys (kept only when input recording is on), resizes, and each
 * command line the audit records.
 */
export interface SessionTap {
  output(text: string): void;
  input(data: string): void;
  resize(cols: number, rows: number): void;
  command(line: string): void;
  /** The session ended: flush, close and index the recording. */
  close(reason: string): Promise<void>;
}

export interface RecordingsOptions {
  db: PrismaClient;
  store: RecordingStore;
  log: Logger;
  nodeId: string;
  /** RECORDINGS=off turns recording off for every device. */
  enabled: boolean;
  /** RECORDING_MAX_BYTES: uncompressed bytes per recording; past it the recording stops, marked. */
  maxBytes: number;
  /** RECORDING_INPUT=on keeps the user's keystrokes too (passwords typed at a prompt included). */
  recordInput: boolean;
  /** Where admins are told that the store fails (once per burst, lib/recordings/alerts.ts). */
  feed?: NotificationFeed;
  /** RECORDING_ALERT_QUIET_MS, shortened by tests. */
  alertQuietMs?: number;
  now?: () => number;
}

export interface RecordingStart {
  sessionId: string;
  userId: string;
  deviceId: string;
  cols: number;
  rows: number;
}

/** Recording states in `Recording.state`. */
export type RecordingState = 'recording' | 'complete' | 'capped' | 'failed' | 'interrupted';

/** The note of a recording its store failed. */
export function storeFailedNote(err: Error): string {
  return `The recording store could not be written (${describeStoreError(err)}); the recording is incomplete.`;
}

/**
 * Starts a recorder per terminal session, unless recording is off for the portal or for one of the
 * device's groups (`DeviceGroup.recordSessions`).
 */
export class Recordings {
  /** Recordings being finished (flushed, closed, indexed): the runtime waits for them before it stops. */
  private readonly finishing = new Set<Promise<void>>();
  private readonly alerts: StoreFailureAlerts | null;

  constructor(private readonly opts: RecordingsOptions) {
    this.alerts = opts.feed
      ? new StoreFailureAlerts({
          db: opts.db,
          feed: opts.feed,
          log: opts.log,
          nodeId: opts.nodeId,
          quietMs: opts.alertQuietMs,
          now: opts.now,
        })
      : null;
  }

  private track(p: Promise<void>): void {
    this.finishing.add(p);
    void p.finally(() => this.finishing.delete(p));
  }

  /**
   * The store failed this recording (now, mid-session): its index says so at once, so that it lists
   * as failed while the session goes on, and admins are told (once per burst).
   */
  private storeFailed(id: string, err: Error, who: { user: string; device: string }): void {
    this.opts.log.error({ err, recording: id }, 'recording store failed');
    this.track(
      (async () => {
        await this.opts.db.recording
          .update({ where: { id }, data: { state: 'failed', note: storeFailedNote(err) } })
          .catch((e: unknown) =>
            this.opts.log.error({ err: e, recording: id }, 'recording index not updated'),
          );
        await this.alerts?.failed({ error: err, recordingId: id, ...who });
      })(),
    );
  }

  /** Wait until every closed session's recording is stored and indexed. */
  async drain(): Promise<void> {
    while (this.finishing.size > 0) await Promise.all([...this.finishing]);
  }

  /** Whether sessions on this device are recorded. */
  async records(deviceId: string): Promise<boolean> {
    if (!this.opts.enabled) return false;
    const off = await this.opts.db.deviceGroupMember.count({
      where: { deviceId, group: { recordSessions: false } },
    });
    return off === 0;
  }

  /**
   * A recorder for the session, or null when the device is not recorded. Index row first, then the
   * store. Never rejects: when the index cannot be written the session goes on unrecorded (logged).
   */
  async start(s: RecordingStart): Promise<SessionTap | null> {
    try {
      return await this.begin(s);
    } catch (err) {
      this.opts.log.error({ err, session: s.sessionId }, 'recording not started');
      return null;
    }
  }

  private async begin(s: RecordingStart): Promise<SessionTap | null> {
    if (!(await this.records(s.deviceId))) return null;
    const { db } = this.opts;
    const [user, device] = await Promise.all([
      db.user.findUnique({ where: { id: s.userId }, select: { username: true } }),
      db.device.findUnique({ where: { id: s.deviceId }, select: { name: true } }),
    ]);
    const now = this.opts.now ?? Date.now;
    const startedAt = new Date(now());
    // the id is chosen here so that the store's key goes into the same single insert
    const row = { id: randomUUID() };
    const key = this.opts.store.keyFor(row.id, startedAt);
    await db.recording.create({
      data: {
        id: row.id,
        sessionId: s.sessionId,
        userId: s.userId,
        username: user?.username ?? s.userId,
        deviceId: s.deviceId,
        deviceName: device?.name ?? s.deviceId,
        nodeId: this.opts.nodeId,
        startedAt,
        key,
      },
    });
    const encoder = new CastEncoder({
      header: {
        version: 2,
        width: s.cols,
        height: s.rows,
        timestamp: startedAt.getTime() / 1000,
        title: `${user?.username ?? s.userId} on ${device?.name ?? s.deviceId}`,
        env: { TERM: TERMINAL_TERM },
      },
      maxBytes: this.opts.maxBytes,
      now,
    });
    const who = { user: user?.username ?? s.userId, device: device?.name ?? s.deviceId };
    let writer: RecordingWriter;
    try {
      writer = this.opts.store.create(key, (err) => this.storeFailed(row.id, err, who));
    } catch (err) {
      // the store refused to start it: the session goes on unrecorded, the index says why
      this.storeFailed(row.id, err instanceof Error ? err : new Error(String(err)), who);
      await this.opts.db.recording
        .update({ where: { id: row.id }, data: { endedAt: startedAt } })
        .catch(() => {});
      return null;
    }
    writer.write(encoder.headerLine);
    return new SessionRecorder(row.id, encoder, writer, this.opts, startedAt.getTime(), (p) => this.track(p));
  }

  /**
   * Recordings a stopped node left `recording` (it died, or stopped before closing them): marked
   * interrupted with what their store holds. Run at start-up for this node's own recordings.
   */
  async markInterrupted(nodeId = this.opts.nodeId): Promise<number> {
    const { count } = await this.opts.db.recording.updateMany({
      where: { nodeId, state: 'recording' },
      data: {
        state: 'interrupted',
        note: 'The node stopped during the session; the recording ends where it last flushed.',
      },
    });
    return count;
  }
}

class SessionRecorder implements SessionTap {
  private commands = 0;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly id: string,
    private readonly encoder: CastEncoder,
    private readonly writer: RecordingWriter,
    private readonly opts: RecordingsOptions,
    private readonly startedMs: number,
    private readonly onFinishing: (finished: Promise<void>) => void,
  ) {}

  private put(line: Buffer | null): void {
    if (line !== null) this.writer.write(line);
  }

  /** Nothing more is recorded: the session closed, or the store failed (the session goes on). */
  private get stopped(): boolean {
    return this.closing !== null || this.writer.error !== null;
  }

  /** Output as the session hands it over: a turn's output at a time (joined once, in the session). */
  output(text: string): void {
    if (this.stopped) return;
    this.put(this.encoder.output(text));
  }

  input(data: string): void {
    if (this.stopped || !this.opts.recordInput) return;
    this.put(this.encoder.input(data));
  }

  resize(cols: number, rows: number): void {
    if (this.stopped) return;
    this.put(this.encoder.resize(cols, rows));
  }

  command(line: string): void {
    if (this.closing) return;
    const capped = this.encoder.capped;
    // a failed store takes no marker, but the command line is still indexed (the audit's line)
    if (!this.writer.error) this.put(this.encoder.marker(line));
    if (capped) return;
    this.commands++;
    const offsetMs = Math.round(this.encoder.elapsed() * 1000);
    void this.opts.db.recordingCommand
      .create({ data: { recordingId: this.id, offsetMs, command: line } })
      .catch((err: unknown) =>
        this.opts.log.warn({ err, recording: this.id }, 'recording command not indexed'),
      );
  }

  close(reason: string): Promise<void> {
    if (!this.closing) {
      this.closing = this.finish(reason);
      this.onFinishing(this.closing);
    }
    return this.closing;
  }

  private async finish(reason: string): Promise<void> {
    const { storedBytes, error } = await this.writer.end();
    const now = (this.opts.now ?? Date.now)();
    const state: RecordingState = error ? 'failed' : this.encoder.capped ? 'capped' : 'complete';
    const note = error
      ? storeFailedNote(error)
      : this.encoder.capped
        ? `${CAP_MARKER} (RECORDING_MAX_BYTES = ${this.opts.maxBytes}); the session went on unrecorded.`
        : '';
    await this.opts.db.recording
      .update({
        where: { id: this.id },
        data: {
          endedAt: new Date(now),
          durationMs: Math.max(0, now - this.startedMs),
          bytes: this.encoder.bytes,
          storedBytes,
          commandCount: this.commands,
          state,
          note,
        },
      })
      .catch((err: unknown) =>
        this.opts.log.error({ err, recording: this.id, reason }, 'recording index not updated'),
      );
  }
}
