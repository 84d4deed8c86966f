/**
 * Tiny command matcher shared by the simulated VRP and IOS personalities.
 *
 * A command is a sequence of keywords. Each typed word may be an unambiguous prefix of its keyword
 * (`dis cur`, `sh ip int br`, `conf t`). A keyword written as `<int>` is a numeric parameter and `<word>`
 * any single word. Commands with `args` accept extra trailing words (their arguments).
 */

export interface Word {
  /** The word as typed. */
  text: string;
  /** Column of its first character in the line. */
  start: number;
}

export interface CommandSpec<Id extends string = string> {
  id: Id;
  words: readonly string[];
  /** 'optional': trailing argument words allowed; 'required': at least one is needed. */
  args?: 'optional' | 'required';
}

export type MatchFailureKind = 'unrecognized' | 'ambiguous' | 'incomplete';

export interface MatchSuccess<Id extends string = string> {
  ok: true;
  id: Id;
  /** All words of the line. */
  words: Word[];
  /** Values typed for `<int>` / `<word>` parameters, in order. */
  params: string[];
  /** Trailing argument words. */
  args: Word[];
  /** Raw text from the first argument to the end of the line (trimmed), '' when none. */
  rest: string;
}

export interface MatchFailure {
  ok: false;
  kind: MatchFailureKind;
  /** Index of the offending word (words.length for an incomplete command). */
  wordIndex: number;
  /** Column where the caret goes. */
  column: number;
}

export type MatchResult<Id extends string = string> = MatchSuccess<Id> | MatchFailure;

/** Splits a line into words, remembering where each starts. */
export function tokenize(line: string): Word[] {
  const words: Word[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push({ text: m[0], start: m.index });
  return words;
}

function isParam(keyword: string): boolean {
  return keyword.startsWith('<') && keyword.endsWith('>');
}

function paramAccepts(keyword: string, text: string): boolean {
  if (keyword === '<int>') return /^\d+$/.test(text);
  return true;
}

/**
 * Matches a line against a command table. Returns null for an empty (blank) line.
 * Resolution at each word: exact keyword, then unique keyword prefix, then a parameter, then the
 * trailing arguments of a command that takes them.
 */
export function matchCommand<Id extends string>(
  commands: readonly CommandSpec<Id>[],
  line: string,
): MatchResult<Id> | null {
  const words = tokenize(line);
  if (words.length === 0) return null;
  let candidates: readonly CommandSpec<Id>[] = commands;
  const params: string[] = [];

  for (let i = 0; ; i++) {
    if (i === words.length) {
      const complete = candidates.find((c) => c.words.length === i && c.args !== 'required');
      if (complete) return success(complete, words, params, i, line);
      return { ok: false, kind: 'incomplete', wordIndex: i, column: line.trimEnd().length + 1 };
    }
    const word = words[i];
    const typed = word.text.toLowerCase();
    const longer = candidates.filter((c) => c.words.length > i);

    const exact = longer.filter((c) => !isParam(c.words[i]) && c.words[i].toLowerCase() === typed);
    if (exact.length > 0) {
      candidates = exact;
      continue;
    }
    const prefixed = longer.filter((c) => !isParam(c.words[i]) && c.words[i].toLowerCase().startsWith(typed));
    const distinct = new Set(prefixed.map((c) => c.words[i].toLowerCase()));
    if (distinct.size === 1) {
      candidates = prefixed;
      continue;
    }
    if (distinct.size > 1) return { ok: false, kind: 'ambiguous', wordIndex: i, column: word.start };

    const byParam = longer.filter((c) => isParam(c.words[i]) && paramAccepts(c.words[i], word.text));
    if (byParam.length > 0) {
      params.push(word.text);
      candidates = byParam;
      continue;
    }
    const withArgs = candidates.find((c) => c.words.length === i && c.args);
    if (withArgs) return success(withArgs, words, params, i, line);
    return { ok: false, kind: 'unrecognized', wordIndex: i, column: word.start };
  }
}

function success<Id extends string>(
  command: CommandSpec<Id>,
  words: Word[],
  params: string[],
  argsFrom: number,
  line: string,
): MatchSuccess<Id> {
  const args = words.slice(argsFrom);
  const rest = args.length > 0 ? line.slice(args[0].start).trim() : '';
  return { ok: true, id: command.id, words, params, args, rest };
}

export type OutputFilterKind = 'include' | 'exclude' | 'begin' | 'section';

export interface OutputFilter {
  kind: OutputFilterKind;
  pattern: string;
}

export interface PipeSplit {
  /** The command part, before `|` (untrimmed, so columns stay valid). */
  command: string;
  /** Column of the character after `|`, when there is a pipe. */
  pipeColumn?: number;
  /** The raw text after the `|`. */
  pipeText?: string;
}

/** Splits `display current-configuration | include vlan` at the first `|`. */
export function splitPipe(line: string): PipeSplit {
  const at = line.indexOf('|');
  if (at < 0) return { command: line };
  return { command: line.slice(0, at), pipeColumn: at + 1, pipeText: line.slice(at + 1) };
}

const FILTER_COMMANDS: readonly CommandSpec<OutputFilterKind>[] = [
  { id: 'include', words: ['include'], args: 'required' },
  { id: 'exclude', words: ['exclude'], args: 'required' },
  { id: 'begin', words: ['begin'], args: 'required' },
  { id: 'section', words: ['section'], args: 'required' },
];

/** Parses the text after `|`; on failure the column is relative to the whole line. */
export function parseFilter(
  pipeText: string,
  pipeColumn: number,
  allowed: readonly OutputFilterKind[],
): { ok: true; filter: OutputFilter } | MatchFailure {
  const m = matchCommand(
    FILTER_COMMANDS.filter((c) => allowed.includes(c.id)),
    pipeText,
  );
  if (m === null) return { ok: false, kind: 'incomplete', wordIndex: 0, column: pipeColumn + 1 };
  if (!m.ok) return { ...m, column: m.column + pipeColumn };
  return { ok: true, filter: { kind: m.id, pattern: m.rest } };
}

function toRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch {
    return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  }
}

