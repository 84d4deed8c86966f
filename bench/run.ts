/**
 * `npm run bench`: every benchmark on loopback, each with its baseline in the same run; one table on
 * stdout (progress on stderr) and bench/results.json. `--only a,b` picks benchmarks, `--smoke` runs
 * them all at tiny sizes, and every size is a flag (`--help`).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runBatch } from './batch';
import { runBrowser } from './browser';
import { runClusterBatch } from './cluster-batch';
import { runClusterEcho } from './cluster-echo';
import { runClusterFanout } from './cluster-fanout';
import { runDeviceList } from './device-list';
import { runEcho } from './echo';
import { runFanout } from './fanout';
import { runImport } from './import';
import { runJump } from './jump';
import type { BenchContext, BenchResult } from './lib/common';
import { BENCH_DIR, interruptCleanup } from './lib/proc';
import { formatTable, type Row } from './lib/report';
import { round } from './lib/stats';
import { runSessions } from './sessions';
import { runThroughput } from './throughput';

export const BENCHMARKS = [
  'echo',
  'throughput',
  'fanout',
  'batch',
  'jump',
  'sessions',
  'import',
  'device-list',
  'cluster-batch',
  'cluster-fanout',
  'cluster-echo',
  'browser',
] as const;
export type BenchName = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  only: BenchName[];
  smoke: boolean;
  out: string;
  keystrokes: number;
  mb: number;
  runs: number;
  slowSeconds: number;
  slowRate: number;
  clients: number;
  updates: number;
  window: number;
  fanoutSeconds: number;
  devices: number;
  concurrency: number;
  latency: number;
  batchRounds: number;
  sessions: number;
  openConcurrency: number;
  importRows: number;
  listDevices: number;
  listRequests: number;
  jumpDevices: number;
  clusterUpdates: number;
  browserMb: number;
  browserRuns: number;
  browserKeystrokes: number;
}

type Sizes = Omit<BenchOptions, 'only' | 'smoke' | 'out'>;

export const NORMAL: Sizes = {
  keystrokes: 500,
  mb: 50,
  runs: 3,
  slowSeconds: 15,
  slowRate: 1,
  clients: 1000,
  updates: 10_000,
  window: 2,
  fanoutSeconds: 90,
  devices: 500,
  concurrency: 50,
  latency: 20,
  sessions: 500,
  openConcurrency: 10,
  importRows: 5000,
  listDevices: 5000,
  listRequests: 200,
  jumpDevices: 200,
  clusterUpdates: 5000,
  browserMb: 50,
  browserRuns: 3,
  browserKeystrokes: 200,
  batchRounds: 5,
};

export const SMOKE: Sizes = {
  keystrokes: 20,
  mb: 2,
  runs: 1,
  slowSeconds: 2,
  slowRate: 1,
  clients: 20,
  updates: 100,
  window: 2,
  fanoutSeconds: 10,
  devices: 20,
  concurrency: 5,
  latency: 20,
  sessions: 20,
  openConcurrency: 10,
  importRows: 200,
  listDevices: 500,
  listRequests: 20,
  jumpDevices: 10,
  clusterUpdates: 100,
  browserMb: 2,
  browserRuns: 1,
  browserKeystrokes: 10,
  batchRounds: 2,
};

const FLAGS: Record<keyof Sizes, { flag: string; help: string }> = {
  keystrokes: { flag: 'keystrokes', help: 'echo, cluster-echo: measured keystrokes per path and device' },
  mb: { flag: 'mb', help: 'throughput: size of the printed file, MB' },
  runs: { flag: 'runs', help: 'throughput: runs per path (median reported)' },
  slowSeconds: { flag: 'slow-seconds', help: 'throughput: duration of the slow-reader phase, s' },
  slowRate: { flag: 'slow-rate', help: "throughput: the slow reader's link, MB/s" },
  clients: { flag: 'clients', help: 'fanout, cluster-fanout: WebSocket clients' },
  updates: { flag: 'updates', help: 'fanout: task updates published' },
  window: { flag: 'window', help: 'fanout, cluster-fanout: updates in flight at most' },
  fanoutSeconds: { flag: 'fanout-seconds', help: 'fanout, cluster-fanout: cap per run, s' },
  devices: { flag: 'devices', help: 'batch, cluster-batch: lab devices (per task)' },
  concurrency: { flag: 'concurrency', help: 'batch, jump, cluster-batch: task concurrency' },
  latency: { flag: 'latency', help: 'batch, jump, cluster-batch: device response latency, ms' },
  batchRounds: {
    flag: 'batch-rounds',
    help: 'batch, cluster-batch: measured rounds (the script, then the task or tasks; the median round is reported)',
  },
  sessions: { flag: 'sessions', help: 'sessions: terminal sessions held open' },
  openConcurrency: { flag: 'open-concurrency', help: 'sessions: sessions opened at once' },
  importRows: { flag: 'import-rows', help: 'import: CSV rows imported' },
  listDevices: { flag: 'list-devices', help: 'device-list: devices in the inventory' },
  listRequests: { flag: 'list-requests', help: 'device-list: timed requests per kind and user' },
  jumpDevices: {
    flag: 'jump-devices',
    help: 'jump: lab devices reached through one jump host (batch concurrency and latency)',
  },
  clusterUpdates: { flag: 'cluster-updates', help: 'cluster-fanout: task updates published' },
  browserMb: { flag: 'browser-mb', help: 'browser: size of the file flooded into each page, MB' },
  browserRuns: { flag: 'browser-runs', help: 'browser: floods per page (median reported)' },
  browserKeystrokes: { flag: 'browser-keystrokes', help: 'browser: measured keystrokes per page' },
};

export function usage(): string {
  const lines = [
    `Usage: npm run bench -- [--only ${BENCHMARKS.join(',')}] [--smoke] [--out FILE] [sizes]`,
    '',
    'Sizes (normal / --smoke):',
    ...Object.entries(FLAGS).map(
      ([k, f]) =>
        `  --${f.flag.padEnd(17)} ${f.help} (${NORMAL[k as keyof Sizes]} / ${SMOKE[k as keyof Sizes]})`,
    ),
  ];
  return lines.join('\n');
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const sizeFlags = Object.fromEntries(
    Object.values(FLAGS).map((f) => [f.flag, { type: 'string' as const }]),
  );
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      only: { type: 'string', multiple: true },
      smoke: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...sizeFlags,
    },
  });
  if (values.help) return 'help';
  const smoke = Boolean(values.smoke);
  const sizes: Sizes = { ...(smoke ? SMOKE : NORMAL) };
  for (const [key, f] of Object.entries(FLAGS) as [keyof Sizes, (typeof FLAGS)[keyof Sizes]][]) {
    const raw = (values as Record<string, unknown>)[f.flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0)
      throw new Error(`--${f.flag} must be a positive number, got "${String(raw)}"`);
    sizes[key] =
      key === 'mb' || key === 'slowRate' || key === 'slowSeconds' || key === 'browserMb' ? n : Math.round(n);
    // a count that rounds to nothing (--batch-rounds 0.4) would fail only after the benchmark's set-up
    if (sizes[key] < 1 && sizes[key] !== n)
      throw new Error(`--${f.flag} must be at least 1, got "${String(raw)}"`);
  }
  const only = ((values.only as string[] | undefined) ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of only) {
    if (!(BENCHMARKS as readonly string[]).includes(name))
      throw new Error(`unknown benchmark "${name}" (${BENCHMARKS.join(', ')})`);
  }
  return {
    ...sizes,
    only: only.length > 0 ? (only as BenchName[]) : [...BENCHMARKS],
    smoke,
    out: path.resolve((values.out as string | undefined) ?? path.join(BENCH_DIR, 'results.json')),
  };
}

export interface BenchReport {
  startedAt: string;
  wallSeconds: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryMiB: number;
    node: string;
    loadAvgStart: number[];
    loadAvgEnd: number[];
  };
  options: BenchOptions;
  rows: Row[];
  details: Partial<Record<BenchName, unknown>>;
  errors: Partial<Record<BenchName, string>>;
  seconds: Partial<Record<BenchName, number>>;
}

function runOne(name: BenchName, o: BenchOptions, ctx: BenchContext): Promise<BenchResult> {
  switch (name) {
    case 'echo':
      return runEcho({ keystrokes: o.keystrokes, warmup: Math.min(50, o.keystrokes) }, ctx);
    case 'throughput':
      return runThroughput({ mb: o.mb, runs: o.runs, slowSeconds: o.slowSeconds, slowRate: o.slowRate }, ctx);
    case 'fanout':
      return runFanout(
        { clients: o.clients, updates: o.updates, window: o.window, maxSeconds: o.fanoutSeconds },
        ctx,
      );
    case 'batch':
      return runBatch(
        { devices: o.devices, concurrency: o.concurrency, latencyMs: o.latency, rounds: o.batchRounds },
        ctx,
      );
    case 'jump':
      return runJump({ devices: o.jumpDevices, concurrency: o.concurrency, latencyMs: o.latency }, ctx);
    case 'sessions':
      return runSessions({ sessions: o.sessions, openConcurrency: o.openConcurrency }, ctx);
    case 'import':
      return runImport({ rows: o.importRows }, ctx);
    case 'device-list':
      return runDeviceList({ devices: o.listDevices, requests: o.listRequests }, ctx);
    case 'cluster-batch':
      return runClusterBatch(
        { devices: o.devices, concurrency: o.concurrency, latencyMs: o.latency, rounds: o.batchRounds },
        ctx,
      );
    case 'cluster-fanout':
      return runClusterFanout(
        { clients: o.clients, updates: o.clusterUpdates, window: o.window, maxSeconds: o.fanoutSeconds },
        ctx,
      );
    case 'cluster-echo':
      return runClusterEcho({ keystrokes: o.keystrokes, warmup: Math.min(50, o.keystrokes) }, ctx);
    case 'browser':
      return runBrowser({ mb: o.browserMb, runs: o.browserRuns, keystrokes: o.browserKeystrokes }, ctx);
  }
}

export async function runBenchmarks(
  o: BenchOptions,
  log: (m: string) => void = () => {},
): Promise<BenchReport> {
  const t0 = performance.now();
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    wallSeconds: 0,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryMiB: Math.round(os.totalmem() / 2 ** 20),
      node: process.version,
      loadAvgStart: os.loadavg().map((l) => round(l, 2)),
      loadAvgEnd: [],
    },
    options: o,
    rows: [],
    details: {},
    errors: {},
    seconds: {},
  };
  const ctx: BenchContext = { smoke: o.smoke, log };
  for (const name of o.only) {
    const start = performance.now();
    try {
      const r = await runOne(name, o, ctx);
      report.rows.push(...r.rows.map((row) => ({ suite: name, ...row })));
      report.details[name] = r.details;
    } catch (err) {
      report.errors[name] = (err as Error).stack ?? String(err);
      log(`${name} failed: ${(err as Error).message}`);
    }
    report.seconds[name] = round((performance.now() - start) / 1000, 1);
  }
  report.wallSeconds = round((performance.now() - t0) / 1000, 1);
  report.machine.loadAvgEnd = os.loadavg().map((l) => round(l, 2));
  return report;
}

async function main(): Promise<void> {
  let o: BenchOptions | 'help';
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage()}\n`);
    process.exit(2);
  }
  if (o === 'help') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  let interrupted = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      interrupted = true;
      process.stderr.write(`\n${sig}: stopping servers and child processes\n`);
      void interruptCleanup().then(() => process.exit(130));
    });
  }
  const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  log(`running ${o.only.join(', ')}${o.smoke ? ' (smoke sizes)' : ''}`);
  const report = await runBenchmarks(o, log);
  if (interrupted) return;
  writeFileSync(o.out, `${JSON.stringify(report, null, 2)}\n`);
  const perBench = Object.entries(report.seconds)
    .map(([k, v]) => `${k} ${v} s`)
    .join(', ');
  process.stdout.write(
    `\n${formatTable(report.rows)}\n\nTotal wall time ${report.wallSeconds} s (${perBench}); ${report.machine.cpus} CPUs, ` +
      `load average ${report.machine.loadAvgStart[0]} → ${report.machine.loadAvgEnd[0]}. Results: ${path.relative(process.cwd(), o.out)}\n`,
  );
  const failed = Object.keys(report.errors);
  if (failed.length > 0) {
    for (const [name, err] of Object.entries(report.errors))
      process.stderr.write(`\n${name} FAILED:\n${err}\n`);
    process.exitCode = 1;
  }
  // anything left (a benchmark that failed half-way) must not keep the process alive
  await interruptCleanup(1000);
  process.exit();
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
