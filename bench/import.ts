/**
 * 6. Inventory import: N devices from one CSV (groups included) through the import the page and the
 * API use, in the portal's own process: the dry run, the apply (all new), the same file again (all
 * unchanged) and a file that changes every device (notes and password). Baseline: the same devices
 * written with a plain Prisma createMany (1,000 per statement) in one transaction.
 */
import type { ImportRun } from './fixtures/importer';
import { closeAll, type BenchContext, type BenchResult } from './lib/common';
import { startChild } from './lib/proc';
import { row } from './lib/report';
import { round } from './lib/stats';

export interface ImportOptions {
  rows: number;
}

/** The targets from the issue, for 5,000 rows on a 2-core machine. */
const PREVIEW_TARGET_S = 5;
const APPLY_TARGET_S = 15;
const TARGET_ROWS = 5000;

const HEADER = 'name,host,port,vendor,encoding,username,password,private_key,enable_secret,groups,notes';

function fleetCsv(
  prefix: string,
  n: number,
  edit: (i: number) => { notes: string; password: string },
): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    const e = edit(i);
    lines.push(
      [
        `${prefix}-${String(i).padStart(5, '0')}`,
        '127.0.0.1',
        20000 + (i % 5000),
        i % 2 ? 'cisco_ios' : 'huawei_vrp',
        'utf-8',
        'netops',
        e.password,
        '',
        '',
        `site:dc${i % 3};role:${i % 2 ? 'edge' : 'access'}`,
        e.notes,
      ].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

export async function runImport(o: ImportOptions, ctx: BenchContext): Promise<BenchResult> {
  const closers: (() => Promise<unknown> | unknown)[] = [];
  try {
    const portal = await startChild<Record<string, never>>('importer.ts', {});
    closers.push(() => portal.close());
    const call = (csv: string, apply: boolean) => portal.request<ImportRun>('run', { csv, apply }, 600_000);
    const n = o.rows;
    // warm-up: a small file once each way (JIT, prepared statements), in its own names
    const warm = fleetCsv('warm', Math.min(200, n), (i) => ({ notes: '', password: `pw-${i}` }));
    await call(warm, false);
    await call(warm, true);

    const csv = fleetCsv('imp', n, (i) => ({ notes: `rack ${i % 40}`, password: `pw-${i}` }));
    ctx.log(`import: preview of ${n} new rows`);
    const preview = await call(csv, false);
    ctx.log(`import: apply of ${n} new rows`);
    const apply = await call(csv, true);
    if (!apply.applied || apply.summary.new !== n) throw new Error(`apply: ${JSON.stringify(apply.summary)}`);
    ctx.log('import: the same file again (all unchanged)');
    const again = await call(csv, false);
    if (again.summary.unchanged !== n) throw new Error(`re-import: ${JSON.stringify(again.summary)}`);
    ctx.log(`import: every device changed (notes and password)`);
    const changed = fleetCsv('imp', n, (i) => ({ notes: `moved to rack ${i % 7}`, password: `new-${i}` }));
    const update = await call(changed, true);
    if (!update.applied || update.summary.changed !== n)
      throw new Error(`update: ${JSON.stringify(update.summary)}`);
    ctx.log(`import: baseline, Prisma createMany of ${n} devices`);
    const names = Array.from({ length: n }, (_, i) => `base-${String(i).padStart(5, '0')}`);
    const base = await portal.request<{ ms: number }>('baseline', { names, batch: 1000 }, 600_000);

    const s = (ms: number) => round(ms / 1000, 2);
    const perS = (ms: number) => round(n / (ms / 1000), 0);
    const scaled = n === TARGET_ROWS;
    const label = `${n} rows`;
    return {
      rows: [
        row({
          benchmark: 'import',
          metric: `preview (dry run), ${label} new`,
          unit: 's',
          portal: s(preview.ms),
          baseline: null,
          target: scaled ? `< ${PREVIEW_TARGET_S} s` : '',
          met: scaled ? preview.ms < PREVIEW_TARGET_S * 1000 : null,
        }),
        row({
          benchmark: 'import',
          metric: `apply, ${label} new (vs Prisma createMany of the rows)`,
          unit: 's',
          portal: s(apply.ms),
          baseline: s(base.ms),
          target: scaled ? `< ${APPLY_TARGET_S} s` : '',
          met: scaled ? apply.ms < APPLY_TARGET_S * 1000 : null,
        }),
        row({
          benchmark: 'import',
          metric: 'preview throughput',
          unit: 'rows/s',
          portal: perS(preview.ms),
          baseline: null,
          target: '',
          met: null,
        }),
        row({
          benchmark: 'import',
          metric: 'apply throughput (vs createMany)',
          unit: 'rows/s',
          portal: perS(apply.ms),
          baseline: perS(base.ms),
          target: '',
          met: null,
        }),
        row({
          benchmark: 'import',
          metric: `re-import preview, ${label} unchanged`,
          unit: 's',
          portal: s(again.ms),
          baseline: null,
          target: '',
          met: null,
        }),
        row({
          benchmark: 'import',
          metric: `apply, ${label} changed (notes, password)`,
          unit: 's',
          portal: s(update.ms),
          baseline: null,
          target: scaled ? `< ${APPLY_TARGET_S} s` : '',
          met: scaled ? update.ms < APPLY_TARGET_S * 1000 : null,
        }),
      ],
      details: { rows: n, preview, apply, again, update, baselineMs: base.ms },
    };
  } finally {
    await closeAll(closers);
  }
}
