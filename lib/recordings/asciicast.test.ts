import { describe, expect, it } from 'vitest';
import { CAP_MARKER, CastEncoder, castOutput, parseCast } from './asciicast';

const header = { version: 2 as const, width: 80, height: 24, timestamp: 1_700_000_000 };

function encoder(maxBytes = 1_000_000) {
  let now = header.timestamp * 1000;
  const e = new CastEncoder({ header, maxBytes, now: () => now });
  return { e, advance: (ms: number) => (now += ms) };
}

describe('asciicast v2 encoding', () => {
  it('writes the header and events with times since the start, in milliseconds', () => {
    const { e, advance } = encoder();
    const lines = [e.headerLine];
    lines.push(e.output('hello\r\n')!);
    advance(1234);
    lines.push(e.resize(120, 40)!);
    advance(1);
    lines.push(e.marker('display version')!);
    lines.push(e.input('q')!);
    expect(lines.join('')).toBe(
      `${JSON.stringify(header)}\n[0,"o","hello\\r\\n"]\n[1.234,"r","120x40"]\n[1.235,"m","display version"]\n[1.235,"i","q"]\n`,
    );
    expect(e.bytes).toBe(Buffer.byteLength(lines.join('')));
  });

  it('keeps escape sequences, control characters and non-ASCII text exactly', () => {
    const { e } = encoder();
    const text = '\x1b[?1049h\x1b[1;1H中文 \u0000\x07 ünïcode\r\n';
    const cast = parseCast(e.headerLine + e.output(text)!);
    expect(castOutput(cast)).toBe(text);
  });

  it('stops at the cap with a marker that fits, and takes nothing after', () => {
    const { e } = encoder(400);
    const lines = [e.headerLine];
    for (let i = 0; i < 20 && !e.capped; i++) lines.push(e.output('x'.repeat(50))!);
    expect(e.capped).toBe(true);
    expect(lines.at(-1)).toContain(CAP_MARKER);
    expect(e.output('more')).toBeNull();
    expect(e.marker('reload')).toBeNull();
    const text = lines.join('');
    expect(Buffer.byteLength(text)).toBe(e.bytes);
    expect(e.bytes).toBeLessThanOrEqual(400);
    expect(parseCast(text).events.at(-1)![2]).toBe(CAP_MARKER);
  });

  it('refuses what is not a v2 cast', () => {
    expect(() => parseCast('')).toThrow(/empty/);
    expect(() => parseCast('{"version":1}\n')).toThrow(/not asciicast v2/);
    expect(() => parseCast(`${JSON.stringify(header)}\n[0,"x","?"]\n`)).toThrow(/line 2 is not an event/);
    expect(() => parseCast(`${JSON.stringify(header)}\nnot json\n`)).toThrow();
  });
});
