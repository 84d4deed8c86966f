/**
 * 6. Device list: the Devices page's query (listDevicePage: count, page, group chips, operable flags)
 * over N devices in a scratch SQLite database (the runtime the tests use, no lab), timed server-side
 * for the requests people make (first page by name, sorted by status, a search, a group filter), as
 * an admin and as an operator whose access comes through two group grants and a team. Baseline: a
 * raw `SELECT … ORDER BY name LIMIT 50` through the same Prisma client (what a page costs without
 * access rules, counting or chips).
 */
import { register } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { DeviceListQuery } from '../lib/devices/device-list-params';
import { seedFleet } from '../tests/fixtures/device-fleet';
import { startPortal } from '../tests/harness';
import { closeAll, type BenchContext, type BenchResult } from './lib/common';
import { row, type Row } from './lib/report';
import { percentile, round } from './lib/stats';

export interface DeviceListBenchOptions {
  devices: number;
  requests: number;
}

/** The Devices page must answer within this (server time), p95. */
const TARGET_P95_MS = 300;

/** The marker's empty module (what Next's server condition resolves `server-only` to). */
const SERVER_ONLY_EMPTY = new URL('../node_modules/server-only/empty.js', import.meta.url).href;
let serverOnlyAllowed = false;

/**
 * `server-only` throws unless imported under React's server condition, which Next gives the app; the
 * benchmark runs the same server code under plain Node, so the marker resolves to its empty module.
 */
function allowServerOnly(): void {
  if (serverOnlyAllowed) return;
  serverOnlyAllowed = true;
  const hook = `export async function resolve(s, c, next) {
    if (s === 'server-only') return { url: ${JSON.stringify(SERVER_ONLY_EMPTY)}, shortCircuit: true };
    return next(s, c);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

async function time(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(10, n); i++) await fn(); // warm-up: JIT and SQLite's page cache
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function runDeviceList(o: DeviceListBenchOptions, ctx: BenchContext): Promise<BenchResult> {
  allowServerOnly();
  const { listDevicePage } = await import('../lib/devices/device-list');
  const { DEFAULT_DEVICE_LIST_QUERY } = await import('../lib/devices/device-list-params');
  const closers: (() => Promise<unknown> | unknown)[] = [];
  try {
    const portal = await startPortal({ lab: [] });
    closers.push(() => portal.close());
    ctx.log(`device-list: inserting ${o.devices} devices with groups and grants`);
    const fleet = await seedFleet(portal.db, o.devices, {
      opUserId: portal.users.operator,
      viewerUserId: portal.users.viewer,
    });
    const q = (over: Partial<DeviceListQuery>): DeviceListQuery => ({ ...DEFAULT_DEVICE_LIST_QUERY, ...over });
    const requests: [string, DeviceListQuery][] = [
      ['first page by name', q({})],
      ['sorted by status', q({ sort: 'status', page: 3 })],
      ['search "ios-1"', q({ q: 'ios-1' })],
      ['filter by group', q({ group: fleet.groups['site:dc1']! })],
    ];
    const users = [
      ['admin', { id: portal.users.admin, role: 'admin' as const }],
      ['operator (2 group grants + team)', { id: portal.users.operator, role: 'operator' as const }],
    ] as const;

    ctx.log(`device-list: baseline (raw SELECT … LIMIT 50), ${o.requests} requests`);
    const baseline = await time(o.requests, () =>
      portal.db.$queryRawUnsafe(
        'SELECT id, name, host, port, username, vendor, transport, status, statusChangedAt, notes, lab FROM Device ORDER BY name LIMIT 50',
      ),
    );
    const b50 = percentile(baseline, 50);
    const b95 = percentile(baseline, 95);
    const rows: Row[] = [];
    const details: Record<string, unknown> = {
      ...o,
      baseline: { p50: round(b50, 3), p95: round(b95, 3) },
    };
    for (const [who, user] of users) {
      for (const [label, query] of requests) {
        ctx.log(`device-list: ${who}, ${label}, ${o.requests} requests`);
        let total = 0;
        const ms = await time(o.requests, async () => {
          total = (await listDevicePage(user, query, portal.db)).total;
        });
        const p50 = percentile(ms, 50);
        const p95 = percentile(ms, 95);
        details[`${who}: ${label}`] = { total, p50: round(p50, 2), p95: round(p95, 2), max: round(Math.max(...ms), 2) };
        rows.push(
          row({
            benchmark: 'device-list',
            metric: `${who}, ${label} (${total} match), p50`,
            unit: 'ms',
            portal: round(p50, 2),
            baseline: round(b50, 3),
            target: '',
            met: null,
          }),
          row({
            benchmark: 'device-list',
            metric: `${who}, ${label} (${total} match), p95`,
            unit: 'ms',
            portal: round(p95, 2),
            baseline: round(b95, 3),
            target: `p95 < ${TARGET_P95_MS} ms`,
            met: p95 < TARGET_P95_MS,
          }),
        );
      }
    }
    return { rows, details };
  } finally {
    await closeAll(closers);
  }
}
