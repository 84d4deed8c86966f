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
  if (encoding === 'gb18030') return gb18030Decoder();
  if (encoding !== 'utf-8') {
    // iconv-lite's decoders keep a split multi-byte character for the next chunk, as StringDecoder does
    const d = iconv.getDecoder(encoding);
    return { write: (chunk) => d.write(chunk), end: () => d.end() ?? '' };
  }
  const d = new StringDecoder('utf8');
  return { write: (chunk) => d.write(chunk), end: () => d.end() };
}

/**
 * GB18030 with our own character boundaries: iconv-lite's streaming decoder loses the second half of
 * a four-byte character (a supplementary-plane Han character) split across chunks. The bytes of an
 * unfinished character are held back (one byte below 0x81 is a character; a lead byte then 0x30–0x39
 * starts a four-byte one, anything else a two-byte one) and whole characters decoded at once.
 */
function gb18030Decoder(): StreamDecoder {
  let held = Buffer.alloc(0);
  const wholeUpTo = (b: Buffer): number => {
    let i = 0;
    while (i < b.length) {
      const lead = b[i]!;
      if (lead < 0x81 || lead === 0xff) i += 1;
      else if (i + 1 >= b.length) return i;
      else if (b[i + 1]! >= 0x30 && b[i + 1]! <= 0x39) {
        if (i + 3 >= b.length) return i;
        i += 4;
      } else i += 2;
    }
    return b.length;
  };
  return {
    write(chunk) {
      const all = held.length ? Buffer.concat([held, chunk]) : chunk;
      const cut = wholeUpTo(all);
      held = Buffer.from(all.subarray(cut));
      return cut > 0 ? iconv.decode(all.subarray(0, cut), 'gb18030') : '';
    },
    end() {
      const rest = held.length ? iconv.decode(held, 'gb18030') : '';
      held = Buffer.alloc(0);
      return rest;
    },
  };
}

/** Encode what the user typed (a JS string: whole characters) for the device. */
export function encodeInput(encoding: DeviceEncoding, text: string): Buffer {
  return encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding);
}
