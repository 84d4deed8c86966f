/**
 * 5. Sessions: N concurrent terminal sessions held open through the portal to lab devices (spread
 * over N / 5 devices: the per-device limit stays at its default of 5), the portal process's RSS per
 * session (marginal: from N/2 to N open, after full GCs) and the connect time (WebSocket upgrade → SSH login → shell → first prompt) p50 / p99; vs
 * plain ssh2 clients holding the same shells open in their own process. Browser-like clients offer
 * permessage-deflate; a second portal process serves clients that do not, to show what that costs.
 */
import { performance } from 'node:perf_hooks';
import { WsTerminal } from './lib/clients';
import {
  closeAll,
  labDeviceRow,
  vrpPrompt,
  vrpSpecs,
  type BenchContext,
  type BenchResult,
  type LabReady,
} from './lib/common';
import { MB, readRss, startChild, type Child } from './lib/proc';
import { row } from './lib/report';
import { percentile, round } from './lib/stats';
import { mapLimit, sleep } from './lib/text';
import type { RunningLabDevice } from '../lab/types';
import type { PortalReady } from './fixtures/portal';

export interface SessionsOptions {
  sessions: number;
  /** Sessions being opened at once. */
  openConcurrency: number;
}

const PER_DEVICE = 5;
const WARMUP = 10;

