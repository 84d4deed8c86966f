import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client';
import type { NotificationFeed } from '../notifications/feed';

/**
 * Admins are told when the recording store fails (disk full, directory unwritable, database store
 * refusing writes): once per failure burst, not once per recording or per chunk. A full disk fails
 * every session being recorded at once and every one opened after; one notification says so.
 */

/**
 * Failures closer together than this are one burst: a new notification needs this long without a
 * failure first (the store was repaired, or nobody opened a session meanwhile).
 */
export const RECORDING_ALERT_QUIET_MS = 15 * 60_000;

export interface FailureBurst {
  /** When the burst's first failure happened (names the burst: the notification's event key). */
  startedAt: number;
  lastAt: number;
  /** Failures in the burst so far. */
  failures: number;
}

/**
 * Pure: the burst after a failure at `nowMs`, and whether that failure starts a new one (and so is
 * notified).
 */
export function nextBurst(
  current: FailureBurst | null,
  nowMs: number,
  quietMs = RECORDING_ALERT_QUIET_MS,
): { burst: FailureBurst; isNew: boolean } {
  if (current && nowMs - current.lastAt < quietMs)
    return {
      burst: { ...current, lastAt: Math.max(current.lastAt, nowMs), failures: current.failures + 1 },
      isNew: false,
    };
  return { burst: { startedAt: nowMs, lastAt: nowMs, failures: 1 }, isNew: true };
}

export interface StoreFailure {
  error: Error;
  recordingId: string;
  device: string;
  user: string;
}

/** A failure's error as admins read it: the code when there is one (ENOSPC, EACCES), then the message. */
export function describeStoreError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  const message = err.message.length > 300 ? `${err.message.slice(0, 300)}…` : err.message;
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

/** Tells this node's store failures to the enabled admins, once per burst. */
export class StoreFailureAlerts {
  private burst: FailureBurst | null = null;

  constructor(
    private readonly deps: {
      db: PrismaClient;
      feed: NotificationFeed;
      log: Logger;
      nodeId: string;
      quietMs?: number;
      now?: () => number;
    },
  ) {}

  /** Record a failure; notifies when it starts a burst. Never rejects (the session must not notice). */
  async failed(f: StoreFailure): Promise<void> {
    const now = (this.deps.now ?? Date.now)();
    // decided before any await: failures that arrive together make one notification
    const { burst, isNew } = nextBurst(this.burst, now, this.deps.quietMs);
    this.burst = burst;
    if (!isNew) return;
    try {
      const admins = await this.deps.db.user.findMany({
        where: { role: 'admin', disabled: false },
        select: { id: true },
      });
      const node = this.deps.nodeId;
      const error = describeStoreError(f.error);
      await this.deps.feed.notify(
        admins.map((a) => a.id),
        {
          kind: 'recording_failed',
          title: `Session recordings are failing on ${node}`,
          body: `The recording store could not be written (${error}). Sessions go on unrecorded from that point (first: ${f.user} on ${f.device}).`,
          params: { node, error, device: f.device, user: f.user },
          link: '/recordings?state=failed',
          // the burst, on this node: a retried notify (or a second call for it) adds nothing
          eventKey: `recording_failed:${node}:${burst.startedAt}`,
        },
      );
    } catch (err) {
      this.deps.log.error({ err, recording: f.recordingId }, 'recording store failure not notified');
    }
  }
}
