/**
 * A webhook event's message key (next-intl keys cannot hold the dots of `task.finished`). Plain
 * module without lib imports: client components use it (the list of events comes from the page).
 */
export const EVENT_KEYS = {
  'task.finished': 'taskFinished',
  'task.failed': 'taskFailed',
  'config.changed': 'configChanged',
  ping: 'ping',
} as const;

export type EventKey = (typeof EVENT_KEYS)[keyof typeof EVENT_KEYS];

export function eventKey(event: string): EventKey | null {
  return Object.hasOwn(EVENT_KEYS, event) ? EVENT_KEYS[event as keyof typeof EVENT_KEYS] : null;
}

export type DeliveryStatus = 'delivered' | 'pending' | 'failed';

export function isDeliveryStatus(s: string): s is DeliveryStatus {
  return s === 'delivered' || s === 'pending' || s === 'failed';
}
