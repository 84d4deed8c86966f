import 'server-only';
import { audit } from '../audit';
import type { CurrentUser } from '../auth/session';
import { getDb } from '../db/client';
import { getLab } from './registry';

export type LabControlResult =
  { ok: true; name: string; up: boolean } | { ok: false; status: 400 | 404 | 409; error: string };

/** An admin takes a lab device down or brings it back (to demonstrate and test status and alerts). */
export async function setLabDeviceUp(
  actor: CurrentUser,
  name: string,
  up: boolean,
): Promise<LabControlResult> {
  const lab = getLab();
  if (!lab) return { ok: false, status: 409, error: 'The device lab is not running (LAB=off).' };
  const device = await getDb().device.findUnique({ where: { name }, select: { lab: true } });
  if (!device?.lab || !(await lab.setUp(name, up)))
    return { ok: false, status: 404, error: `No lab device named "${name}".` };
  await audit({ userId: actor.id, action: up ? 'lab.up' : 'lab.down', target: name });
  return { ok: true, name, up };
}

export function labDeviceIsUp(name: string): boolean | null {
  const lab = getLab();
  return lab ? lab.isUp(name) : null;
}
