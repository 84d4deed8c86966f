/**
 * 2. Terminal bulk throughput: Debian's sshd `cat`s a file of log-like text (≥ 50 MB) in an
 * interactive shell; MB/s through the portal (ws client in this process taking output as the browser
 * does, and as an API script does; portal in a child, recording on) vs a direct ssh2 shell, with the
 * CPU time each side spends per MB; the portal process's peak RSS with a fast reader and, with a reader
 * limited to 1 MB/s (the client pauses its socket: backpressure must reach the device and keep memory
 * flat), the text that gets through that link (compression pays there).
 */
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBenchSshd as startSshd, type RealSshd } from './lib/sshd';
import { WsTerminal } from './lib/clients';
import { closeAll, SSHD_DEVICE, sshdDeviceRow, type BenchContext, type BenchResult } from './lib/common';
import { MB, readRss, RssSampler, startChild, type Child } from './lib/proc';
import { row, type Row } from './lib/report';
import { sshShell } from './lib/ssh';
import { startThrottleProxy } from './lib/throttle';
import { round } from './lib/stats';
import { sleep, type TextSink } from './lib/text';
import type { PortalReady } from './fixtures/portal';
import type { OutputFraming } from '../lib/realtime/protocol';

export interface ThroughputOptions {
  /** Size of the printed file in MB (10^6 bytes; the PTY adds a CR per line on top). */
  mb: number;
  /** Measured runs per path (the median is reported). */
  runs: number;
  slowSeconds: number;
  /** The slow reader's rate in MB/s. */
  slowRate: number;
}

