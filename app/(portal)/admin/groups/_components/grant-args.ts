import 'server-only';
import { z } from 'zod';
import { idArg } from '@/lib/actions/args';
import { GRANTS_MAX } from '@/lib/auth/grants';
import { GRANT_LEVELS } from '@/lib/devices/visibility';
import type { AdminTranslator } from '../../_lib/translate';

/** A whole grant set as the admin grant editors send it (Server Action argument). */
export const grantSetArg = z.strictObject({
  devices: z.array(z.strictObject({ id: idArg, level: z.enum(GRANT_LEVELS) })).max(GRANTS_MAX),
  groups: z.array(z.strictObject({ id: idArg, level: z.enum(GRANT_LEVELS) })).max(GRANTS_MAX),
});

/** A team's grant set: its group grants may include observing others' sessions. */
export const teamGrantSetArg = z.strictObject({
  devices: grantSetArg.shape.devices,
  groups: z
    .array(z.strictObject({ id: idArg, level: z.enum(GRANT_LEVELS), observe: z.boolean().optional() }))
    .max(GRANTS_MAX),
});

/** "Saved: 2 groups and 1 device granted.", "Saved: 1 group granted.", "Saved: 0 devices granted." */
export function savedMessage(t: AdminTranslator, set: { devices: unknown[]; groups: unknown[] }): string {
  const groups = set.groups.length;
  const devices = set.devices.length;
  if (groups === 0) return t('grants.savedDevices', { devices });
  if (devices === 0) return t('grants.savedGroups', { groups });
  return t('grants.savedBoth', { groups, devices });
}
