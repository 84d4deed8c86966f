import { describe, expect, it } from 'vitest';
import { CastEncoder, CAP_MARKER } from '@/lib/recordings/asciicast';
import { clockOffset } from './clock';
import { castMarkerLabels, markerIndexes } from './markers';

describe('recording markers', () => {
  it('reads the markers of a cast the recorder wrote, output with "m" in it included', () => {
    let now = 1_000_000;
    const enc = new CastEncoder({
      header: { version: 2, width: 80, height: 24, timestamp: now / 1000 },
      maxBytes: 1 << 20,
      now: () => now,
    });
    const lines = [enc.headerLine];
    const push = (...bs: (Buffer | null)[]) => lines.push(...bs.map((b) => b!.toString()));
    push(enc.output('<sw>'), enc.marker('display version'));
    now += 1500;
    push(enc.output('x,"m",y\r\n'), enc.marker('reload'), enc.marker('display version'));
    // a recording cut off mid-line by a crash
    const cast = `${lines.join('')}[2.0,"m","cut`;
    expect(castMarkerLabels(cast)).toEqual(['display version', 'reload', 'display version']);
  });

  it('ties each command line to its marker, repeated lines in turn; lines after a cap have none', () => {
    expect(
      markerIndexes(
        ['show clock', 'reload', 'show clock', 'write'],
        ['show clock', 'reload', 'show clock', CAP_MARKER],
      ),
    ).toEqual([0, 1, 2, null]);
    expect(markerIndexes(['a', 'a'], ['a'])).toEqual([0, null]);
  });

  it('shows a place in a recording as a player does', () => {
    expect([0, 7_900, 723_000, 3_723_000].map(clockOffset)).toEqual(['0:00', '0:07', '12:03', '1:02:03']);
  });
});
