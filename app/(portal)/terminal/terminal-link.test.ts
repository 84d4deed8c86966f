import { describe, expect, it } from 'vitest';
import { chunkInput, INPUT_CHUNK_CHARS } from './terminal-link';

describe('chunkInput (large pastes)', () => {
  it('keeps typing whole and cuts a paste into frames that fit the server limit', () => {
    expect(chunkInput('display clock\r')).toEqual(['display clock\r']);
    const paste = 'x'.repeat(INPUT_CHUNK_CHARS * 2 + 5);
    const chunks = chunkInput(paste);
    expect(chunks.map((c) => c.length)).toEqual([INPUT_CHUNK_CHARS, INPUT_CHUNK_CHARS, 5]);
    expect(chunks.join('')).toBe(paste);
    // the worst case for JSON (a control character becomes \u001b: six bytes) still fits 64 KiB
    expect(JSON.stringify({ type: 'input', data: '\x1b'.repeat(INPUT_CHUNK_CHARS) }).length).toBeLessThan(
      64 * 1024,
    );
  });

  it('never splits a surrogate pair (emoji, rare CJK)', () => {
    const text = 'a' + '😀'.repeat(10); // each emoji is two UTF-16 units
    const chunks = chunkInput(text, 4);
    expect(chunks.join('')).toBe(text);
    for (const c of chunks) expect(c).toBe(String.fromCodePoint(...[...c].map((x) => x.codePointAt(0)!)));
    expect(chunks.every((c) => !/[\ud800-\udbff]$/.test(c))).toBe(true);
  });
});
