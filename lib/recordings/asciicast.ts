/**
 * asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/), the format the asciinema player
 * plays: a JSON header line, then one JSON array per event, `[seconds, code, data]`:
 * `o` output, `i` input (only when input recording is on), `r` resize (`"COLSxROWS"`), `m` a marker
 * (the player can jump to each; the portal puts one at every command line the audit records).
 *
 * Pure: the encoder turns session events into lines and keeps the recording within its cap; the
 * parser reads a cast back (the tests compare it with what a browser received).
 */

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  /** Unix seconds when the session started. */
  timestamp: number;
  title?: string;
  env?: Record<string, string>;
}

export type CastEventCode = 'o' | 'i' | 'r' | 'm';
export type CastEvent = [number, CastEventCode, string];

/** The marker written when a recording reaches its cap; nothing after it is kept. */
export const CAP_MARKER = 'recording stopped: size cap reached';

export interface CastEncoderOptions {
  header: CastHeader;
  /** Uncompressed bytes at most (header and events); the event that would pass it is replaced by the cap marker. */
  maxBytes: number;
  /** Clock in ms (injected for tests). */
  now?: () => number;
}

/**
 * Session events to asciicast lines. `push*` return the line to store (UTF-8, with its newline) or null when
 * the recording is already capped. Times are seconds since the header's start, with millisecond
 * precision (what the player resolves).
 */
export class CastEncoder {
  private readonly startMs: number;
  private readonly now: () => number;
  private bytesSoFar: number;
  private cappedAt: number | null = null;
  readonly headerLine: string;

  constructor(private readonly opts: CastEncoderOptions) {
    this.now = opts.now ?? Date.now;
    this.startMs = opts.header.timestamp * 1000;
    this.headerLine = `${JSON.stringify(opts.header)}\n`;
    this.bytesSoFar = Buffer.byteLength(this.headerLine);
  }

  get bytes(): number {
    return this.bytesSoFar;
  }

  /** Whether the cap was reached (the recording is incomplete). */
  get capped(): boolean {
    return this.cappedAt !== null;
  }

  /** Seconds since the start, as written in events. */
  elapsed(): number {
    return Math.max(0, Math.round(this.now() - this.startMs)) / 1000;
  }

  output(data: string): Buffer | null {
    return this.event('o', data);
  }

  input(data: string): Buffer | null {
    return this.event('i', data);
  }

  resize(cols: number, rows: number): Buffer | null {
    return this.event('r', `${cols}x${rows}`);
  }

  marker(label: string): Buffer | null {
    return this.event('m', label);
  }

  /**
   * One event as the UTF-8 bytes to store: encoded once here (the size is its length, and the store's
   * gzip takes the bytes as they are), which bulk output, recorded at tens of MB/s, feels.
   */
  private event(code: CastEventCode, data: string): Buffer | null {
    if (this.cappedAt !== null) return null;
    const t = this.elapsed();
    const line = Buffer.from(`${JSON.stringify([t, code, data])}\n`);
    // room is kept for the cap marker itself
    const marker = Buffer.from(`${JSON.stringify([t, 'm', CAP_MARKER])}\n`);
    if (this.bytesSoFar + line.length + marker.length > this.opts.maxBytes) {
      this.cappedAt = t;
      this.bytesSoFar += marker.length;
      return marker;
    }
    this.bytesSoFar += line.length;
    return line;
  }
}

export interface ParsedCast {
  header: CastHeader;
  events: CastEvent[];
}

/** Read an asciicast v2 document; throws on anything else (a line that is not an event, another version). */
export function parseCast(text: string): ParsedCast {
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines.length === 0) throw new Error('empty recording');
  const header = JSON.parse(lines[0]!) as CastHeader;
  if (header.version !== 2) throw new Error(`not asciicast v2 (version ${String(header.version)})`);
  const events = lines.slice(1).map((l, i) => {
    const e = JSON.parse(l) as unknown;
    if (
      !Array.isArray(e) ||
      e.length !== 3 ||
      typeof e[0] !== 'number' ||
      !['o', 'i', 'r', 'm'].includes(e[1] as string) ||
      typeof e[2] !== 'string'
    )
      throw new Error(`line ${i + 2} is not an event`);
    return e as CastEvent;
  });
  return { header, events };
}

/** Everything the recording shows as output, in order (what a browser attached throughout received). */
export function castOutput(cast: ParsedCast): string {
  return cast.events
    .filter((e) => e[1] === 'o')
    .map((e) => e[2])
    .join('');
}
