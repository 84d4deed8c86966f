import { afterEach, describe, expect, it } from 'vitest';
import headless from '@xterm/headless';
import { SerializeAddon } from '@xterm/addon-serialize';
import { readdirSync, readFileSync } from 'node:fs';
import { SCREEN_WORKER_NICE, ScreenModels, type ScreenModel } from './screen';

const { Terminal } = headless;
type Term = InstanceType<typeof Terminal>;

const silent = { error: () => {} };
let models: ScreenModels | null = null;
afterEach(async () => {
  await models?.stop();
  models = null;
});

function term(cols: number, rows: number): Term {
  return new Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
}
const write = (t: Term, data: string) => new Promise<void>((resolve) => t.write(data, resolve));

/** What a reader sees: which buffer is showing, its rows as text and the cursor. */
function screenOf(t: Term) {
  const b = t.buffer.active;
  const rows: string[] = [];
  for (let y = 0; y < t.rows; y++) rows.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
  return { buffer: b.type, rows, cursor: [b.cursorX, b.cursorY] };
}

/** The screen a fresh browser terminal of the snapshot's size shows after writing it. */
async function replay(snapshot: { data: string; cols: number; rows: number }) {
  const t = term(snapshot.cols, snapshot.rows);
  await write(t, snapshot.data);
  return screenOf(t);
}

function open(
  cols: number,
  rows: number,
  opts: Partial<Parameters<ScreenModels['open']>[3]> = {},
): ScreenModel {
  models ??= new ScreenModels(silent);
  const m = models.open('s1', cols, rows, { rawTail: () => '', ...opts });
  expect(m).not.toBeNull();
  return m!;
}

/** A full-screen program (like `less +F`) that prints far more than the old 256 K replay buffer kept. */
function fullScreenFlood(): string[] {
  const out = ['plain shell line\r\n$ less +F log\r\n', '\x1b[?1049h\x1b[H\x1b[2J\x1b[?1h\x1b='];
  for (let i = 0; i < 6000; i++)
    out.push(`\x1b[24;1H\x1b[K\x1b[1;32mline ${i} of the followed log\x1b[0m ${'x'.repeat(40)}\r\n`);
  out.push('\x1b[24;1H\x1b[7mWaiting for data... (interrupt to abort)\x1b[27m');
  return out;
}

