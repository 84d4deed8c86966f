import { describe, expect, it } from 'vitest';
import {
  compressOutput,
  OUTPUT_UNCOMPRESSED,
  WS_COMPRESS_BACKLOG_BYTES,
  WS_COMPRESS_THRESHOLD_BYTES,
  WS_FAST_LINK_BYTES_PER_S,
  WS_FAST_LINK_PROOF_MS,
  type OutputCompression,
} from './connections';

const FRAME = 64 * 1024;

/** One socket's output frames through the decision, on a clock the test moves. */
function socket() {
  let state: OutputCompression = OUTPUT_UNCOMPRESSED;
  let now = 1_000_000;
  return {
    /** Send `frames` frames of `bytes` over `ms` with `buffered` bytes waiting; how many were compressed. */
    send(frames: number, opts: { bytes?: number; buffered?: number; ms?: number } = {}): number {
      let compressed = 0;
      for (let i = 0; i < frames; i++) {
        now += (opts.ms ?? 0) / frames;
        const d = compressOutput(state, opts.bytes ?? FRAME, opts.buffered ?? 0, now);
        state = d.state;
        if (d.compress) compressed++;
      }
      return compressed;
    },
    get compressing() {
      return state.compressing;
    },
  };
}

/** Frames of FRAME bytes that carry `bytesPerS` for `ms`. */
const framesAt = (bytesPerS: number, ms: number) => Math.ceil((bytesPerS * ms) / 1000 / FRAME);

describe('compressOutput (terminal output frames)', () => {
  it('sends output as it is while the link keeps up, however much there is', () => {
    const s = socket();
    expect(s.send(2000, { ms: 2000, buffered: WS_COMPRESS_BACKLOG_BYTES - 1 })).toBe(0);
  });

  it('compresses once output piles up in the socket, and never a small frame (a keystroke echo)', () => {
    const s = socket();
    expect(s.send(1, { buffered: WS_COMPRESS_BACKLOG_BYTES })).toBe(1);
    expect(s.send(5, { bytes: WS_COMPRESS_THRESHOLD_BYTES - 1, buffered: 1024 * 1024 })).toBe(0);
    expect(s.send(1, { bytes: WS_COMPRESS_THRESHOLD_BYTES })).toBe(1);
  });

  it('stays compressed on a slow link whose buffer empties between bursts', () => {
    const s = socket();
    s.send(1, { buffered: 1024 * 1024 });
    // a 1 MB/s link carries ~6 MB/s of compressed text: well below a fast link, for ten seconds
    const frames = framesAt(6e6, 10_000);
    expect(s.send(frames, { ms: 10_000 })).toBe(frames);
    expect(s.compressing).toBe(true);
  });

  it('goes back to plain output once the link took more than a fast link’s rate for long enough', () => {
    const s = socket();
    s.send(1, { buffered: 1024 * 1024 });
    // fast, but not yet for long enough
    const quick = framesAt(WS_FAST_LINK_BYTES_PER_S * 2, WS_FAST_LINK_PROOF_MS / 2);
    expect(s.send(quick, { ms: WS_FAST_LINK_PROOF_MS / 2 })).toBe(quick);
    expect(s.send(quick, { ms: WS_FAST_LINK_PROOF_MS / 2 + 1 })).toBeGreaterThan(quick - 2);
    expect(s.compressing).toBe(false);
    expect(s.send(100, { ms: 100 })).toBe(0);
  });

  it('a backlog during the proof starts it again', () => {
    const s = socket();
    s.send(1, { buffered: 1024 * 1024 });
    const frames = framesAt(WS_FAST_LINK_BYTES_PER_S * 2, WS_FAST_LINK_PROOF_MS * 0.9);
    s.send(frames, { ms: WS_FAST_LINK_PROOF_MS * 0.9 });
    s.send(1, { buffered: WS_COMPRESS_BACKLOG_BYTES });
    // another 0.9 of the proof window: still compressing, the earlier bytes no longer count
    expect(s.send(frames, { ms: WS_FAST_LINK_PROOF_MS * 0.9 })).toBe(frames);
    expect(s.compressing).toBe(true);
  });
});
