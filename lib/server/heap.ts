import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full garbage collection kept before
 * it starts the next one (HEAP_GROWING_PERCENT; V8's `--heap-growing-percent`, read each time V8
 * sets the next limit, so it can be set once the process runs). 0 leaves it to V8.
 *
 * Left to V8 the factor came out at about 1.5 during a flood of terminal output: the portal's heap
 * holds about 50 MB that lives (Prisma, the drivers, the compiled code), the flood's short-lived
 * objects kept the old generation near its limit, and a full collection started every 150 ms, its
 * marking of those 50 MB taking a second core's time (about half of V8's background threads'
 * samples during the flood). At 100 (twice the live heap) a 50 MB flood through the portal cost
 * 9.6–10.9 ms of CPU per MB instead of 13.8–16.8, with fewer full collections (the benchmark's own
 * forced ones included, 25–30 instead of 38–52), at the price of up to one more live heap's worth of
 * garbage between collections.
 */
export function setHeapGrowth(percent: number): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
