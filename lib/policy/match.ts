import { RE2JS } from 're2js';
import { USER_PATTERN_MAX_CHARS } from '../tasks/patterns';

/**
 * How a guard-rail rule matches a command line, the way a network CLI reads it: words, each of which
 * may be typed as an abbreviation of the rule's word (`rel` for `reload`, `dis cu` for `display
 * current-configuration`), case-insensitively, with what follows a pipe (`| include …`) being a
 * filter of the output rather than part of the command. Pure; no I/O.
 */

/** Typed words shorter than this never count as an abbreviation of a rule's word (unless the rule says). */
export const ABBREVIATION_MIN_CHARS = 1;
/** A command line longer than this is judged by its first characters only (no CLI takes more). */
export const COMMAND_LINE_MAX_CHARS = 4096;
/** A rule holds at most this many patterns, each at most this long. */
export const RULE_PATTERNS_MAX = 50;
export const RULE_PATTERN_MAX_CHARS = USER_PATTERN_MAX_CHARS;

/**
 * Letters of other scripts that look like Latin ones (Cyrillic `е` in `rеload`) and invisible
 * characters: a look-alike line is judged as the Latin line it imitates. (NFKC already folds
 * full-width and compatibility forms.)
 */
const LOOK_ALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ɡ: 'g',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  һ: 'h',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ɑ: 'a',
  ı: 'i',
  ℓ: 'l',
  ǀ: 'l',
};
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

/**
 * A command line as the guard rails compare it: NFKC, look-alike letters folded to Latin, invisible
 * characters removed, control characters and runs of white space made one space, trimmed.
 */
export function normaliseLine(line: string): string {
  let text = line.slice(0, COMMAND_LINE_MAX_CHARS).normalize('NFKC').replace(INVISIBLE, '');
  text = text.replace(/[^\x00-\x7f]/g, (ch) => LOOK_ALIKES[ch.toLowerCase()] ?? ch);
  return text.replace(/[\s\x00-\x1f\x7f]+/g, ' ').trim();
}

/** Words of a command, as the CLI splits them (white space; a quoted argument is one word). */
export function commandWords(command: string): string[] {
  const words: string[] = [];
  const re = /"[^"]*"?|\S+/g;
  for (let m = re.exec(command); m; m = re.exec(command)) words.push(m[0]);
  return words;
}

/** One word of a rule: a keyword (abbreviable down to `min` characters), a glob, or `*`. */
type RuleWord =
  { kind: 'keyword'; word: string; min: number } | { kind: 'glob'; re: RegExp } | { kind: 'any' };

export interface WordsPattern {
  kind: 'words';
  source: string;
  words: RuleWord[];
  /** `*` as the last word: any further words, or none. Without it, further words are allowed too. */
}

export interface RegexPattern {
  kind: 'regex';
  source: string;
  re: RE2JS;
}

export type CommandPattern = WordsPattern | RegexPattern;

export type PatternResult = { ok: true; pattern: CommandPattern } | { ok: false; error: string };

/**
 * A rule's command as engineers write it: words separated by spaces; `*` alone is any one word (any
 * number of words when it is the last); a word with `*` inside is a glob on one whole word
 * (`flash:*`); `dis(play)` says the word may be abbreviated down to `dis` and no shorter (otherwise
 * any unambiguous prefix counts, as on the device). Letters are compared case-insensitively.
 */
export function compileWords(source: string): PatternResult {
  const text = normaliseLine(source);
  if (!text) return { ok: false, error: 'Write at least one command word.' };
  if (text.length > RULE_PATTERN_MAX_CHARS)
    return { ok: false, error: `A pattern may have at most ${RULE_PATTERN_MAX_CHARS} characters.` };
  const words: RuleWord[] = [];
  for (const raw of commandWords(text)) {
    const w = raw.toLowerCase();
    if (w === '*') {
      words.push({ kind: 'any' });
      continue;
    }
    const abbreviated = /^([^()*]+)\(([^()*]+)\)$/.exec(w);
    if (abbreviated) {
      words.push({ kind: 'keyword', word: abbreviated[1]! + abbreviated[2]!, min: abbreviated[1]!.length });
      continue;
    }
    if (/[()]/.test(w))
      return {
        ok: false,
        error: `«${raw}»: write a shortest abbreviation as dis(play), one pair of brackets at the end.`,
      };
    if (w.includes('*')) {
      const body = w
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^ ]*');
      words.push({ kind: 'glob', re: new RegExp(`^${body}$`) });
      continue;
    }
    words.push({ kind: 'keyword', word: w, min: ABBREVIATION_MIN_CHARS });
  }
  return { ok: true, pattern: { kind: 'words', source: text, words } };
}

