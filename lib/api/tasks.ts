import 'server-only';
import { z } from 'zod';
import type { Prisma } from '../db/generated/client';
import { taskSummary, visibleTasksWhere, type TaskActor, type TaskDeps } from '../tasks/service';
import type { TaskDeviceStatus, TaskStatus } from '../tasks/status';
import { decodeCursor, page } from './cursor';
import { ApiProblem, fieldErrors } from './problem';
import { taskInputSchema } from './schemas';

export const IDEMPOTENCY_KEY_MAX_CHARS = 128;

/** The Idempotency-Key header, or undefined; a present but empty or overlong one is a 400. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.headers.get('idempotency-key') ?? undefined;
  if (key !== undefined && (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_CHARS))
    throw new ApiProblem(
      400,
      'bad_idempotency_key',
      `Idempotency-Key: 1–${IDEMPOTENCY_KEY_MAX_CHARS} characters.`,
    );
  return key;
}

/**
 * zod reports an item that fits no branch of a union as one `invalid_union` at the item. When only
 * one branch is of the item's own type, its issues say what is wrong, so the error names that field
 * (`commands.2.answers.0.answer`) instead of "Invalid input". (The same rule as POST /tasks.)
 */
function unwrapUnions(issues: z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union') return [issue];
    const ofItsType = issue.errors.filter(
      (branch) => !branch.some((x) => x.code === 'invalid_type' && x.path.length === 0),
    );
    if (ofItsType.length !== 1) return [issue];
    return unwrapUnions(ofItsType[0]!).map((x) => ({ ...x, path: [...issue.path, ...x.path] }));
  });
}

/** Validate a body whose fields may be unions (422 naming each bad field). */
export function parseUnionBody<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ApiProblem(422, 'invalid', 'The request has invalid fields.', {
    errors: fieldErrors(new z.ZodError(unwrapUnions(parsed.error.issues))),
  });
}

/** Validate a POST /tasks body (422 naming each bad field). */
export function parseTaskInput(raw: unknown): z.output<typeof taskInputSchema> {
  return parseUnionBody(taskInputSchema, raw);
}

/** One page of the tasks the actor sees, newest first (keyset: created_at, id). */
export async function listTaskPage(
  actor: TaskActor,
  q: { status?: TaskStatus; limit: number; cursor?: string },
  deps: Pick<TaskDeps, 'db'>,
) {
  const and: Prisma.TaskWhereInput[] = [visibleTasksWhere(actor)];
  if (q.status) and.push({ status: q.status });
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2) as [number, string];
    const createdAt = new Date(at);
    and.push({ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] });
  }
  const rows = await deps.db.task.findMany({
    where: { AND: and },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const p = page(rows, q.limit, (t) => [t.createdAt.getTime(), t.id]);
  return { items: p.items.map((t) => taskSummary(t)), next_cursor: p.next_cursor };
}

/** One page of a task's device rows with their outputs, by device name (keyset: name, id). */
export async function listTaskDevicePage(
  taskId: string,
  q: { status?: TaskDeviceStatus; limit: number; cursor?: string },
  deps: Pick<TaskDeps, 'db'>,
) {
  const and: Prisma.TaskDeviceWhereInput[] = [{ taskId }];
  if (q.status) and.push({ status: q.status });
  if (q.cursor) {
    const [name, id] = decodeCursor(q.cursor, 2) as [string, string];
    and.push({ OR: [{ deviceName: { gt: name } }, { deviceName: name, id: { gt: id } }] });
  }
  const rows = await deps.db.taskDevice.findMany({
    where: { AND: and },
    orderBy: [{ deviceName: 'asc' }, { id: 'asc' }],
    take: q.limit + 1,
  });
  return page(rows, q.limit, (r) => [r.deviceName, r.id]);
}
