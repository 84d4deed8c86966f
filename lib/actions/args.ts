import { z } from 'zod';

/**
 * Server Actions are public endpoints: their arguments arrive as JSON from whoever calls them, not
 * as the types their signatures claim (an object such as `{ "in": [] }` would reach Prisma as a
 * filter). Every action checks its arguments with one of these tuples before it does anything.
 */

/** What an action says about arguments it refuses (the form shows it). */
export const INVALID_REQUEST = 'Invalid request.';

/** A database id (cuid/uuid) or a similar key: short, no structure. */
export const idArg = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

/** A lab device's name. */
export const nameArg = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/);

/** An SSH host-key fingerprint as shown to the user (e.g. SHA256:base64). */
export const fingerprintArg = z.string().min(1).max(128);

/** A role name (checked against the roles by the service). */
export const roleArg = z.string().min(1).max(32);

export const boolArg = z.boolean();

/** The previous state useActionState passes back: ours, an object; its content is never read. */
export const prevStateArg = z.looseObject({});

export const formDataArg = z.instanceof(FormData);

/** The arguments an action was called with, or null when they are not what it takes. */
export function parseArgs<T extends z.ZodTypeAny[]>(
  args: unknown[],
  ...schemas: T
): { [K in keyof T]: z.output<T[K]> } | null {
  if (args.length > schemas.length) return null;
  const out: unknown[] = [];
  for (let i = 0; i < schemas.length; i++) {
    const r = schemas[i]!.safeParse(args[i]);
    if (!r.success) return null;
    out.push(r.data);
  }
  return out as { [K in keyof T]: z.output<T[K]> };
}