/**
 * Nested repetition (`(a+)+`, `(\w*)*`, `(x|x?)+`) takes exponential time on backtracking engines.
 * RE2 would run it in linear time, but a pattern written that way is almost always a mistake, and
 * a policy may be exported to tools that backtrack: it is refused when saved.
 */
function nestedRepetition(source: string): boolean {
  // escapes and character classes cannot nest groups; take them out first
  const bare = source.replace(/\\./g, 'x').replace(/\[(?:\\.|[^\]])*\]/g, 'x');
  const stack: boolean[] = [];
  let quantifiedInside = false;
  for (let i = 0; i < bare.length; i++) {
    const ch = bare[i]!;
    if (ch === '(') {
      stack.push(quantifiedInside);
      quantifiedInside = false;
    } else if (ch === ')') {
      const inner = quantifiedInside;
      quantifiedInside = stack.pop() ?? false;
      const next = bare[i + 1];
      const repeated =
        next === '*' || next === '+' || (next === '{' && /^\{\d*,\d*\}/.test(bare.slice(i + 1)));
      if (inner && repeated) return true;
      if (inner || repeated) quantifiedInside = true;
    } else if (ch === '*' || ch === '+' || (ch === '{' && /^\{\d*,\d*\}/.test(bare.slice(i)))) {
      quantifiedInside = true;
    }
  }
  return false;
}

/**
 * A regular expression for experts, matched against the whole normalised command line (pipe part
 * left out), case-insensitively, on RE2JS: matching time is linear in the line whatever the pattern.
 * Syntax RE2 does not have (backreferences, lookaround) and nested repetition are refused.
 */
export function compileRegex(source: string): PatternResult {
  if (!source.trim()) return { ok: false, error: 'Write a pattern.' };
  if (source.length > RULE_PATTERN_MAX_CHARS)
    return { ok: false, error: `A pattern may have at most ${RULE_PATTERN_MAX_CHARS} characters.` };
  if (nestedRepetition(source))
    return {
      ok: false,
      error:
        'Nested repetition such as (a+)+ backtracks catastrophically on most engines; write it without a repeated group of repeats.',
    };
  try {
    const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    return { ok: true, pattern: { kind: 'regex', source, re } };
  } catch (err) {
    return { ok: false, error: `Not a valid pattern (RE2 syntax): ${(err as Error).message}` };
  }
}

export function compilePattern(kind: 'words' | 'regex', source: string): PatternResult {
  return kind === 'regex' ? compileRegex(source) : compileWords(source);
}

function wordMatches(rule: RuleWord, typed: string, abbreviates: boolean): boolean {
  if (rule.kind === 'any') return true;
  const t = typed.toLowerCase();
  if (rule.kind === 'glob') return rule.re.test(t);
  if (t === rule.word) return true;
  return abbreviates && t.length >= rule.min && rule.word.startsWith(t);
}

/**
 * Whether a command (one command, already cut at its pipe) matches. `abbreviates`: the vendor's CLI
 * takes unambiguous prefixes of keywords (network CLIs do; a Unix shell does not).
 */
export function patternMatches(pattern: CommandPattern, command: string, abbreviates: boolean): boolean {
  if (pattern.kind === 'regex') return pattern.re.matcher(command).find();
  const typed = commandWords(command);
  const rule = pattern.words;
  for (let i = 0; i < rule.length; i++) {
    const w = rule[i]!;
    if (w.kind === 'any' && i === rule.length - 1) return true;
    const t = typed[i];
    if (t === undefined || !wordMatches(w, t, abbreviates)) return false;
  }
  return true;
}
