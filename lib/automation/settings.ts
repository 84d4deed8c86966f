import type { Logger } from 'pino';
import { z } from 'zod';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/generated/client';
import { OUTPUT_RETENTION_DAYS_DEFAULT, purgeOutputHistory } from './history';

/**
 * What an admin decides about stored output (the Settings page): how long output history is kept,
 * and whether task output is stored as the device printed it instead of with its secrets hidden.
 * Kept in the Setting table as one JSON value; read once per task run (lib/tasks/executor.ts) and
 * once per purge, so a change applies to the next run.
 */

export const OUTPUT_RETENTION_DAYS_MIN = 1;
export const OUTPUT_RETENTION_DAYS_MAX = 3650;
/** How often old output history is purged (OUTPUT_PURGE_INTERVAL_MS in the environment). */
export const OUTPUT_PURGE_INTERVAL_MS = 6 * 60 * 60_000;
/** The first purge after start-up waits this long (start-up stays quick; a restart loop still purges). */
export const OUTPUT_PURGE_FIRST_DELAY_MS = 60_000;
const DAY_MS = 24 * 60 * 60_000;

export const OUTPUT_SETTINGS_KEY = 'output.settings';
export const OUTPUT_PURGE_KEY = 'output.lastPurge';

export interface OutputSettings {
  /** Output history older than this is purged (each device's latest version of a template stays). */
  retentionDays: number;
  /** Store task output, history, exports and webhook payloads without hiding secrets. */
  keepRawOutput: boolean;
}

export const OUTPUT_SETTINGS_DEFAULT: OutputSettings = {
  retentionDays: OUTPUT_RETENTION_DAYS_DEFAULT,
  keepRawOutput: false,
};

const RETENTION_MESSAGE = `Enter a whole number of days from ${OUTPUT_RETENTION_DAYS_MIN} to ${OUTPUT_RETENTION_DAYS_MAX}.`;

export const outputSettingsSchema = z
  .object({
    retentionDays: z
      .number({ error: RETENTION_MESSAGE })
      .int(RETENTION_MESSAGE)
      .min(OUTPUT_RETENTION_DAYS_MIN, RETENTION_MESSAGE)
      .max(OUTPUT_RETENTION_DAYS_MAX, RETENTION_MESSAGE),
    keepRawOutput: z.boolean({ error: 'Choose whether raw output is kept.' }),
  })
  .strict();

/** The settings in force: what an admin saved, field by field, or the defaults. Never throws on bad data. */
export async function getOutputSettings(db: PrismaClient): Promise<OutputSettings> {
  const row = await db.setting.findUnique({ where: { key: OUTPUT_SETTINGS_KEY } });
  if (!row) return { ...OUTPUT_SETTINGS_DEFAULT };
  let stored: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(row.value) as unknown;
    if (parsed && typeof parsed === 'object') stored = parsed as Record<string, unknown>;
  } catch {
    // unreadable: the defaults
  }
  const shape = outputSettingsSchema.shape;
  const days = shape.retentionDays.safeParse(stored.retentionDays);
  const raw = shape.keepRawOutput.safeParse(stored.keepRawOutput);
  return {
    retentionDays: days.success ? days.data : OUTPUT_SETTINGS_DEFAULT.retentionDays,
    keepRawOutput: raw.success ? raw.data : OUTPUT_SETTINGS_DEFAULT.keepRawOutput,
  };
}

type Actor = { id: string; role: string };

/** Save both settings (admins), audited with what changed. */
export async function setOutputSettings(
  deps: { db: PrismaClient; audit: AuditSink },
  actor: Actor,
  raw: unknown,
): Promise<{ ok: true; settings: OutputSettings } | { ok: false; errors: Record<string, string> }> {
  if (actor.role !== 'admin') return { ok: false, errors: { form: 'Only admins change output settings.' } };
  const parsed = outputSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0] ?? 'form')] ??= i.message;
    return { ok: false, errors };
  }
  const next = parsed.data;
  const before = await getOutputSettings(deps.db);
  const value = JSON.stringify(next);
  await deps.db.setting.upsert({
    where: { key: OUTPUT_SETTINGS_KEY },
    create: { key: OUTPUT_SETTINGS_KEY, value },
    update: { value },
  });
  const changes: string[] = [];
  if (before.retentionDays !== next.retentionDays)
    changes.push(`retention ${before.retentionDays} → ${next.retentionDays} days`);
  if (before.keepRawOutput !== next.keepRawOutput)
    changes.push(
      next.keepRawOutput ? 'raw output kept (secrets are stored)' : 'secrets hidden in stored output',
    );
  if (changes.length > 0)
    await deps.audit({
      userId: actor.id,
      action: 'settings.output',
      target: 'output',
      detail: changes.join('; '),
    });
  return { ok: true, settings: next };
}

export interface PurgeRecord {
  at: string;
  cutoff: string;
  versions: number;
  blobs: number;
}

/** Purge output history older than the retention setting, as of `now`; the result is remembered. */
export async function runOutputPurge(db: PrismaClient, now: Date): Promise<PurgeRecord> {
  const { retentionDays } = await getOutputSettings(db);
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const r = await purgeOutputHistory(db, cutoff);
  const record: PurgeRecord = { at: now.toISOString(), cutoff: cutoff.toISOString(), ...r };
  const value = JSON.stringify(record);
  await db.setting.upsert({
    where: { key: OUTPUT_PURGE_KEY },
    create: { key: OUTPUT_PURGE_KEY, value },
    update: { value },
  });
  return record;
}

/** The last purge's outcome (shown on the Settings page), or null before the first one. */
export async function lastOutputPurge(db: PrismaClient): Promise<PurgeRecord | null> {
  const row = await db.setting.findUnique({ where: { key: OUTPUT_PURGE_KEY } });
  if (!row) return null;
  try {
    const r = JSON.parse(row.value) as PurgeRecord;
    return typeof r.at === 'string' && typeof r.versions === 'number' ? r : null;
  } catch {
    return null;
  }
}

/**
 * Purge old output history with the runtime: first after OUTPUT_PURGE_FIRST_DELAY_MS, then every
 * `intervalMs`. A purge still running when the next is due is not doubled. Returns the stop function.
 */
export function startOutputPurge(
  deps: { db: PrismaClient; log: Logger },
  opts: { intervalMs?: number; firstDelayMs?: number; now?: () => Date } = {},
): () => void {
  const now = opts.now ?? (() => new Date());
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    void runOutputPurge(deps.db, now())
      .then((r) => {
        if (r.versions > 0 || r.blobs > 0) deps.log.info(r, 'old output history purged');
      })
      .catch((err: unknown) => deps.log.error({ err }, 'output history purge failed'))
      .finally(() => {
        running = false;
      });
  };
  const first = setTimeout(tick, opts.firstDelayMs ?? OUTPUT_PURGE_FIRST_DELAY_MS);
  const timer = setInterval(tick, opts.intervalMs ?? OUTPUT_PURGE_INTERVAL_MS);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
