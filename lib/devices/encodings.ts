/**
 * The one list of device character encodings, used by the database column, the device form and the
 * codec in ./encoding (browser-safe: no server imports, so the form can use it).
 */
export const ENCODINGS = ['utf-8', 'gbk'] as const;
export type DeviceEncoding = (typeof ENCODINGS)[number];

export function isDeviceEncoding(v: string): v is DeviceEncoding {
  return (ENCODINGS as readonly string[]).includes(v);
}

/** The encoding stored on a device row; anything unknown reads as UTF-8. */
export function deviceEncodingOf(v: string): DeviceEncoding {
  return isDeviceEncoding(v) ? v : 'utf-8';
}
