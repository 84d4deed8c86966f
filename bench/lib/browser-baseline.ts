/**
 * The browser benchmark's baseline, run as a child process (bench/lib/proc.ts startChild): a bare
 * xterm page (xterm's own bundle, the WebGL addon when the browser has WebGL2, the portal's font,
 * size and colours, nothing else) fed by a raw `ws` server that bridges one direct ssh2 shell per
 * socket, bytes as binary frames. It holds the device as the portal does: while the socket has 1 MiB
 * unsent, and while the page says its xterm is behind (the same marks as the portal's page; a
 * one-byte binary frame, 1 behind, 0 caught up), since without that a 50 MB flood piles up in the
 * page and xterm drops what is past 50 MB. No login, no JSON, no compression, no session layer, no
 * React: the ratio against the portal's page is what those cost the browser.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { DEFAULT_WATER_MARKS, flowDecision, READER_WATER_MARKS } from '../../lib/terminal/flow';
import { TERMINAL_COLOUR_THEMES } from '../../lib/terminal/themes';
import { serve, waitInit } from '../fixtures/ipc';
import { sshShell, type SshShell, type SshTarget } from './ssh';
import { ROOT } from './proc';

export interface BaselineInit {
  target: SshTarget;
  fontSize: number;
}

export interface BaselineReady {
  url: string;
}

const init = await waitInit<BaselineInit>();
const modules = path.join(ROOT, 'node_modules');
const ASSETS: Record<string, { file: string; type: string }> = {
  '/xterm.js': { file: '@xterm/xterm/lib/xterm.js', type: 'text/javascript' },
  '/xterm.css': { file: '@xterm/xterm/css/xterm.css', type: 'text/css' },
  '/addon-webgl.js': { file: '@xterm/addon-webgl/lib/addon-webgl.js', type: 'text/javascript' },
  '/font.woff2': {
    file: '@fontsource-variable/jetbrains-mono/files/jetbrains-mono-latin-wght-normal.woff2',
    type: 'font/woff2',
  },
};
const assets = new Map(
  Object.entries(ASSETS).map(([url, a]) => [
    url,
    { body: readFileSync(path.join(modules, a.file)), type: a.type },
  ]),
);

/** The page: `?cols=&rows=` (the portal's terminal size in the same viewport) and `webgl=off`. */
function page(): string {
  const theme = TERMINAL_COLOUR_THEMES.dark;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>bare xterm</title>
<link rel="stylesheet" href="/xterm.css">
<style>
@font-face { font-family: 'JetBrains Mono Variable'; src: url(/font.woff2) format('woff2'); font-weight: 100 800; }
html, body { margin: 0; height: 100%; background: ${theme.background}; }
#probe { position: fixed; right: 8px; top: 8px; z-index: 10; }
</style>
<script src="/xterm.js"></script>
<script src="/addon-webgl.js"></script>
</head><body>
<button id="probe" type="button">probe</button>
<div id="host" data-terminal-host></div>
<script>
(async () => {
  const q = new URLSearchParams(location.search);
  const fontSize = ${init.fontSize};
  await document.fonts.load(fontSize + "px 'JetBrains Mono Variable'");
  const term = new Terminal({
    cols: Number(q.get('cols')), rows: Number(q.get('rows')), fontSize, scrollback: 10000,
    fontFamily: "'JetBrains Mono Variable', monospace", cursorBlink: true,
    theme: ${JSON.stringify(theme)},
  });
  const host = document.getElementById('host');
  term.open(host);
  host.terminal = term;
  host.dataset.renderer = 'dom';
  if (q.get('webgl') !== 'off') {
    try {
      const webgl = new WebglAddon.WebglAddon();
      webgl.onContextLoss(() => { webgl.dispose(); host.dataset.renderer = 'dom'; });
      term.loadAddon(webgl);
      host.dataset.renderer = 'webgl';
    } catch {}
  }
  const ws = new WebSocket('ws://' + location.host + '/ws?cols=' + term.cols + '&rows=' + term.rows);
  ws.binaryType = 'arraybuffer';
  // xterm's write queue: the device waits while it is a high mark behind (as on the portal's page)
  let backlog = 0, behind = false;
  const flow = () => {
    const next = backlog >= ${READER_WATER_MARKS.highBytes} ? true : backlog <= ${READER_WATER_MARKS.lowBytes} ? false : behind;
    if (next !== behind) ws.send(new Uint8Array([(behind = next) ? 1 : 0]));
  };
  ws.onmessage = (e) => {
    const bytes = new Uint8Array(e.data);
    backlog += bytes.length;
    flow();
    term.write(bytes, () => { backlog -= bytes.length; flow(); });
  };
  ws.onopen = () => (host.dataset.state = 'connected');
  term.onData((d) => ws.send(d));
  term.focus();
})();
</script>
</body></html>`;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page());
    return;
  }
  const a = assets.get(url.pathname);
  if (!a) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': a.type }).end(a.body);
});
const wss = new WebSocketServer({ server, path: '/ws' });
const shells = new Set<SshShell>();

/** One direct shell per socket; input as text frames, the page's flow byte as binary ones. */
async function bridge(ws: WebSocket, cols: number, rows: number): Promise<void> {
  let paused = false;
  let pageBehind = false;
  let sh: SshShell | null = null;
  const flow = () => {
    if (!sh) return;
    const queued = pageBehind ? Number.POSITIVE_INFINITY : ws.bufferedAmount;
    const action = flowDecision(queued, paused, DEFAULT_WATER_MARKS);
    if (action === 'pause') {
      paused = true;
      sh.channel.pause();
    } else if (action === 'resume') {
      paused = false;
      sh.channel.resume();
    }
  };
  sh = await sshShell(
    init.target,
    { cols, rows, term: 'xterm-256color' },
    {
      onData: (d) => {
        ws.send(d, flow);
        flow();
      },
    },
  );
  shells.add(sh);
  const shell = sh;
  ws.on('message', (m: Buffer, isBinary: boolean) => {
    if (!isBinary) return void shell.channel.write(m);
    pageBehind = m[0] === 1;
    flow();
  });
  ws.on('close', () => {
    shells.delete(shell);
    shell.close();
  });
  shell.channel.on('close', () => ws.close());
}

wss.on('connection', (ws, req) => {
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  ws.on('error', () => {});
  bridge(ws, Number(q.get('cols')) || 80, Number(q.get('rows')) || 24).catch(() => ws.close(1011));
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;

serve(
  {},
  async () => {
    for (const sh of shells) sh.close();
    for (const ws of wss.clients) ws.terminate();
    wss.close();
    server.close();
  },
  { url: `http://127.0.0.1:${port}/` } satisfies BaselineReady,
);
