'use server';

import { getTranslations } from 'next-intl/server';
import { idArg, INVALID_REQUEST, parseArgs } from '@/lib/actions/args';
import { authorise } from '@/lib/auth/session';
import type { ProbeOneResult } from '@/lib/devices/status-monitor';
import { deviceLevel } from '@/lib/devices/visibility';
import { getRuntime } from '@/lib/server/registry';

export type ProbeNowResult = ProbeOneResult | { ok: false; code: 'refused'; message: string };

/**
 * Probe now: one probe of this device through the status monitor (same probe, hysteresis and
 * notifications as the rounds), answered within STATUS_PROBE_TIMEOUT_MS. Anyone who sees the
 * device may ask: a probe is a TCP connect, it sends no credentials.
 */
export async function probeDeviceAction(id: string): Promise<ProbeNowResult> {
  if (!parseArgs([id], idArg)) return { ok: false, code: 'refused', message: INVALID_REQUEST };
  const auth = await authorise('devices:view');
  if (!auth.ok) return { ok: false, code: 'refused', message: auth.error };
  const runtime = getRuntime();
  if (!(await deviceLevel(runtime.db, auth.user, id))) {
    const t = await getTranslations('device.probe');
    return { ok: false, code: 'not_found', message: t('notFound') };
  }
  const r = await runtime.status.probeOne(id);
  // the monitor's "no such device" (deleted since the check above) in the reader's language too
  if (!r.ok && r.code === 'not_found') {
    const t = await getTranslations('device.probe');
    return { ...r, message: t('notFound') };
  }
  return r;
}
