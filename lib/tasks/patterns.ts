import { RE2JS } from 're2js';

/**
 * Patterns a user writes (a task's failure patterns and expected output) run on RE2JS, an RE2 port
 * whose matching time is linear in the input whatever the pattern: a pattern typed into a form can
 * never stall the process on a device's output. Syntax is RE2's (no backreferences or lookaround);
 * `^` and `$` match at line boundaries; `(?i)` makes a pattern case-insensitive.
 */
export const USER_PATTERN_MAX_CHARS = 500;

export interface UserPattern {
  source: string;
  test(text: string): boolean;
}

export function compileUserPattern(
  source: string,
): { ok: true; pattern: UserPattern } | { ok: false; error: string } {
  if (source.length > USER_PATTERN_MAX_CHARS)
    return { ok: false, error: `A pattern may have at most ${USER_PATTERN_MAX_CHARS} characters.` };
  try {
    const re = RE2JS.compile(source, RE2JS.MULTILINE);
    return { ok: true, pattern: { source, test: (text) => re.matcher(text).find() } };
  } catch (err) {
    return { ok: false, error: `Not a valid pattern: ${(err as Error).message}` };
  }
}

/** Compile patterns already validated when the task was created. */
export function compileStoredPatterns(sources: string[]): UserPattern[] {
  return sources.flatMap((s) => {
    const r = compileUserPattern(s);
    return r.ok ? [r.pattern] : [];
  });
}
