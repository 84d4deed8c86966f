import { describe, expect, it } from 'vitest';
import { constants, gunzipSync } from 'node:zlib';
import { CastGzip } from './store';

/** Everything the stream produced so far, decompressed as a reader of a live recording would. */
function collect(gz: CastGzip): () => string {
  const out: Buffer[] = [];
  gz.stream.on('data', (b: Buffer) => out.push(b));
  return () => gunzipSync(Buffer.concat(out), { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
}

describe('CastGzip', () => {
  it('hands bulk output to gzip in batches, not an event at a time', async () => {
    const gz = new CastGzip(64 * 1024);
    const writes: number[] = [];
    const write = gz.stream.write.bind(gz.stream);
    gz.stream.write = ((chunk: Buffer, ...rest: never[]) => {
      writes.push(chunk.length);
      return write(chunk, ...rest);
    }) as typeof gz.stream.write;
    const read = collect(gz);
    const events = Array.from({ length: 256 }, (_, i) => `[${i / 1000},"o","${'x'.repeat(1000)}\\r\\n"]\n`);
    for (const e of events) gz.write(e);
    // 256 events of about 1 KiB: four batches of 64 KiB, nothing held back past the limit
    expect(writes.length).toBeLessThanOrEqual(4);
    for (const n of writes) expect(n).toBeGreaterThanOrEqual(64 * 1024);
    await new Promise<void>((resolve) => gz.flush(resolve));
    expect(read()).toBe(events.join(''));
  });

  it('a flush takes the partial batch along, so a live recording reads to its last line', async () => {
    const gz = new CastGzip();
    const read = collect(gz);
    gz.write('{"version":2,"width":80,"height":24,"timestamp":1}\n');
    gz.write(Buffer.from('[0.5,"o","prompt> "]\n'));
    await new Promise<void>((resolve) => gz.flush(resolve));
    expect(read()).toBe('{"version":2,"width":80,"height":24,"timestamp":1}\n[0.5,"o","prompt> "]\n');
    gz.write('[1,"o","more"]\n');
    const ended = new Promise<void>((resolve) => gz.stream.on('end', resolve));
    gz.end();
    await ended;
    expect(read()).toContain('[1,"o","more"]\n');
  });
});