interface Mem {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/**
 * RSS (from /proc) once the process has settled: full GCs, and the lowest of three readings 300 ms
 * apart (V8 and malloc give pages back with a delay); plus the child's own view of its heap.
 */
async function settled(child: Child<unknown>, readings: number): Promise<Mem> {
  let best: Mem | null = null;
  for (let i = 0; i < readings; i++) {
    await sleep(readings > 1 ? 300 : 50);
    const m = await child.request<Mem>('gc');
    const reading = { ...m, rss: readRss(child.pid) };
    if (!best || reading.rss < best.rss) best = reading;
  }
  return best!;
}

/** Per-session growth in KiB of each memory figure. */
function perItem(a: Mem, b: Mem, n: number) {
  const k = (x: number, y: number) => round((y - x) / n / 1024, 1);
  return {
    rssKiB: k(a.rss, b.rss),
    heapTotalKiB: k(a.heapTotal, b.heapTotal),
    heapUsedKiB: k(a.heapUsed, b.heapUsed),
    externalKiB: k(a.external, b.external),
  };
}

interface Held {
  /**
   * RSS growth per session in bytes from half of the sessions open to all of them: the marginal cost,
   * without one-off growth and the release of start-up garbage (which can even make idle → all open
   * negative for a process whose sessions are cheap). Idle → all open is in the details.
   */
  perSession: number;
  connectMs: number[];
  details: Record<string, unknown>;
}

/**
 * Open `targets.length` sessions (in two halves, so the marginal cost without one-off growth shows
 * too) after a warm-up on `warm`; measure; close them.
 */
async function holdThroughPortal(
  lab: LabReady,
  targets: RunningLabDevice[],
  warm: RunningLabDevice[],
  o: SessionsOptions,
  perMessageDeflate: boolean,
  readings: number,
  /** Command guard rails on for the sessions' user (every session holds its guard; issue 19). */
  guardRails = false,
): Promise<Held> {
  const n = targets.length;
  const portal = await startChild<PortalReady>('portal.ts', {
    limits: { perUser: n + WARMUP, perDevice: PER_DEVICE },
  });
  const terms: WsTerminal[] = [];
  try {
    const ids = await portal.request<Record<string, string>>('addDevices', {
      devices: lab.devices.map((d) => labDeviceRow(d, lab)),
    });
    await portal.request('guardRails', { on: guardRails });
    const openOne = async (d: RunningLabDevice) => {
      const t0 = performance.now();
      const term = await WsTerminal.open(portal.ready, portal.ready.cookies.admin, ids[d.name]!, {
        sinkKeep: 1024,
        perMessageDeflate,
      });
      terms.push(term);
      await term.connect(80, 24);
      await term.sink.waitFor(vrpPrompt(d.name), 20_000);
      return performance.now() - t0;
    };
    // warm-up: open and close a few (JIT, module loading, database statements)
    await mapLimit(warm, o.openConcurrency, openOne);
    await mapLimit(terms.splice(0), 50, (t) => t.close(2000));
    for (let i = 0; i < 50 && (await portal.request<number>('terminals')) > 0; i++) await sleep(100);
    const idle = await settled(portal, readings);
    const half = Math.floor(n / 2);
    const connectMs = await mapLimit(targets.slice(0, half), o.openConcurrency, openOne);
    const mid = await settled(portal, readings);
    connectMs.push(...(await mapLimit(targets.slice(half), o.openConcurrency, openOne)));
    const open = await portal.request<number>('terminals');
    if (open !== n) throw new Error(`expected ${n} open sessions in the portal, found ${open}`);
    const loaded = await settled(portal, readings);
    return {
      perSession: (loaded.rss - mid.rss) / (n - half),
      connectMs,
      details: {
        perMessageDeflate,
        idleRssMiB: round(idle.rss / MB, 1),
        midRssMiB: round(mid.rss / MB, 1),
        loadedRssMiB: round(loaded.rss / MB, 1),
        perSession: perItem(idle, loaded, n),
        marginalPerSession: perItem(mid, loaded, n - half),
        connectP50: round(percentile(connectMs, 50), 1),
        connectP99: round(percentile(connectMs, 99), 1),
      },
    };
  } finally {
    await mapLimit(terms.splice(0), 50, (t) => t.close(2000));
    await portal.close();
  }
}

/** The same with plain ssh2 clients in their own process. */
async function holdDirect(
  lab: LabReady,
  targets: RunningLabDevice[],
  warm: RunningLabDevice[],
  o: SessionsOptions,
  readings: number,
): Promise<Held> {
  const n = targets.length;
  const holder = await startChild<Record<string, never>>('ssh-holder.ts', {});
  try {
    const open = (list: RunningLabDevice[]) =>
      holder.request<number[]>(
        'open',
        {
          targets: list.map((d) => ({
            host: d.host,
            port: d.port,
            username: d.username,
            password: d.password,
            hostKeyFingerprint: lab.hostKeyFingerprint,
            prompt: vrpPrompt(d.name),
          })),
          count: list.length,
          concurrency: o.openConcurrency,
        },
        600_000,
      );
    await open(warm);
    await holder.request('closeAll');
    const idle = await settled(holder, readings);
    const half = Math.floor(n / 2);
    const connectMs = await open(targets.slice(0, half));
    const mid = await settled(holder, readings);
    connectMs.push(...(await open(targets.slice(half))));
    const loaded = await settled(holder, readings);
    return {
      perSession: (loaded.rss - mid.rss) / (n - half),
      connectMs,
      details: {
        idleRssMiB: round(idle.rss / MB, 1),
        midRssMiB: round(mid.rss / MB, 1),
        loadedRssMiB: round(loaded.rss / MB, 1),
        perConnection: perItem(idle, loaded, n),
        marginalPerConnection: perItem(mid, loaded, n - half),
        connectP50: round(percentile(connectMs, 50), 1),
        connectP99: round(percentile(connectMs, 99), 1),
      },
    };
  } finally {
    await holder.close();
  }
}

export async function runSessions(o: SessionsOptions, ctx: BenchContext): Promise<BenchResult> {
  const closers: (() => Promise<unknown> | unknown)[] = [];
  try {
    const deviceCount = Math.ceil((o.sessions + WARMUP) / PER_DEVICE);
    ctx.log(`sessions: starting ${deviceCount} lab devices`);
    const lab = await startChild<LabReady>(
      'lab.ts',
      { specs: vrpSpecs('sess', deviceCount) },
      { readyTimeoutMs: 120_000 },
    );
    closers.push(() => lab.close());
    const devices = lab.ready.devices;
    // session i goes to device i mod D (at most PER_DEVICE per device); the warm-up uses the last ones
    const targets = Array.from({ length: o.sessions }, (_, i) => devices[i % devices.length]!);
    const warm = devices.slice(-Math.min(WARMUP, devices.length));
    // RSS readings per measurement point (the lowest counts); one is enough for a smoke run
    const readings = ctx.smoke ? 1 : 3;

    ctx.log(
      `sessions: ${o.sessions} terminal sessions through the portal, ${o.openConcurrency} opening at once`,
    );
    const portal = await holdThroughPortal(lab.ready, targets, warm, o, true, readings, true);
    ctx.log(`sessions: the same with clients that do not offer permessage-deflate`);
    const plain = await holdThroughPortal(lab.ready, targets, warm, o, false, readings);
    ctx.log(`sessions: ${o.sessions} plain ssh2 shells held by one process`);
    const direct = await holdDirect(lab.ready, targets, warm, o, readings);

    const b = 'sessions';
    const kib = (bytes: number) => round(bytes / 1024, 1);
    return {
      rows: [
        row({
          benchmark: b,
          metric: `RSS per session (${Math.floor(o.sessions / 2)} → ${o.sessions} open; screen model and guard rails on)`,
          unit: 'KiB',
          portal: kib(portal.perSession),
          baseline: kib(direct.perSession),
          target: '< 1024 KiB',
          met: portal.perSession < MB,
        }),
        row({
          benchmark: b,
          metric: 'same, clients without permessage-deflate',
          unit: 'KiB',
          portal: kib(plain.perSession),
          baseline: kib(direct.perSession),
          target: '',
          met: null,
        }),
        row({
          benchmark: b,
          metric: 'connect p50 (to first prompt)',
          unit: 'ms',
          portal: round(percentile(portal.connectMs, 50), 1),
          baseline: round(percentile(direct.connectMs, 50), 1),
          target: '',
          met: null,
        }),
        row({
          benchmark: b,
          metric: 'connect p99',
          unit: 'ms',
          portal: round(percentile(portal.connectMs, 99), 1),
          baseline: round(percentile(direct.connectMs, 99), 1),
          target: '',
          met: null,
        }),
      ],
      details: {
        ...o,
        devices: deviceCount,
        portal: portal.details,
        portalNoDeflate: plain.details,
        direct: direct.details,
      },
    };
  } finally {
    await closeAll(closers);
  }
}
