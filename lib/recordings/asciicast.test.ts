import { describe, expect, it } from 'vitest';
import { CAP_MARKER, CastEncoder, castOutput, parseCast } from './asciicast';

const header = { version: 2 as const, width: 80, height: 24, timestamp: 1_700_000_000 };

/** An encoded line as text (the encoder hands the store UTF-8 bytes). */
const text = (line: Buffer | null) => line!.toString();

function encoder(maxBytes = 1_000_000) {
  let now = header.timestamp * 1000;
  const e = new CastEncoder({ header, maxBytes, now: () => now });
  return { e, advance: (ms: number) => (now += ms) };
}

describe('asciicast v2 encoding', () => {
  it('writes the header and events with times since the start, in milliseconds', () => {
    const { e, advance } = encoder();
    const lines = [e.headerLine];
    lines.push(text(e.output('hello\r\n')));
    advance(1234);
    lines.push(text(e.resize(120, 40)));
    advance(1);
    lines.push(text(e.marker('display version')));
    lines.push(text(e.input('q')));
    expect(lines.join('')).toBe(
      `${JSON.stringify(header)}\n[0,"o","hello\\r\\n"]\n[1.234,"r","120x40"]\n[1.235,"m","display version"]\n[1.235,"i","q"]\n`,
    );
    expect(e.bytes).toBe(Buffer.byteLength(lines.join('')));
  });

  it('keeps escape sequences, control characters and non-ASCII text exactly', () => {
    const { e } = encoder();
    const output = '\x1b[?1049h\x1b[1;1H中文 \u0000\x07 ünïcode\r\n';
    const cast = parseCast(e.headerLine + text(e.output(output)));
    expect(castOutput(cast)).toBe(output);
  });

  it('stops at the cap with a marker that fits, and takes nothing after', () => {
    const { e } = encoder(400);
    const lines = [e.headerLine];
    for (let i = 0; i < 20 && !e.capped; i++) lines.push(text(e.output('x'.repeat(50))));
    expect(e.capped).toBe(true);
    expect(lines.at(-1)).toContain(CAP_MARKER);
    expect(e.output('more')).toBeNull();
    expect(e.marker('reload')).toBeNull();
    const all = lines.join('');
    expect(Buffer.byteLength(all)).toBe(e.bytes);
    expect(e.bytes).toBeLessThanOrEqual(400);
    expect(parseCast(all).events.at(-1)![2]).toBe(CAP_MARKER);
  });

  it('caps exactly where an event and the marker after it would no longer fit, at any cap and any time', () => {
    // the rule, spelled out: an event is kept while it and a cap marker at its time still fit
    const lineBytes = (t: number, code: string, data: string) =>
      Buffer.byteLength(`${JSON.stringify([t, code, data])}\n`);
    for (let maxBytes = 150; maxBytes < 700; maxBytes += 13) {
      for (const startMs of [0, 9_999, 123_456_789]) {
        const { e, advance } = encoder(maxBytes);
        advance(startMs);
        let expected = Buffer.byteLength(e.headerLine);
        const lines = [e.headerLine];
        for (let i = 0; !e.capped && i < 100; i++) {
          const data = 'é'.repeat((i * 7) % 23);
          const t = e.elapsed();
          const fits = expected + lineBytes(t, 'o', data) + lineBytes(t, 'm', CAP_MARKER) <= maxBytes;
          lines.push(text(e.output(data)));
          expected += fits ? lineBytes(t, 'o', data) : lineBytes(t, 'm', CAP_MARKER);
          expect(e.capped).toBe(!fits);
          advance(37);
        }
        expect(e.capped).toBe(true);
        expect(e.bytes).toBe(expected);
        expect(Buffer.byteLength(lines.join(''))).toBe(e.bytes);
        expect(e.bytes).toBeLessThanOrEqual(maxBytes);
      }
    }
  });

  it('refuses what is not a v2 cast', () => {
    expect(() => parseCast('')).toThrow(/empty/);
    expect(() => parseCast('{"version":1}\n')).toThrow(/not asciicast v2/);
    expect(() => parseCast(`${JSON.stringify(header)}\n[0,"x","?"]\n`)).toThrow(/line 2 is not an event/);
    expect(() => parseCast(`${JSON.stringify(header)}\nnot json\n`)).toThrow();
  });
});
