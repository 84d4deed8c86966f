import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/generated/client';
import { visibleTemplatesWhere, type TemplateActor } from './templates';

/**
 * Following a template: its followers get "configuration changed on N devices" when a run of it
 * finds output that differs from the device's previous run. Anyone who sees a template may follow
 * it; whoever creates one follows it from the start. Followers who no longer see the template
 * (left the team it is shared with, disabled) are not told.
 */

export type SubscribeResult = { ok: true; subscribed: boolean } | { ok: false; error: 'not_found' };

export async function setSubscription(
  actor: TemplateActor,
  templateId: string,
  subscribed: boolean,
  deps: { db: PrismaClient; audit: AuditSink },
): Promise<SubscribeResult> {
  const t = await deps.db.taskTemplate.findFirst({
    where: { id: templateId, ...visibleTemplatesWhere(actor) },
    select: { id: true, name: true },
  });
  if (!t) return { ok: false, error: 'not_found' };
  const key = { templateId_userId: { templateId, userId: actor.id } };
  if (subscribed) {
    await deps.db.templateSubscription.upsert({
      where: key,
      create: { templateId, userId: actor.id },
      update: {},
    });
  } else {
    await deps.db.templateSubscription.deleteMany({ where: { templateId, userId: actor.id } });
  }
  await deps.audit({
    userId: actor.id,
    action: subscribed ? 'template.subscribe' : 'template.unsubscribe',
    target: t.name,
    detail: t.id,
  });
  return { ok: true, subscribed };
}

export async function isSubscribed(db: PrismaClient, actorId: string, templateId: string): Promise<boolean> {
  const row = await db.templateSubscription.findUnique({
    where: { templateId_userId: { templateId, userId: actorId } },
    select: { userId: true },
  });
  return row !== null;
}

/** Followers of a template who still see it (enabled users; admins see every template). */
export async function templateFollowers(db: PrismaClient, templateId: string): Promise<string[]> {
  const rows = await db.templateSubscription.findMany({
    where: { templateId, user: { disabled: false } },
    select: { user: { select: { id: true, role: true } } },
  });
  const out: string[] = [];
  for (const { user } of rows) {
    const seen = await db.taskTemplate.count({
      where: {
        id: templateId,
        ...visibleTemplatesWhere({ id: user.id, role: user.role as TemplateActor['role'] }),
      },
    });
    if (seen > 0) out.push(user.id);
  }
  return out;
}

/** How a finished run of a template compared with the previous runs: counts per change kind. */
export async function runChanges(
  db: PrismaClient,
  taskId: string,
): Promise<{ changed: number; unchanged: number; new: number }> {
  const rows = await db.outputVersion.groupBy({ by: ['change'], where: { taskId }, _count: true });
  const n = (c: string) => rows.find((r) => r.change === c)?._count ?? 0;
  return { changed: n('changed'), unchanged: n('unchanged'), new: n('new') };
}
