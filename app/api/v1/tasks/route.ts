import { ApiProblem } from '@/lib/api/problem';
import { apiRoute, json, readJson, readQuery } from '@/lib/api/route';
import { taskInputSchema, taskListQuery } from '@/lib/api/schemas';
import { listTaskPage } from '@/lib/api/tasks';
import { taskView } from '@/lib/api/views';
import { createTask, watchTask } from '@/lib/tasks/service';

export const dynamic = 'force-dynamic';

const IDEMPOTENCY_KEY_MAX_CHARS = 128;

export const GET = apiRoute({}, async (req, ctx) => {
  const q = readQuery(req, taskListQuery);
  const p = await listTaskPage(ctx.actor, q, ctx.runtime);
  return json({ items: p.items.map(taskView), next_cursor: p.next_cursor });
});

/** Start a task (validated like the form). A repeated Idempotency-Key returns the first task. */
export const POST = apiRoute({ write: true, role: 'operator' }, async (req, ctx) => {
  const key = req.headers.get('idempotency-key') ?? undefined;
  if (key !== undefined && (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_CHARS))
    throw new ApiProblem(
      400,
      'bad_idempotency_key',
      `Idempotency-Key: 1–${IDEMPOTENCY_KEY_MAX_CHARS} characters.`,
    );
  const body = await readJson(req, taskInputSchema, ctx);
  const r = await createTask(
    ctx.actor,
    {
      name: body.name,
      commands: body.commands.join('\n'),
      deviceIds: body.devices,
      concurrency: String(body.concurrency),
      timeoutSeconds: String(body.timeout_s),
    },
    ctx.services,
    { idempotencyKey: key },
  );
  if (!r.ok) {
    const { form, deviceIds, timeoutSeconds, ...rest } = r.errors;
    if (form) throw new ApiProblem(409, 'limit', form);
    const errors: Record<string, string> = { ...rest } as Record<string, string>;
    if (deviceIds) errors.devices = deviceIds;
    if (timeoutSeconds) errors.timeout_s = timeoutSeconds;
    throw new ApiProblem(422, 'invalid', 'The task has invalid fields.', { errors });
  }
  const watched = await watchTask(ctx.actor, r.id, ctx.runtime);
  if (!watched.ok) throw new ApiProblem(500, 'internal', 'The task vanished.');
  return json(
    taskView(watched.task),
    r.created ? 201 : 200,
    r.created ? {} : { 'Idempotent-Replayed': 'true' },
  );
});
