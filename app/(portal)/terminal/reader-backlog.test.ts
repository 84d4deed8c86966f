import { describe, expect, it } from 'vitest';
import { READER_HIGH_WATER_CHARS, READER_LOW_WATER_CHARS } from '@/lib/terminal/flow';
import { ReaderBacklog } from './reader-backlog';

describe('ReaderBacklog', () => {
  it('asks to hold the device once xterm is a high mark behind, and to go on at the low mark, once each', () => {
    const said: boolean[] = [];
    const b = new ReaderBacklog((paused) => said.push(paused), { highBytes: 1000, lowBytes: 200 });
    b.queued(600);
    b.queued(399);
    expect(said).toEqual([]);
    b.queued(1); // 1000 unparsed
    expect(said).toEqual([true]);
    b.queued(5000); // still behind: nothing new to say
    b.parsed(5000);
    b.parsed(799); // 201
    expect(said).toEqual([true]);
    b.parsed(1); // 200: caught up
    expect(said).toEqual([true, false]);
    b.parsed(200);
    expect(b.size).toBe(0);
    expect(said).toEqual([true, false]);
  });

  it('by default holds the device about a megabyte behind', () => {
    const said: boolean[] = [];
    const b = new ReaderBacklog((paused) => said.push(paused));
    b.queued(READER_HIGH_WATER_CHARS - 1);
    expect(said).toEqual([]);
    b.queued(1);
    b.parsed(READER_HIGH_WATER_CHARS - READER_LOW_WATER_CHARS);
    expect(said).toEqual([true, false]);
  });
});
