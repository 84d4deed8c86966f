import 'server-only';
import { z } from 'zod';
import { idArg } from '@/lib/actions/args';
import { GRANTS_MAX } from '@/lib/auth/grants';
import { GRANT_LEVELS } from '@/lib/devices/visibility';
import { plural } from '@/lib/format/plural';

/** A whole grant set as the admin grant editors send it (Server Action argument). */
export const grantSetArg = z.strictObject({
  devices: z.array(z.strictObject({ id: idArg, level: z.enum(GRANT_LEVELS) })).max(GRANTS_MAX),
  groups: z.array(z.strictObject({ id: idArg, level: z.enum(GRANT_LEVELS) })).max(GRANTS_MAX),
});

/** "Saved: 2 groups and 1 device granted.", "Saved: 1 group granted.", "Saved: 0 devices granted." */
export function savedMessage(set: { devices: unknown[]; groups: unknown[] }): string {
  const g = set.groups.length;
  const d = set.devices.length;
  const parts = [g > 0 ? plural(g, 'group') : '', d > 0 || g === 0 ? plural(d, 'device') : ''];
  return `Saved: ${parts.filter(Boolean).join(' and ')} granted.`;
}
