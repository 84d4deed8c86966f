import {
  checkScheduleBody,
  SCHEDULE_INCLUDE,
  scheduleProblem,
  scheduleServiceInput,
  scheduleView,
} from '@/lib/api/automation';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { scheduleInputSchema } from '@/lib/api/schemas';
import { createSchedule, visibleSchedulesWhere } from '@/lib/automation/scheduler';

export const dynamic = 'force-dynamic';

/** The caller's schedules (admins: everyone's), the next to run first. */
export const GET = apiRoute({}, async (_req, ctx) => {
  const rows = await ctx.runtime.db.schedule.findMany({
    where: visibleSchedulesWhere(ctx.actor),
    orderBy: [{ nextRunAt: 'asc' }, { createdAt: 'asc' }],
    include: SCHEDULE_INCLUDE,
  });
  const now = new Date();
  return json({ items: rows.map((s) => scheduleView(s, now)) });
});

/** Run a template on a cron expression, as the caller, with the caller's access at each run. */
export const POST = apiRoute({ write: true, role: 'operator' }, async (req, ctx) => {
  const body = await checkScheduleBody(
    ctx.runtime.db,
    ctx.actor,
    await readJson(req, scheduleInputSchema, ctx),
  );
  const r = await createSchedule(ctx.actor, scheduleServiceInput(body), ctx.services);
  if (!r.ok) throw scheduleProblem(r.errors, r.guard);
  const s = await ctx.runtime.db.schedule.findUniqueOrThrow({
    where: { id: r.id },
    include: SCHEDULE_INCLUDE,
  });
  return json(scheduleView(s), 201);
});
