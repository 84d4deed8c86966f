'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { INVALID_REQUEST, parseArgs } from '@/lib/actions/args';
import { authorise } from '@/lib/auth/session';
import { IMPORT_MAX_BYTES } from '@/lib/devices/import/columns';
import { importDevices, type ImportRowResult } from '@/lib/devices/import/import-devices';
import type { ImportAction } from '@/lib/devices/import/plan';
import { getRuntime } from '@/lib/server/registry';

export type ImportState =
  | {
      ok: true;
      rows: ImportRowResult[];
      summary: Record<ImportAction, number>;
      applied: boolean;
      groupsCreated: string[];
    }
  | { ok: false; error: string };

const csvArg = z.string().max(IMPORT_MAX_BYTES);

async function run(args: unknown[], apply: boolean): Promise<ImportState> {
  const parsed = parseArgs(args, csvArg);
  if (!parsed) return { ok: false, error: INVALID_REQUEST };
  const auth = await authorise('devices:edit');
  if (!auth.ok) return { ok: false, error: auth.error };
  const r = await importDevices(auth.user, { csv: parsed[0] }, { apply }, getRuntime());
  if (!r.ok) return { ok: false, error: r.message };
  if (r.applied) revalidatePath('/', 'layout');
  return r;
}

/** The dry run: what each row would do. Nothing is written. */
export async function previewImportAction(csv: string, ...extra: unknown[]): Promise<ImportState> {
  return run([csv, ...extra], false);
}

/** Apply the file: every row in one transaction, or nothing when any row is an error. */
export async function applyImportAction(csv: string, ...extra: unknown[]): Promise<ImportState> {
  return run([csv, ...extra], true);
}
