import { describe, expect, it } from 'vitest';
import headless from '@xterm/headless';
import { SerializeAddon } from '@xterm/addon-serialize';
import { floodCut } from './flood-cut.mjs';

const { Terminal } = headless;
type Term = InstanceType<typeof Terminal>;

function term(cols: number, rows: number, scrollback: number): { t: Term; s: SerializeAddon } {
  const t = new Terminal({ cols, rows, scrollback, allowProposedApi: true });
  const s = new SerializeAddon();
  t.loadAddon(s);
  return { t, s };
}
const write = (t: Term, data: string) => new Promise<void>((resolve) => t.write(data, resolve));

/** Everything a snapshot carries (screen, scrollback, cursor, modes) and the cursor itself. */
function state({ t, s }: { t: Term; s: SerializeAddon }) {
  const b = t.buffer.active;
  return { serialized: s.serialize(), cursor: [b.cursorX, b.cursorY, b.baseY, b.length] };
}

/** Lines of plain text as a pty sends them: wide characters, tabs, backspaces, lines that wrap. */
function plainLines(n: number, from = 0): string {
  let out = '';
  for (let i = from; i < from + n; i++) {
    const long = i % 7 === 0 ? ` ${'wrap'.repeat(30)}` : '';
    out += `line ${i}\tcol\b\bX 交换机 ${'='.repeat(i % 5)}${long}\r\n`;
  }
  return out;
}

/**
 * floodCut on `data` split into pieces of every size (as a worker finds output waiting): the same cut
 * each time, as an index into `data` (0: none).
 */
function cutOf(data: string, rows: number, scrollback: number): number {
  const cuts = new Set<number>();
  for (const size of [data.length || 1, 1, 2, 3, 7, 64, 4096]) {
    const parts: string[] = [];
    for (let i = 0; i < data.length; i += size) parts.push(data.slice(i, i + size));
    if (size === 7) parts.splice(1, 0, ''); // an empty part too
    const c = floodCut(parts, rows, scrollback);
    let index = 0;
    if (c) {
      for (let i = 0; i < c.part; i++) index += parts[i]!.length;
      index += c.offset;
      expect(c.chars).toBe(index);
    }
    cuts.add(index);
  }
  expect([...cuts]).toHaveLength(1);
  return [...cuts][0]!;
}

/** The screen after `before`, then `flood` parsed whole, and after `flood` parsed from its cut. */
async function both(before: string, flood: string, cols = 40, rows = 6, scrollback = 20) {
  const whole = term(cols, rows, scrollback);
  const cutOne = term(cols, rows, scrollback);
  await write(whole.t, before);
  await write(cutOne.t, before);
  const cut = cutOf(flood, rows, scrollback);
  await write(whole.t, flood);
  await write(cutOne.t, cut > 0 ? `\r${flood.slice(cut)}` : flood);
  return { cut, whole: state(whole), cutOne: state(cutOne) };
}

describe('flood cut: the part of a plain-text flood whose lines all scroll out', () => {
  it('skips the start of a long plain flood and leaves the same screen, scrollback and cursor', async () => {
    // a prompt and a half-typed line before it, colours set before it (kept: they are not in the flood)
    const before = '\x1b[1;33mcore-sw-01#\x1b[0m show ver\x1b[31m\r\nsome text that stays red';
    const flood = `${plainLines(300)}tail without newline`;
    const r = await both(before, flood);
    expect(r.cut).toBeGreaterThan(flood.length / 2);
    expect(r.cutOne).toEqual(r.whole);
    // what the skipped text leaves: 2 × rows + scrollback + 2 line feeds at least
    expect(flood.slice(r.cut).split('\n').length - 1).toBeGreaterThanOrEqual(2 * 6 + 20 + 2);
  });

  it('skips nothing when too few lines follow, or when the output starts with more than plain text', async () => {
    expect(cutOf(plainLines(20), 6, 20)).toBe(0);
    // an escape sequence (a colour, a mode, the alternate screen) at the start
    expect(cutOf(`\x1b[32m${plainLines(300)}`, 6, 20)).toBe(0);
    // C0 and C1 controls that change a terminal's state: SO/SI (charsets), VT, FF, CSI as one character
    for (const c of ['\x0e', '\x0f', '\x0b', '\x0c', '\x9b', '\x1b'])
      expect(cutOf(`${c}${plainLines(300)}`, 6, 20)).toBe(0);
  });

  it('counts only line feeds of plain text: whatever follows them cannot bring skipped rows back', async () => {
    // each case: plain text, then output whose line feeds do not all scroll (or are not line feeds at
    // all); the result must be a whole parse's, and the cut must leave enough plain line feeds
    const cases = {
      'a progress bar (cursor up)': `${plainLines(20)}${'\x1b[A\r\nprogress\r\n'.repeat(200)}`,
      'reverse index': `${plainLines(20)}${'\x1bM\r\n'.repeat(200)}`,
      'a scroll region': `${plainLines(20)}\x1b[1;3r${plainLines(200)}\x1b[r`,
      'the alternate screen': `${plainLines(20)}\x1b[?1049h${plainLines(200)}\x1b[?1049l`,
      'line feeds inside an OSC': `${plainLines(20)}\x1b]0;${'\r\n'.repeat(200)}\x07done\r\n`,
      'colours after a long plain flood': `${plainLines(300)}\x1b[32mgreen${plainLines(2)}`,
      'the alternate screen after a long plain flood': `${plainLines(100)}\x1b[?1049h${plainLines(200)}x\x1b[?1049l`,
      'a charset switch after a long plain flood': `${plainLines(100)}\x0e${plainLines(200)}\x0f`,
    };
    for (const [name, flood] of Object.entries(cases)) {
      const r = await both('$ watch\r\n', flood);
      expect(r.cutOne, name).toEqual(r.whole);
      const firstControl = flood.search(/[\x00-\x07\x0b-\x0c\x0e-\x1f\x7f-\x9f]/);
      if (r.cut > 0) {
        const plainAfter = flood.slice(r.cut, firstControl).split('\n').length - 1;
        expect(plainAfter, name).toBeGreaterThanOrEqual(2 * 6 + 20 + 2);
      }
    }
    // the plain text before a control is skipped when it is long enough, not otherwise
    expect(cutOf(cases['a progress bar (cursor up)'], 6, 20)).toBe(0);
    expect(cutOf(cases['colours after a long plain flood'], 6, 20)).toBeGreaterThan(0);
  });

  it('cuts only where a line was closed with a carriage return (bare line feeds keep their column)', async () => {
    const bare = 'x'.repeat(5) + '\n'.repeat(400);
    expect(cutOf(bare, 6, 20)).toBe(0);
    const mixed = `${plainLines(100)}${'abc\n'.repeat(80)}${plainLines(60, 100)}`;
    const r = await both('$ cat mixed\r\n', mixed);
    expect(r.cut).toBeGreaterThan(0);
    expect(mixed[r.cut - 1]).toBe('\r');
    expect(r.cutOne).toEqual(r.whole);
  });

  it('agrees with a whole parse for floods of every size around the threshold', async () => {
    for (const n of [30, 33, 34, 35, 40, 64, 120]) {
      const r = await both('$ show log\r\n', `${plainLines(n)}$ `, 30, 6, 20);
      expect(r.cutOne, `${n} lines`).toEqual(r.whole);
    }
  });
});
