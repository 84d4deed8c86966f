/**
 * The one list of task and task-device states. The database columns, the protocol, the events, the
 * executor and the badges in the UI all import them from here (browser-safe: no server imports).
 */
export const TASK_STATUSES = [
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** States a task never leaves. */
export const TASK_FINAL_STATUSES = [
  'completed',
  'failed',
  'cancelled',
  'interrupted',
] as const satisfies readonly TaskStatus[];
/** States in which a task holds, or waits for, a running slot. */
export const TASK_ACTIVE_STATUSES = ['queued', 'running'] as const satisfies readonly TaskStatus[];

export function isFinal(status: string): boolean {
  return (TASK_FINAL_STATUSES as readonly string[]).includes(status);
}

/** `skipped`: the task has no commands for the device's vendor (neither a success nor a failure). */
export const TASK_DEVICE_STATUSES = [
  'pending',
  'running',
  'success',
  'failed',
  'cancelled',
  'skipped',
] as const;
export type TaskDeviceStatus = (typeof TASK_DEVICE_STATUSES)[number];
/** Device states that still have work to do (cancel turns them into `cancelled`). */
export const TASK_DEVICE_UNFINISHED_STATUSES = [
  'pending',
  'running',
] as const satisfies readonly TaskDeviceStatus[];
/** Outcome states of a device that has run. */
export type TaskDeviceOutcome = Extract<TaskDeviceStatus, 'success' | 'failed' | 'cancelled' | 'skipped'>;
