import { StringDecoder } from 'node:string_decoder';
import iconv from 'iconv-lite';
import type { DeviceEncoding } from './encodings';

// The list and the type live in a browser-safe module (the device form imports them); this one is
// the server-side codec.
export { ENCODINGS, deviceEncodingOf, isDeviceEncoding, type DeviceEncoding } from './encodings';

export interface StreamDecoder {
  /** Decode a chunk; an incomplete multi-byte character at the end is held for the next chunk. */
  write(chunk: Buffer): string;
  end(): string;
}

/** Streaming decoder for device output: never splits a multi-byte character across chunks. */
export function createDecoder(encoding: DeviceEncoding): StreamDecoder {
  if (encoding === 'gbk') {
    const d = iconv.getDecoder('gbk');
    return { write: (chunk) => d.write(chunk), end: () => d.end() ?? '' };
  }
  const d = new StringDecoder('utf8');
  return { write: (chunk) => d.write(chunk), end: () => d.end() };
}

/** Encode what the user typed (a JS string: whole characters) for the device. */
export function encodeInput(encoding: DeviceEncoding, text: string): Buffer {
  return encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
}