/** Applies an output filter the way `| include` / `| exclude` / `| begin` / `| section` do. */
export function applyFilter(lines: readonly string[], filter: OutputFilter): string[] {
  const re = toRegExp(filter.pattern);
  switch (filter.kind) {
    case 'include':
      return lines.filter((l) => re.test(l));
    case 'exclude':
      return lines.filter((l) => !re.test(l));
    case 'begin': {
      const at = lines.findIndex((l) => re.test(l));
      return at < 0 ? [] : lines.slice(at);
    }
    case 'section': {
      const out: string[] = [];
      let inSection = false;
      for (const l of lines) {
        const indented = /^\s/.test(l);
        if (!indented) inSection = re.test(l);
        if (inSection) out.push(l);
      }
      return out;
    }
  }
}

/** Builds the caret line: spaces up to `column`, then `^`. */
export function caretLine(column: number): string {
  return `${' '.repeat(Math.max(0, column))}^`;
}

/**
 * Context help (`?`) the way IOS and VRP give it: for `dis` (a partial word) the keywords it may
 * still become; for `display ` (after a space) the words that may follow, with `<cr>` when the line
 * is already a whole command. Parameters show as written in the table (`<int>`, `<word>`). Empty when
 * the typed words match nothing.
 */
export function helpFor(commands: readonly CommandSpec[], line: string): string[] {
  const { command } = splitPipe(line);
  const words = tokenize(command);
  const partial = !/\s$/.test(command) && words.length > 0;
  const settled = partial ? words.slice(0, -1) : words;
  let candidates: readonly CommandSpec[] = commands;
  for (let i = 0; i < settled.length; i++) {
    const typed = settled[i]!.text.toLowerCase();
    const longer = candidates.filter((c) => c.words.length > i);
    const exact = longer.filter((c) => !isParam(c.words[i]!) && c.words[i]!.toLowerCase() === typed);
    const prefixed = longer.filter((c) => !isParam(c.words[i]!) && c.words[i]!.toLowerCase().startsWith(typed));
    const distinct = new Set(prefixed.map((c) => c.words[i]!.toLowerCase()));
    const byParam = longer.filter((c) => isParam(c.words[i]!) && paramAccepts(c.words[i]!, settled[i]!.text));
    const next = exact.length > 0 ? exact : distinct.size === 1 ? prefixed : byParam;
    if (next.length === 0) {
      // trailing arguments of a command that takes them: nothing more to suggest but <cr>
      return candidates.some((c) => c.words.length === i && c.args) ? ['<cr>'] : [];
    }
    candidates = next;
  }
  const at = settled.length;
  if (partial) {
    const typed = words[words.length - 1]!.text.toLowerCase();
    return [
      ...new Set(
        candidates
          .filter((c) => c.words.length > at && !isParam(c.words[at]!) && c.words[at]!.toLowerCase().startsWith(typed))
          .map((c) => c.words[at]!),
      ),
    ].sort();
  }
  const following = [...new Set(candidates.filter((c) => c.words.length > at).map((c) => c.words[at]!))].sort();
  const whole = candidates.some((c) => (c.words.length === at && c.args !== 'required') || (c.words.length < at && c.args));
  return whole ? [...following, '<cr>'] : following;
}

/**
 * Tab completion: the line with its last (partial) word completed to the one keyword it can become,
 * followed by a space; null when it can become none or several (the CLI then leaves the line alone).
 */
export function completeLine(commands: readonly CommandSpec[], line: string): string | null {
  if (line === '' || /\s$/.test(line) || line.includes('|')) return null;
  const options = helpFor(commands, line).filter((w) => w !== '<cr>' && !isParam(w));
  if (options.length !== 1) return null;
  const start = line.search(/\S+$/);
  return line.slice(0, start) + options[0] + ' ';
}
