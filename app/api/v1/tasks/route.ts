import { ApiProblem } from '@/lib/api/problem';
import { apiRoute, json, readBody, readQuery } from '@/lib/api/route';
import { taskListQuery } from '@/lib/api/schemas';
import { idempotencyKeyOf, listTaskPage, parseTaskInput } from '@/lib/api/tasks';
import { apiTaskFieldErrors, taskFormFields, taskView } from '@/lib/api/views';
import { createTask, watchTask } from '@/lib/tasks/service';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({}, async (req, ctx) => {
  const q = readQuery(req, taskListQuery);
  const p = await listTaskPage(ctx.actor, q, ctx.runtime);
  return json({ items: p.items.map(taskView), next_cursor: p.next_cursor });
});

/** Start a task (validated like the form). A repeated Idempotency-Key returns the first task. */
export const POST = apiRoute({ write: true, role: 'operator' }, async (req, ctx) => {
  const key = idempotencyKeyOf(req);
  const body = parseTaskInput(await readBody(req, ctx));
  const r = await createTask(ctx.actor, taskFormFields(body), ctx.services, { idempotencyKey: key });
  if (!r.ok) {
    const { form, ...fields } = r.errors;
    if (form) throw new ApiProblem(409, 'limit', form);
    throw new ApiProblem(422, 'invalid', 'The task has invalid fields.', {
      errors: apiTaskFieldErrors(fields),
      ...(r.guard && { guard: r.guard }),
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
