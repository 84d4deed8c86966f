import { z } from 'zod';
import { ApiProblem } from './problem';

/**
 * Opaque cursors for keyset pagination: the sort key of the last row sent, base64url-encoded. A
 * page never skips or repeats a row while rows are added or removed elsewhere in the list.
 */
export const PAGE_LIMIT_DEFAULT = 100;
export const PAGE_LIMIT_MAX = 1000;

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
  cursor: z.string().max(512).optional(),
};

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): (string | number)[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(key) &&
      key.length === length &&
      key.every((k) => typeof k === 'string' || typeof k === 'number')
    )
      return key as (string | number)[];
  } catch {
    // fall through
  }
  throw new ApiProblem(400, 'bad_cursor', 'This cursor is not one this API gave out.');
}

/** `items` is one row more than the limit when there is a next page. */
export function page<T>(items: T[], limit: number, keyOf: (last: T) => (string | number)[]) {
  const more = items.length > limit;
  const shown = more ? items.slice(0, limit) : items;
  return { items: shown, next_cursor: more ? encodeCursor(keyOf(shown[shown.length - 1]!)) : null };
}
