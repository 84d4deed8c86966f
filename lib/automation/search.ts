import type { PrismaClient } from '../db/generated/client';
import { compileUserPattern } from '../tasks/patterns';
import type { CommandOutput } from '../tasks/schema';

/**
 * "Which devices' output contains this?" across one task's results or a template's history. Plain
 * text matches case-insensitively as typed; `/…/` is an RE2 pattern (linear time on any output).
 * Each hit names the device and shows the first matching lines (capped), never whole outputs.
 */

export const SEARCH_MAX_LINES_PER_DEVICE = 5;
export const SEARCH_MAX_LINE_CHARS = 300;
export const SEARCH_MAX_DEVICES = 1000;
/** Device outputs read from the database at once while searching a task. */
export const SEARCH_BATCH_ROWS = 100;

export interface SearchHit {
  device: string;
  deviceId: string | null;
  /** Matching lines with their command (tasks) and line number within that output. */
  lines: { command: string | null; line: number; text: string }[];
  /** More lines matched than are shown. */
  more: number;
}

export type Matcher = { ok: true; test: (line: string) => boolean } | { ok: false; error: string };

export function matcherOf(query: string): Matcher {
  const q = query.trim();
  if (q === '') return { ok: false, error: 'Enter text or a /pattern/ to search for.' };
  if (q.length > 502) return { ok: false, error: 'At most 500 characters.' };
  if (q.length > 2 && q.startsWith('/') && q.endsWith('/')) {
    const p = compileUserPattern(q.slice(1, -1));
    if (!p.ok) return p;
    return { ok: true, test: (line) => p.pattern.test(line) };
  }
  const needle = q.toLowerCase();
  return { ok: true, test: (line) => line.toLowerCase().includes(needle) };
}

function scan(text: string, command: string | null, test: (l: string) => boolean, into: SearchHit) {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!test(lines[i]!)) continue;
    if (into.lines.length < SEARCH_MAX_LINES_PER_DEVICE)
      into.lines.push({ command, line: i + 1, text: lines[i]!.slice(0, SEARCH_MAX_LINE_CHARS) });
    else into.more++;
  }
}

/** Devices of one task whose stored output matches. */
export async function searchTask(
  db: PrismaClient,
  taskId: string,
  query: string,
): Promise<{ ok: true; hits: SearchHit[]; searched: number } | { ok: false; error: string }> {
  const m = matcherOf(query);
  if (!m.ok) return m;
  const hits: SearchHit[] = [];
  let searched = 0;
  // a batch of outputs at a time: a thousand multi-MiB configurations are never held at once
  while (searched < SEARCH_MAX_DEVICES) {
    const rows = await db.taskDevice.findMany({
      where: { taskId },
      orderBy: [{ deviceName: 'asc' }, { id: 'asc' }],
      select: { deviceId: true, deviceName: true, output: true },
      skip: searched,
      take: Math.min(SEARCH_BATCH_ROWS, SEARCH_MAX_DEVICES - searched),
    });
    for (const r of rows) {
      const hit: SearchHit = { device: r.deviceName, deviceId: r.deviceId, lines: [], more: 0 };
      let outputs: CommandOutput[] = [];
      try {
        outputs = JSON.parse(r.output) as CommandOutput[];
      } catch {
        continue;
      }
      for (const o of outputs) scan(o.output ?? '', o.command, m.test, hit);
      if (hit.lines.length > 0) hits.push(hit);
    }
    searched += rows.length;
    if (rows.length < SEARCH_BATCH_ROWS) break;
  }
  return { ok: true, hits, searched };
}

/** Devices whose latest output in a template's history matches (e.g. which configs hold a line). */
export async function searchTemplateHistory(
  db: PrismaClient,
  templateId: string,
  query: string,
  opts: { deviceIds?: string[] } = {},
): Promise<{ ok: true; hits: SearchHit[]; searched: number } | { ok: false; error: string }> {
  const m = matcherOf(query);
  if (!m.ok) return m;
  const versions = await db.outputVersion.findMany({
    where: { templateId, ...(opts.deviceIds ? { deviceId: { in: opts.deviceIds } } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { deviceId: true, deviceName: true, blobHash: true },
  });
  // the latest version of each device
  const latest = new Map<string, (typeof versions)[number]>();
  for (const v of versions)
    if (!latest.has(v.deviceId ?? v.deviceName)) latest.set(v.deviceId ?? v.deviceName, v);
  const chosen = [...latest.values()].slice(0, SEARCH_MAX_DEVICES);
  const blobs = new Map(
    (
      await db.outputBlob.findMany({
        where: { hash: { in: [...new Set(chosen.map((v) => v.blobHash))] } },
        select: { hash: true, text: true },
      })
    ).map((b) => [b.hash, b.text]),
  );
  const hits: SearchHit[] = [];
  for (const v of chosen.sort((a, b) => a.deviceName.localeCompare(b.deviceName, 'en', { numeric: true }))) {
    const hit: SearchHit = { device: v.deviceName, deviceId: v.deviceId, lines: [], more: 0 };
    scan(blobs.get(v.blobHash) ?? '', null, m.test, hit);
    if (hit.lines.length > 0) hits.push(hit);
  }
  return { ok: true, hits, searched: chosen.length };
}
