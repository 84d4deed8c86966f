import { formatPatch, structuredPatch } from 'diff';
import { RE2JS } from 're2js';
import { USER_PATTERN_MAX_CHARS } from '../tasks/patterns';

/**
 * Comparing a device's output across runs (or two devices' outputs): the template's ignore patterns
 * mask what changes on its own (uptime, clock, counters), then a unified line diff (jsdiff). Bounded:
 * each side is cut at DIFF_MAX_BYTES and the edit search gives up past DIFF_MAX_EDIT_LINES, and the
 * result says so instead of stalling the process on a multi-MiB configuration.
 */
export const DIFF_MAX_BYTES = 2 * 1024 * 1024;
export const DIFF_MAX_EDIT_LINES = 4000;
export const DIFF_CONTEXT_LINES = 3;
export const IGNORE_MARK = '<ignored>';
export const TEMPLATE_MAX_IGNORE_PATTERNS = 30;

export type IgnoreResult = { ok: true; apply: (text: string) => string } | { ok: false; error: string };

/** Compile ignore patterns (RE2: linear time on any output); each match is replaced by `<ignored>`. */
export function compileIgnore(patterns: string[]): IgnoreResult {
  if (patterns.length > TEMPLATE_MAX_IGNORE_PATTERNS)
    return { ok: false, error: `At most ${TEMPLATE_MAX_IGNORE_PATTERNS} ignore patterns.` };
  const compiled: RE2JS[] = [];
  for (const [i, src] of patterns.entries()) {
    if (src.length > USER_PATTERN_MAX_CHARS)
      return { ok: false, error: `Pattern ${i + 1}: at most ${USER_PATTERN_MAX_CHARS} characters.` };
    try {
      const re = RE2JS.compile(src, RE2JS.MULTILINE);
      // a pattern that matches the empty string would put a mark between every two characters
      if (re.matcher('').find()) return { ok: false, error: `Pattern ${i + 1} matches empty text: ${src}` };
      compiled.push(re);
    } catch (err) {
      return { ok: false, error: `Pattern ${i + 1} is not valid: ${(err as Error).message}` };
    }
  }
  return {
    ok: true,
    apply: (text) => compiled.reduce((t, re) => re.matcher(t).replaceAll(IGNORE_MARK), text),
  };
}

/** Line endings to \n, trailing blanks off each line, no trailing empty lines: what a reader compares. */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n+$/, '');
}

function capped(text: string): { text: string; cut: boolean } {
  if (text.length <= DIFF_MAX_BYTES) return { text, cut: false };
  const end = text.lastIndexOf('\n', DIFF_MAX_BYTES);
  return { text: text.slice(0, end > 0 ? end : DIFF_MAX_BYTES), cut: true };
}

export interface OutputDiff {
  changed: boolean;
  /** Lines added and removed (0 when unchanged; estimated from distinct lines when tooDifferent). */
  added: number;
  removed: number;
  /** Unified diff of the compared text (after ignore patterns); null when unchanged or too different. */
  patch: string | null;
  /** A side was longer than DIFF_MAX_BYTES: only its first part was compared. */
  cut: boolean;
  /** More than DIFF_MAX_EDIT_LINES lines differ: no line-by-line diff is shown. */
  tooDifferent: boolean;
}

/** Compare two outputs after normalising and masking; `labels` head the unified diff. */
export function diffOutputs(
  before: string,
  after: string,
  opts: { ignore?: (text: string) => string; labels?: [string, string] } = {},
): OutputDiff {
  const mask = opts.ignore ?? ((t: string) => t);
  const a = capped(mask(normalizeOutput(before)));
  const b = capped(mask(normalizeOutput(after)));
  const cut = a.cut || b.cut;
  if (a.text === b.text)
    return { changed: false, added: 0, removed: 0, patch: null, cut, tooDifferent: false };
  const [from, to] = opts.labels ?? ['before', 'after'];
  const structured = structuredPatch(from, to, `${a.text}\n`, `${b.text}\n`, undefined, undefined, {
    context: DIFF_CONTEXT_LINES,
    maxEditLength: DIFF_MAX_EDIT_LINES,
  });
  if (!structured) {
    const left = new Set(a.text.split('\n'));
    const right = new Set(b.text.split('\n'));
    const added = [...right].filter((l) => !left.has(l)).length;
    const removed = [...left].filter((l) => !right.has(l)).length;
    return { changed: true, added, removed, patch: null, cut, tooDifferent: true };
  }
  let added = 0;
  let removed = 0;
  for (const h of structured.hunks)
    for (const l of h.lines) {
      if (l.startsWith('+')) added++;
      else if (l.startsWith('-')) removed++;
    }
  return { changed: true, added, removed, patch: formatPatch(structured), cut, tooDifferent: false };
}
