/**
 * The benchmark suite at smoke sizes: it runs to the end, every benchmark produces rows with numbers,
 * and nothing it started (portal, cluster nodes, lab, sshd, raw ws server, ssh holder) outlives it,
 * nor the cluster benchmarks' PostgreSQL database and Redis keys. No timing assertions: the numbers
 * depend on the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_PG_URL } from '../tests/helpers';
import { BENCH_REDIS_URL } from './lib/cluster';
import type { BenchReport } from './run';

const ROOT = path.resolve(import.meta.dirname, '..');
const SUITES = [
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
];
const CLUSTER_SUITES = ['cluster-batch', 'cluster-fanout', 'cluster-echo'] as const;

const dir = mkdtempSync(path.join(tmpdir(), 'sb-bench-smoke-'));
let runner: ChildProcess | undefined;

/** Whether any process of the runner's process group is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(() => {
  // its own process group: one signal reaches everything it started, should anything be left
  if (runner?.pid && groupAlive(runner.pid)) process.kill(-runner.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const SMOKE_KILL_AFTER_MS = 150_000;

describe('npm run bench -- --smoke', () => {
  it(
    'runs every benchmark with its baseline, writes rows with numbers, and leaves nothing running',
    async () => {
      const out = path.join(dir, 'results.json');
      runner = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'bench', 'run.ts'), '--smoke', '--out', out],
        {
          cwd: ROOT,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      runner.stdout!.on('data', (d: Buffer) => (output += d));
      runner.stderr!.on('data', (d: Buffer) => (output += d));
      const code = await new Promise<number | null>((resolve) => {
        // a guard against a hang, not a speed check (npm run bench measures speed): the smoke run
        // takes ~45 s on a 2-core machine (13 s of it the two cluster benchmarks, which start six
        // nodes) and shares it with the other suites in npm test
        const timer = setTimeout(() => {
          if (runner?.pid) process.kill(-runner.pid, 'SIGKILL');
        }, SMOKE_KILL_AFTER_MS);
        runner!.once('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(code, output.slice(-3000)).toBe(0);

      const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
      expect(report.errors).toEqual({});
      expect(report.options.smoke).toBe(true);
      for (const suite of SUITES) {
        const rows = report.rows.filter((r) => r.suite === suite);
        expect(rows.length, `rows of ${suite}`).toBeGreaterThan(0);
        expect(report.details[suite as keyof BenchReport['details']], `details of ${suite}`).toBeDefined();
        for (const r of rows) {
          expect(Number.isFinite(r.portal), `${r.benchmark} ${r.metric}: portal`).toBe(true);
          if (r.baseline !== null)
            expect(Number.isFinite(r.baseline), `${r.benchmark} ${r.metric}: baseline`).toBe(true);
          if (r.met !== null) expect(typeof r.met).toBe('boolean');
        }
        // every benchmark compares against its baseline in the same run
        expect(rows.some((r) => r.baseline !== null)).toBe(true);
      }
      expect(output).toMatch(/\| benchmark +\| metric/);

      // nothing it started is left: portal, cluster nodes, lab, raw ws server, ssh holder, sshd
      for (let i = 0; i < 30 && groupAlive(runner.pid!); i++) await new Promise((r) => setTimeout(r, 100));
      expect(groupAlive(runner.pid!)).toBe(false);
      // nor what the cluster benchmarks kept: their databases and Redis keys
      const kept = CLUSTER_SUITES.flatMap(
        (suite) =>
          (report.details[suite] as { clusters: { database: string; redisPrefix: string }[] }).clusters,
      );
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      try {
        const { rows } = await admin.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [
          kept.map((k) => k.database),
        ]);
        expect(rows).toEqual([]);
      } finally {
        await admin.end();
      }
      const redis = new Redis(BENCH_REDIS_URL);
      try {
        for (const { redisPrefix } of kept) {
          const left: string[] = [];
          let cursor = '0';
          do {
            const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
            cursor = next;
            left.push(...keys);
          } while (cursor !== '0');
          expect(left, `Redis keys under ${redisPrefix}`).toEqual([]);
        }
      } finally {
        redis.disconnect();
      }
    },
    SMOKE_KILL_AFTER_MS + 10_000,
  );
});
