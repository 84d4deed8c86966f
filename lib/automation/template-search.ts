import type { PrismaClient } from '../db/generated/client';
import { visibleDevicesWhere } from '../devices/visibility';
import { searchTemplateHistory, type SearchHit } from './search';
import { visibleTemplatesWhere, type TemplateActor } from './templates';

export type TemplateSearchResult =
  | { ok: true; hits: SearchHit[]; searched: number }
  | { ok: false; error: string; code: 'not_found' | 'bad_query' };

/**
 * "Which devices' latest output of this template contains …?", for someone who sees the template,
 * over the devices they see (an admin: all; others never learn about devices they cannot see).
 */
export async function searchTemplateFor(
  actor: TemplateActor,
  templateId: string,
  query: string,
  db: PrismaClient,
): Promise<TemplateSearchResult> {
  const t = await db.taskTemplate.findFirst({
    where: { id: templateId, ...visibleTemplatesWhere(actor) },
    select: { id: true },
  });
  if (!t) return { ok: false, error: 'No such template.', code: 'not_found' };
  const deviceIds =
    actor.role === 'admin'
      ? undefined
      : (await db.device.findMany({ where: visibleDevicesWhere(actor), select: { id: true } })).map(
          (d) => d.id,
        );
  const r = await searchTemplateHistory(db, templateId, query, deviceIds ? { deviceIds } : {});
  return r.ok ? r : { ok: false, error: r.error, code: 'bad_query' };
}
