// The screen models of a node's terminal sessions, in a worker thread (see screen.ts): xterm's
// headless terminal parses every byte a session prints, off the thread that relays the output.
// Plain JavaScript so that it runs as it is under tsx, vitest and node alike.
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

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

/** @type {Map<string, { term: InstanceType<typeof Terminal>, serializer: InstanceType<typeof SerializeAddon> }>} */
const screens = new Map();

function open(id, cols, rows, scrollback) {
  screens.get(id)?.term.dispose();
  const term = new Terminal({ cols, rows, scrollback, allowProposedApi: true });
  const serializer = new SerializeAddon();
  term.loadAddon(serializer);
  screens.set(id, { term, serializer });
}

// xterm parses writes asynchronously: a resize or a snapshot is queued as an empty write, so that it
// applies exactly between the output before it and the output after it.
parentPort.on('message', (m) => {
  const s = screens.get(m.id);
  switch (m.t) {
    case 'open':
      open(m.id, m.cols, m.rows, m.scrollback);
      return;
    case 'w':
      if (s) s.term.write(m.d, () => parentPort.postMessage({ t: 'ack', id: m.id, n: m.d.length }));
      return;
    case 'resize':
      if (s) s.term.write('', () => s.term.resize(m.cols, m.rows));
      return;
    case 'snap':
      if (!s) return parentPort.postMessage({ t: 'snap', req: m.req, data: null });
      s.term.write('', () => {
        let data = null;
        try {
          data = s.serializer.serialize({ scrollback: m.scrollback });
        } catch {
          // answered as "no model": the session falls back to its raw scrollback
        }
        parentPort.postMessage({ t: 'snap', req: m.req, data, cols: s.term.cols, rows: s.term.rows });
      });
      return;
    case 'line':
      // the logical line the cursor is on (rows joined where the terminal wrapped them), once the
      // output before this request is parsed: what the guard rails judge when Enter is pressed
      if (!s) return parentPort.postMessage({ t: 'line', req: m.req, text: null });
      s.term.write('', () => {
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
      });
      return;
    case 'close':
      if (s) {
        screens.delete(m.id);
        s.term.write('', () => s.term.dispose());
      }
      return;
  }
});
