import type { DeviceStatus } from '../devices/status';
import type { TaskDeviceStatus, TaskStatus } from '../tasks/status';

/**
 * Typed events that cross module (and, with Redis, node) boundaries. Payloads are plain JSON so the
 * same events can travel over Redis pub/sub.
 */
export interface EventMap {
  'device.status.changed': {
    deviceId: string;
    status: DeviceStatus;
    previous: string;
    reason?: string;
    at: string;
  };
  'task.status.changed': {
    taskId: string;
    ownerId: string;
    status: TaskStatus;
    progress: number;
    currentDevice: string | null;
    totalDevices: number;
    completedDevices: number;
    failedDevices: number;
    timestamp: string;
    /** Per-device changes since the previous update: devices that started (running) or finished. */
    devices?: {
      deviceId: string;
      deviceName: string;
      status: TaskDeviceStatus;
      error?: string | null;
      durationMs?: number | null;
      /** JSON of the per-command outputs, when small enough to carry live. */
      output?: string;
    }[];
    final?: boolean;
  };
  /** Stop a running task wherever it runs (the node whose runner has it aborts it). */
  'task.cancel': { taskId: string };
  'notification.created': { userId: string; seq: number; id: string };
  'notification.read': { userId: string; unread: number; upToSeq?: number };
  /**
   * A user lost access: every node closes that user's affected sockets and terminal sessions at once.
   * `all`: disabled, password reset, role change, signed out everywhere; `deviceIds`: grants removed.
   * `reason` is shown to the user (terminal tab, close frame).
   */
  'access.revoked': { userId: string; scope: RevocationScope; reason: string };
  /**
   * Grants, groups or teams changed for these users without necessarily taking a device away (a team
   * lost `observe`): what they watch is checked again on every node.
   */
  'access.changed': { userIds: string[] };
  /** Guard-rail rules changed: every node reloads them (lib/policy/service.ts). */
  'policy.changed': { at: string };
  /** A command held for approval was decided (or expired): the node whose session waits resumes it. */
  'approval.decided': {
    approvalId: string;
    status: 'approved' | 'rejected' | 'expired' | 'withdrawn';
    by: string | null;
    /** What the approver wrote when rejecting (one line, no control characters). */
    note?: string;
  };
}

/** Everything of a user, the terminals of some devices, or what one API token opened. */
export type RevocationScope = 'all' | { deviceIds: string[] } | { tokenId: string };

export type Topic = keyof EventMap;
export type Handler<K extends Topic> = (payload: EventMap[K]) => void | Promise<void>;

export interface EventBus {
  /** Deliver to every subscriber (asynchronously); a failing subscriber never affects the publisher. */
  publish<K extends Topic>(topic: K, payload: EventMap[K]): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe<K extends Topic>(topic: K, handler: Handler<K>): () => void;
  close(): Promise<void>;
}
