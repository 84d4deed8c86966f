import {
  checkScheduleBody,
  SCHEDULE_INCLUDE,
  scheduleAsInput,
  scheduleProblem,
  scheduleServiceInput,
  scheduleView,
} from '@/lib/api/automation';
import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson, type ApiContext } from '@/lib/api/route';
import { schedulePatchSchema } from '@/lib/api/schemas';
import { deleteSchedule, updateSchedule, visibleSchedulesWhere } from '@/lib/automation/scheduler';

export const dynamic = 'force-dynamic';

type Params = { id: string };

const visibleSchedule = (ctx: ApiContext, id: string) =>
  ctx.runtime.db.schedule.findFirst({
    where: { id, ...visibleSchedulesWhere(ctx.actor) },
    include: SCHEDULE_INCLUDE,
  });

export const GET = apiRoute<Params>({}, async (_req, ctx, { id }) => {
  const s = await visibleSchedule(ctx, id);
  if (!s) throw notFound('schedule');
  return json(scheduleView(s));
});

/** Change some fields (the rest stay); the next run is planned again from now. */
export const PATCH = apiRoute<Params>({ write: true, role: 'operator' }, async (req, ctx, { id }) => {
  const patch = await readJson(req, schedulePatchSchema, ctx);
  const s = await visibleSchedule(ctx, id);
  if (!s) throw notFound('schedule');
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const body = await checkScheduleBody(ctx.runtime.db, ctx.actor, { ...scheduleAsInput(s), ...defined });
  const r = await updateSchedule(ctx.actor, id, scheduleServiceInput(body), ctx.services);
  if (!r.ok) throw scheduleProblem(r.errors, r.guard);
  const fresh = await ctx.runtime.db.schedule.findUniqueOrThrow({ where: { id }, include: SCHEDULE_INCLUDE });
  return json(scheduleView(fresh));
});

export const DELETE = apiRoute<Params>({ write: true, role: 'operator' }, async (_req, ctx, { id }) => {
  const r = await deleteSchedule(ctx.actor, id, ctx.services);
  if (!r.ok) {
    if (r.error === 'No such schedule.') throw notFound('schedule');
    throw new ApiProblem(403, 'not_owner', r.error);
  }
  return new Response(null, { status: 204 });
});
