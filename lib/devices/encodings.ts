/**
 * The one list of device character encodings, used by the database column, the device form and the
 * codec in ./encoding (browser-safe: no server imports, so the form can use it).
 */
export const ENCODINGS = ['utf-8', 'gbk', 'gb18030', 'big5', 'shift_jis'] as const;
export type DeviceEncoding = (typeof ENCODINGS)[number];

/** How the UI names each (the device form, the terminal's switch). */
export const ENCODING_LABELS: Record<DeviceEncoding, string> = {
  'utf-8': 'UTF-8',
  gbk: 'GBK',
  gb18030: 'GB18030',
  big5: 'Big5',
  shift_jis: 'Shift_JIS',
};

export function isDeviceEncoding(v: string): v is DeviceEncoding {
  return (ENCODINGS as readonly string[]).includes(v);
}

/** The encoding stored on a device row; anything unknown reads as UTF-8. */
export function deviceEncodingOf(v: string): DeviceEncoding {
  return isDeviceEncoding(v) ? v : 'utf-8';
}