const SHELL_PROMPT = /[$#] $/;
const MARKER = 'BENCH_DONE';
/** Typed so that the echoed command line does not contain the marker. */
const markerEcho = `echo BENCH""_DONE`;
const MiB = MB;
const MEGA = 1e6;

/** A file of syslog-like lines with varying fields (compresses roughly like real device logs). */
export function writeLogFile(file: string, bytes: number): void {
  const fd = openSync(file, 'w');
  let seed = 0x9e3779b9;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const events = [
    'changed state to up',
    'changed state to down',
    'duplex mismatch discovered',
    'neighbor 10.0.0.1 Up',
    'authentication failed',
  ];
  let written = 0;
  let seq = 0;
  try {
    while (written < bytes) {
      let chunk = '';
      while (chunk.length < 256 * 1024) {
        seq++;
        const r = rnd();
        chunk +=
          `2026-05-05T07:${String((seq >> 10) % 60).padStart(2, '0')}:${String(seq % 60).padStart(2, '0')}.${String(r % 1000).padStart(3, '0')}Z ` +
          `sw-${(r >>> 10) % 500} %LINK-3-UPDOWN: Interface GigabitEthernet${(r >>> 4) % 8}/0/${(r >>> 7) % 48}, ` +
          `${events[r % events.length]} seq=${seq} id=${rnd().toString(16)}\n`;
      }
      const buf = Buffer.from(chunk.slice(0, bytes - written), 'utf8');
      writeSync(fd, buf);
      written += buf.length;
    }
  } finally {
    closeSync(fd);
  }
}

interface Transfer {
  bytes: number;
  ms: number;
  /** CPU time of this process (the reader) during the transfer. */
  clientCpuMs: number;
  /** CPU time of the portal's process during the transfer (through the portal only). */
  portalCpuMs?: number;
  /** Bytes the reader's socket received (through the portal only): below `bytes` when compressed. */
  wireBytes?: number;
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/** Direct ssh2 shell: bytes from sending the command until the marker. */
async function directTransfer(sshd: RealSshd, command: string): Promise<Transfer> {
  let bytes = 0;
  let tail = '';
  let done: (() => void) | null = null;
  // until the command is sent, output (banner, prompt) goes to the shell's sink
  let sink: TextSink | null = null;
  const sh = await sshShell(
    sshd,
    { cols: 200, rows: 50, term: 'xterm-256color' },
    {
      onData: (d) => {
        if (done) {
          bytes += d.length;
          const s = tail + d.subarray(-256).toString('latin1');
          if (s.includes(MARKER)) done();
          tail = s.slice(-32);
        } else sink?.feed(d.toString('latin1'));
      },
    },
  );
  sink = sh.sink;
  try {
    await sh.sink.waitFor(SHELL_PROMPT, 20_000);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const finished = new Promise<void>((resolve) => (done = resolve));
    sh.channel.write(`${command}; ${markerEcho}\r`);
    await withTimeout(finished, 300_000, 'the direct transfer');
    return { bytes, ms: performance.now() - t0, clientCpuMs: cpuMs(process.cpuUsage(cpu0)) };
  } finally {
    sh.close();
  }
}

/** How the benchmark's client opens its socket. */
interface ClientKind {
  /** Offers permessage-deflate (browsers always do). */
  perMessageDeflate: boolean;
  /** binary: output frames as the browser asks for them; json: as an API script gets them. */
  output: OutputFraming;
}

/**
 * The clients measured: a browser (binary output frames; the portal declines its permessage-deflate
 * offer on such sockets) and an API script (JSON output frames, permessage-deflate agreed).
 */
const CLIENTS = {
  browser: { perMessageDeflate: true, output: 'binary' },
  api: { perMessageDeflate: true, output: 'json' },
} satisfies Record<string, ClientKind>;

/** Issue 18 ("line rate"): through the portal, recording on, at least this share of direct ssh2. */
const THROUGHPUT_TARGET_RATIO = 0.9;

/** Through the portal: characters of output frames from sending the command until the marker. */
async function portalTransfer(
  portal: Child<PortalReady>,
  deviceId: string,
  command: string,
  client: ClientKind = CLIENTS.browser,
): Promise<Transfer> {
  const endpoint = portal.ready;
  let chars = 0;
  let tail = '';
  let done: (() => void) | null = null;
  let term: WsTerminal | null = null;
  term = await WsTerminal.open(endpoint, endpoint.cookies.admin, deviceId, {
    ...client,
    onOutput: (data) => {
      if (!done) return term!.sink.feed(data);
      chars += data.length;
      const s = tail + data.slice(-256);
      if (s.includes(MARKER)) done();
      tail = s.slice(-32);
    },
  });
  try {
    await term.connect(200, 50);
    await term.sink.waitFor(SHELL_PROMPT, 20_000);
    const portalCpu0 = await portal.request<NodeJS.CpuUsage>('cpu');
    const wire0 = term.rawSocket.bytesRead;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const finished = new Promise<void>((resolve) => (done = resolve));
    term.input(`${command}; ${markerEcho}\r`);
    await withTimeout(finished, 300_000, 'the portal transfer');
    const ms = performance.now() - t0;
    const clientCpuMs = cpuMs(process.cpuUsage(cpu0));
    const portalCpu = await portal.request<NodeJS.CpuUsage>('cpu');
    return {
      bytes: chars,
      ms,
      clientCpuMs,
      portalCpuMs: cpuMs(portalCpu) - cpuMs(portalCpu0),
      wireBytes: term.rawSocket.bytesRead - wire0,
    };
  } finally {
    await term.close();
  }
}

/**
 * A reader on a link limited to `rate` bytes/s (a throttling TCP proxy between this client and the
 * portal). Runs for `seconds`, then closes the session. Returns what arrived and the portal's peak RSS.
 */
async function slowReader(
  endpoint: PortalReady,
  deviceId: string,
  command: string,
  rate: number,
  seconds: number,
  portalPid: number,
): Promise<{ chars: number; wireBytes: number; ms: number; peakRss: number }> {
  const proxy = await startThrottleProxy(Number(new URL(endpoint.wsBase).port), rate);
  const viaProxy = {
    ...endpoint,
    wsBase: `ws://127.0.0.1:${proxy.port}`,
    origin: `http://127.0.0.1:${proxy.port}`,
  };
  let chars = 0;
  let counting = false;
  let term: WsTerminal | null = null;
  let sampler: RssSampler | null = null;
  try {
    term = await WsTerminal.open(viaProxy, endpoint.cookies.admin, deviceId, {
      onOutput: (data) => {
        if (counting) chars += data.length;
        else term!.sink.feed(data);
      },
    });
    await term.connect(200, 50);
    await term.sink.waitFor(SHELL_PROMPT, 20_000);
    sampler = new RssSampler(portalPid, 50);
    const wire0 = proxy.forwarded();
    const started = performance.now();
    counting = true;
    term.input(`${command}; ${markerEcho}\r`);
    await sleep(seconds * 1000);
    const ms = performance.now() - started;
    const peakRss = sampler.stop();
    return { chars, wireBytes: proxy.forwarded() - wire0, ms, peakRss };
  } finally {
    sampler?.stop();
    if (term) {
      term.input('\x03');
      await term.close();
    }
    await proxy.close();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    }),
  ]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function idleRss(portal: Child<PortalReady>): Promise<number> {
  await portal.request('gc');
  return readRss(portal.pid);
}

export async function runThroughput(o: ThroughputOptions, ctx: BenchContext): Promise<BenchResult> {
  const closers: (() => Promise<unknown> | unknown)[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-bench-'));
  closers.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const file = path.join(dir, 'device.log');
    writeLogFile(file, Math.round(o.mb * MEGA));
    const warm = `head -c ${Math.round(Math.min(o.mb, 5) * MEGA * 0.2)} ${file}`;
    const cat = `cat ${file}`;

    const sshd = await startSshd();
    closers.push(() => sshd.close());
    const portal = await startChild<PortalReady>('portal.ts', {});
    closers.push(() => portal.close());
    const ids = await portal.request<Record<string, string>>('addDevices', {
      devices: [sshdDeviceRow(sshd)],
    });
    const deviceId = ids[SSHD_DEVICE]!;

    ctx.log(`throughput: warm-up`);
    await directTransfer(sshd, warm);
    for (const client of Object.values(CLIENTS)) await portalTransfer(portal, deviceId, warm, client);

    const direct: Transfer[] = [];
    const viaPortal: Record<keyof typeof CLIENTS, Transfer[]> = { browser: [], api: [] };
    const fastPeak: number[] = [];
    let idleBefore = 0;
    for (let run = 0; run < o.runs; run++) {
      ctx.log(`throughput: run ${run + 1}/${o.runs}, ${o.mb} MB direct and through the portal (fast reader)`);
      direct.push(await directTransfer(sshd, cat));
      const idle = await idleRss(portal);
      if (run === 0) idleBefore = idle;
      const sampler = new RssSampler(portal.pid, 50);
      try {
        viaPortal.browser.push(await portalTransfer(portal, deviceId, cat, CLIENTS.browser));
      } finally {
        fastPeak.push(sampler.stop() - idle);
      }
      viaPortal.api.push(await portalTransfer(portal, deviceId, cat, CLIENTS.api));
    }
    const mbps = (t: Transfer) => t.bytes / MEGA / (t.ms / 1000);
    const directMbps = median(direct.map(mbps));
    const portalMbps = median(viaPortal.browser.map(mbps));

    ctx.log(`throughput: slow reader at ${o.slowRate} MB/s for ${o.slowSeconds} s`);
    const idleSlow = await idleRss(portal);
    // endless output (the file over and over) so the device always has more than the link can carry
    const endless = `while :; do cat ${file}; done`;
    const slow = await slowReader(
      portal.ready,
      deviceId,
      endless,
      o.slowRate * MEGA,
      o.slowSeconds,
      portal.pid,
    );
    await sleep(500);
    const afterSlow = await idleRss(portal);
    const slowGrowth = slow.peakRss - idleSlow;

    const rows: Row[] = [
      row({
        benchmark: 'throughput (sshd)',
        metric: `${o.mb} MB cat`,
        unit: 'MB/s',
        portal: round(portalMbps, 1),
        baseline: round(directMbps, 1),
        target: `≥ ${THROUGHPUT_TARGET_RATIO.toFixed(2)}× direct`,
        met: portalMbps >= THROUGHPUT_TARGET_RATIO * directMbps,
      }),
      row({
        benchmark: 'throughput (sshd)',
        metric: 'same, API client (JSON output frames)',
        unit: 'MB/s',
        portal: round(median(viaPortal.api.map(mbps)), 1),
        baseline: round(directMbps, 1),
        target: '',
        met: null,
      }),
      row({
        benchmark: 'throughput (sshd)',
        metric: 'CPU per MB: portal process vs direct ssh2 client',
        unit: 'ms',
        portal: round(median(viaPortal.browser.map((t) => t.portalCpuMs! / (t.bytes / MEGA))), 2),
        baseline: round(median(direct.map((t) => t.clientCpuMs / (t.bytes / MEGA))), 2),
        target: '',
        met: null,
      }),
      row({
        benchmark: 'throughput (sshd)',
        metric: 'server peak RSS growth, fast reader',
        unit: 'MiB',
        portal: round(Math.max(...fastPeak) / MiB, 1),
        baseline: null,
        target: '',
        met: null,
      }),
      row({
        benchmark: 'throughput (sshd)',
        metric: `text through a ${o.slowRate} MB/s link`,
        unit: 'MB/s',
        portal: round(slow.chars / MEGA / (slow.ms / 1000), 2),
        baseline: null,
        target: '',
        met: null,
      }),
      row({
        benchmark: 'throughput (sshd)',
        metric: `server peak RSS growth, ${o.slowRate} MB/s reader`,
        unit: 'MiB',
        portal: round(slowGrowth / MiB, 1),
        baseline: null,
        target: '< 64 MiB',
        met: slowGrowth < 64 * MiB,
      }),
    ];
    const perMB = (cpu: number | undefined, t: Transfer) =>
      cpu === undefined ? undefined : round(cpu / (t.bytes / MEGA), 2);
    const detail = (t: Transfer) => ({
      bytes: t.bytes,
      ms: round(t.ms, 1),
      mbps: round(mbps(t), 1),
      clientCpuMsPerMB: perMB(t.clientCpuMs, t),
      portalCpuMsPerMB: perMB(t.portalCpuMs, t),
      wireMB: t.wireBytes === undefined ? undefined : round(t.wireBytes / MEGA, 2),
    });
    return {
      rows,
      details: {
        fileBytes: Math.round(o.mb * MEGA),
        direct: direct.map(detail),
        portal: viaPortal.browser.map(detail),
        portalJson: viaPortal.api.map(detail),
        portalIdleRssMiB: round(idleBefore / MiB, 1),
        fastPeakGrowthMiB: fastPeak.map((b) => round(b / MiB, 1)),
        slow: {
          seconds: round(slow.ms / 1000, 1),
          wireMB: round(slow.wireBytes / MEGA, 2),
          wireMBps: round(slow.wireBytes / MEGA / (slow.ms / 1000), 2),
          textMB: round(slow.chars / MEGA, 2),
          idleRssMiB: round(idleSlow / MiB, 1),
          peakRssMiB: round(slow.peakRss / MiB, 1),
          rssAfterCloseMiB: round(afterSlow / MiB, 1),
        },
      },
    };
  } finally {
    await closeAll(closers);
  }
}