describe('screen models', () => {
  it('a snapshot rebuilds the alternate screen of a full-screen program after far more than 256 K characters', async () => {
    const m = open(80, 24);
    const reference = term(80, 24);
    const chunks = fullScreenFlood();
    expect(chunks.join('').length).toBeGreaterThan(400 * 1024);
    for (const c of chunks) m.write(c);
    await write(reference, chunks.join(''));
    const snap = await m.snapshot();
    expect(snap).toMatchObject({ cols: 80, rows: 24, exact: true });
    const shown = await replay(snap!);
    expect(shown.buffer).toBe('alternate');
    expect(shown).toEqual(screenOf(reference));
    expect(shown.rows[23]).toContain('Waiting for data...');
  });

  it('a plain-text flood is parsed only where its lines stay on screen or in scrollback, with the same result', async () => {
    const m = open(80, 24, { scrollbackRows: 200 });
    const reference = new Terminal({ cols: 80, rows: 24, scrollback: 200, allowProposedApi: true });
    const serializer = new SerializeAddon();
    reference.loadAddon(serializer);
    const prompt = '\x1b[1;36mcore-sw-01#\x1b[0m display logbuffer\r\n';
    let flood = '';
    for (let i = 0; i < 20_000; i++)
      flood += `Dec  6 04:${String(i % 60).padStart(2, '0')} link ${i} up\tGE0/0/${i % 48}\r\n`;
    const after = '\x1b[1;36mcore-sw-01#\x1b[0m ';
    // one write, as the output that waited while the worker was busy is parsed
    for (const c of [prompt, flood, after]) m.write(c);
    await write(reference, prompt + flood + after);
    const snap = await m.snapshot();
    expect(snap).toMatchObject({ exact: true });
    expect(snap!.skipped).toBeGreaterThan(flood.length * 0.9);
    expect(snap!.data).toBe(serializer.serialize({ scrollback: 200 }));
    expect(await replay(snap!)).toEqual(screenOf(reference));
  });

  it('a flood that arrives a turn at a time is parsed in a few large writes, most of it skipped, with the same result', async () => {
    // a rest longer than the test's turns take even on a loaded machine (the snapshot ends it)
    models = new ScreenModels(silent, 10_000);
    const m = open(80, 24);
    const reference = new Terminal({ cols: 80, rows: 24, scrollback: 3000, allowProposedApi: true });
    const serializer = new SerializeAddon();
    reference.loadAddon(serializer);
    // 60 turns of 32 K characters, 5 ms apart: each alone is too short to skip anything (about 3,050
    // lines are always parsed), so without resting after the first, nothing would be
    const turns: string[] = [];
    for (let t = 0, line = 0; t < 60; t++) {
      let turn = '';
      while (turn.length < 32 * 1024)
        turn += `Dec  6 04:00:${String(line % 60).padStart(2, '0')} log line ${line++}\r\n`;
      turns.push(turn);
    }
    for (const turn of turns) {
      m.write(turn);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await write(reference, turns.join(''));
    const snap = await m.snapshot();
    expect(snap).toMatchObject({ exact: true });
    expect(snap!.skipped).toBeGreaterThan(turns.join('').length * 0.8);
    expect(snap!.data).toBe(serializer.serialize({ scrollback: 3000 }));
  });

  it('a snapshot asked for behind a flood does not wait out the rest', async () => {
    models = new ScreenModels(silent, 60_000);
    const m = open(80, 24, { snapshotTimeoutMs: 5_000 });
    const line = (i: number) => `log line ${i} ${'z'.repeat(60)}\r\n`;
    const flood = Array.from({ length: 400 }, (_, i) => line(i)).join(''); // 30 K: a flood-sized write
    m.write(flood);
    m.write(flood.replaceAll('log line', 'more line'));
    // posted before the first write is parsed: waiting behind the second, it ends the rest at once
    const snap = await m.snapshot();
    expect(snap).not.toBeNull();
    expect(await replay(snap!)).toMatchObject({
      rows: expect.arrayContaining([expect.stringContaining('more line 399')]),
    });
  });

  it('output with escape sequences is parsed whole (nothing skipped)', async () => {
    const m = open(80, 24, { scrollbackRows: 200 });
    const reference = term(80, 24);
    const chunks = fullScreenFlood();
    m.write(chunks.join(''));
    await write(reference, chunks.join(''));
    const snap = await m.snapshot();
    expect(snap).toMatchObject({ exact: true, skipped: 0 });
    expect(await replay(snap!)).toEqual(screenOf(reference));
  });

  it('resizes apply between the output before and after them, as the device saw them', async () => {
    const m = open(100, 10);
    const reference = term(100, 10);
    const steps: Array<string | [number, number]> = [
      `${'a'.repeat(90)}\r\n`,
      [40, 8],
      `${'b'.repeat(60)}\r\nprompt> `,
    ];
    for (const s of steps) {
      if (typeof s === 'string') {
        m.write(s);
        await write(reference, s);
      } else {
        m.resize(s[0], s[1]);
        reference.resize(s[0], s[1]);
      }
    }
    const snap = await m.snapshot();
    expect(snap).toMatchObject({ cols: 40, rows: 8 });
    expect(await replay(snap!)).toEqual(screenOf(reference));
  });

  it('a model that falls too far behind restarts from the raw scrollback and says it is inexact', async () => {
    let raw = '';
    const m = open(80, 24, { backlogMaxChars: 10_000, rawTail: () => raw });
    const flood = Array.from({ length: 20 }, (_, i) => `flood ${i} ${'y'.repeat(1000)}\r\n`);
    for (const c of flood) {
      raw += c;
      m.write(c);
    }
    raw += 'tail-prompt> ';
    m.write('tail-prompt> '); // dropped: the model lags
    expect(m.available).toBe(false);
    expect(await m.snapshot()).toBeNull();
    // the worker catches up, the model restarts from `raw` and answers again
    await expect.poll(() => m.available).toBe(true);
    const snap = await m.snapshot();
    expect(snap?.exact).toBe(false);
    expect((await replay(snap!)).rows.join('\n')).toContain('tail-prompt> ');
  });

  it('when the worker dies its models answer null (raw replay) and a new session gets a new worker', async () => {
    const m = open(80, 24);
    m.write('before the crash\r\n');
    expect(await m.snapshot()).not.toBeNull();
    await models!.crashForTest();
    expect(await m.snapshot()).toBeNull();
    const again = models!.open('s2', 80, 24, { rawTail: () => '' })!;
    again.write('new worker\r\n');
    expect((await replay((await again.snapshot())!)).rows[0]).toBe('new worker');
  });

  it('a closed model is gone from the worker and its node', async () => {
    const m = open(80, 24);
    m.write('x');
    expect(models!.size).toBe(1);
    m.close();
    expect(models!.size).toBe(0);
    expect(await m.snapshot()).toBeNull();
  });

  it.runIf(process.platform === 'linux')(
    'the worker parses below the priority of the thread that relays output',
    async () => {
      const m = open(80, 24);
      m.write('x');
      await m.snapshot(); // the worker is up and has parsed
      const nices = readdirSync(`/proc/${process.pid}/task`).map((tid) => {
        const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      });
      expect(nices).toContain(SCREEN_WORKER_NICE);
      expect(nices[0]).toBe(0); // the main thread is untouched
    },
  );
});
