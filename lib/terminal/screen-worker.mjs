// The screen models of a node's terminal sessions, in a worker thread (see screen.ts): xterm's
// headless terminal parses every byte a session prints, off the thread that relays the output.
// Plain JavaScript so that it runs as it is under tsx, vitest and node alike.
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { floodCut } from './flood-cut.mjs';

// Below the thread that relays output: on a busy machine the model parses with what is left over
// (on Linux a thread has a nice value of its own; 0 means this thread). A model that falls too far
// behind restarts from the raw scrollback, as screen.ts describes.
try {
  if (workerData?.nice) setPriority(workerData.nice);
} catch {
  // not allowed here: the worker runs at the node's priority
}

const require = createRequire(import.meta.url);
const { Terminal } = require('@xterm/headless');
const { SerializeAddon } = require('@xterm/addon-serialize');

/**
 * @typedef {{ d: string } | { f: () => void }} Op  output to parse, or work once what came before is parsed
 * @typedef {{ term: InstanceType<typeof Terminal>, serializer: InstanceType<typeof SerializeAddon>,
 *   scrollback: number, ops: Op[], busy: boolean, skipped: number,
 *   rest: ReturnType<typeof setTimeout> | null }} Screen
 */

/**
 * A write at least this long is a flood (a turn's output joined, `cat`, `display logbuffer`): the
 * screen then rests FLOOD_REST_MS before it parses what came meanwhile, so that a flood is parsed in
 * a few large writes whose lines mostly scroll out unparsed (floodCut) instead of one write per turn,
 * each too short to skip anything (about 3,050 lines must be parsed whatever the write's length).
 * Typed keys and their echoes, prompts and full-screen redraws are shorter: parsed at once. A
 * snapshot, a line read or a resize ends the rest (they need what came before parsed).
 */
const FLOOD_WRITE_CHARS = 16 * 1024;
const FLOOD_REST_MS = workerData?.floodRestMs ?? 100;

/** @type {Map<string, Screen>} */
const screens = new Map();

function open(id, cols, rows, scrollback) {
  const before = screens.get(id);
  if (before?.rest) clearTimeout(before.rest);
  before?.term.dispose();
  const term = new Terminal({ cols, rows, scrollback, allowProposedApi: true });
  const serializer = new SerializeAddon();
  term.loadAddon(serializer);
  screens.set(id, { term, serializer, scrollback, ops: [], busy: false, skipped: 0, rest: null });
}

/**
 * Whether the terminal is where floodCut's text may be skipped: nothing half-parsed (an escape
 * sequence split between two writes), the normal screen, the whole screen as its scroll region.
 * Read from xterm's internals; anything unexpected there means no.
 */
function skippable(s) {
  const core = s.term._core;
  const buffer = core?.buffer;
  return (
    s.term.buffer.active.type === 'normal' &&
    core?._inputHandler?._parser?.currentState === 0 &&
    buffer?.scrollTop === 0 &&
    buffer?.scrollBottom === s.term.rows - 1
  );
}

/**
 * A screen's work in order, one write at a time: the output waiting is parsed as one write (what a
 * flood left waiting meanwhile, the part whose lines all scroll out unparsed, see flood-cut.mjs), then
 * the next resize, snapshot or line read. Each output message is acknowledged once parsed.
 */
function pump(id, s) {
  const op = s.ops[0];
  if (!op) {
    s.busy = false;
    return;
  }
  s.busy = true;
  if ('f' in op) {
    s.ops.shift();
    s.term.write('', () => {
      op.f();
      pump(id, s);
    });
    return;
  }
  let parts = [];
  let chars = 0;
  while (s.ops.length > 0 && 'd' in s.ops[0]) {
    const d = /** @type {{ d: string }} */ (s.ops.shift()).d;
    parts.push(d);
    chars += d.length;
  }
  const cut = skippable(s) ? floodCut(parts, s.term.rows, s.scrollback) : null;
  if (cut) {
    s.skipped += cut.chars;
    parts = ['\r', parts[cut.part].slice(cut.offset), ...parts.slice(cut.part + 1)];
  }
  // each part as it came (no copy joining them); acknowledged once the last is parsed
  const last = parts.length - 1;
  for (let i = 0; i < last; i++) s.term.write(parts[i]);
  s.term.write(parts[last], () => {
    parentPort.postMessage({ t: 'ack', id, n: chars });
    // a snapshot, line read or resize already waiting (behind more output, maybe) does not wait longer
    if (chars < FLOOD_WRITE_CHARS || s.ops.some((op) => 'f' in op)) return pump(id, s);
    s.rest = setTimeout(() => {
      s.rest = null;
      pump(id, s);
    }, FLOOD_REST_MS);
  });
}

function enqueue(id, s, op) {
  s.ops.push(op);
  if (s.rest && 'f' in op) {
    clearTimeout(s.rest);
    s.rest = null;
    pump(id, s);
  } else if (!s.busy) pump(id, s);
}

parentPort.on('message', (m) => {
  const s = screens.get(m.id);
  switch (m.t) {
    case 'open':
      open(m.id, m.cols, m.rows, m.scrollback);
      return;
    case 'w':
      if (s) enqueue(m.id, s, { d: m.d });
      return;
    case 'resize':
      if (s) enqueue(m.id, s, { f: () => s.term.resize(m.cols, m.rows) });
      return;
    case 'snap':
      if (!s) return parentPort.postMessage({ t: 'snap', req: m.req, data: null });
      enqueue(m.id, s, {
        f: () => {
          let data = null;
          try {
            data = s.serializer.serialize({ scrollback: m.scrollback });
          } catch {
            // answered as "no model": the session falls back to its raw scrollback
          }
          parentPort.postMessage({
            t: 'snap',
            req: m.req,
            data,
            cols: s.term.cols,
            rows: s.term.rows,
            skipped: s.skipped,
          });
        },
      });
      return;
    case 'line':
      // the logical line the cursor is on (rows joined where the terminal wrapped them), once the
      // output before this request is parsed: what the guard rails judge when Enter is pressed
      if (!s) return parentPort.postMessage({ t: 'line', req: m.req, text: null });
      enqueue(m.id, s, {
        f: () => {
          const buf = s.term.buffer.active;
          const y = buf.baseY + buf.cursorY;
          let start = y;
          while (start > 0 && buf.getLine(start)?.isWrapped) start--;
          let end = y;
          while (buf.getLine(end + 1)?.isWrapped) end++;
          let text = '';
          let before = '';
          for (let i = start; i <= end; i++) {
            const row = buf.getLine(i);
            if (!row) break;
            text += row.translateToString(i === end);
            if (i < y) before += row.translateToString(false);
            else if (i === y) before += row.translateToString(false, 0, buf.cursorX);
          }
          parentPort.postMessage({ t: 'line', req: m.req, text, before, alt: buf.type === 'alternate' });
        },
      });
      return;
    case 'close':
      if (s) {
        screens.delete(m.id);
        enqueue(m.id, s, { f: () => s.term.dispose() });
      }
      return;
  }
});
