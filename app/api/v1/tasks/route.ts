import { ApiProblem } from '@/lib/api/problem';
import { apiRoute, json, readBody, readQuery } from '@/lib/api/route';
import { taskListQuery } from '@/lib/api/schemas';
import { listTaskPage, parseTaskInput } from '@/lib/api/tasks';
import { apiTaskFieldErrors, taskFormFields, taskView } from '@/lib/api/views';
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
  const body = parseTaskInput(await readBody(req, ctx));
  const r = await createTask(ctx.actor, taskFormFields(body), ctx.services, { idempotencyKey: key });
  if (!r.ok) {
    const { form, ...fields } = r.errors;
    if (form) throw new ApiProblem(409, 'limit', form);
    throw new ApiProblem(422, 'invalid', 'The task has invalid fields.', {
      errors: apiTaskFieldErrors(fields),
    });
  }
  const watched = await watchTask(ctx.actor, r.id, ctx.runtime);
  if (!watched.ok) throw new ApiProblem(500, 'internal', 'The task vanished.');
  return json(
    taskView(watched.task),
    r.created ? 201 : 200,
    r.created ? {} : { 'Idempotent-Replayed': 'true' },
  );
});
