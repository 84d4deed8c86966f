/**
 * The one list of device reachability states, used by the database column, the status monitor, the
 * events, the protocol and the status dots (browser-safe: no server imports).
 */
export const DEVICE_STATUSES = ['unknown', 'online', 'offline', 'error'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export function isDeviceStatus(v: unknown): v is DeviceStatus {
  return typeof v === 'string' && (DEVICE_STATUSES as readonly string[]).includes(v);
}
