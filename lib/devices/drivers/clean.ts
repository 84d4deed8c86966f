import type { VendorDriver } from './types';

// CSI sequences (cursor moves, colours, erase), OSC (window titles), and two-character escapes.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78DEHM]/g;
// C0 controls a terminal does not print (BEL, NUL padding, a lone ESC left after the sequences
// above); tab, line feed, carriage return and backspace are kept for the steps that interpret them.
const CONTROL = /[\x00-\x07\x0b\x0c\x0e-\x1f\x7f]/g;

/** The patterns clean-up runs over whole captured outputs (listed so the linear-time test covers them). */
export const CLEANUP_PATTERNS = { ansi: ANSI, control: CONTROL };

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Apply backspaces the way a line editor does (erase the previous character on the line). */
export function applyBackspaces(text: string): string {
  if (!text.includes('\b')) return text;
  const out: string[] = [];
  for (const ch of text) {
    if (ch === '\b') {
      if (out.length > 0 && out[out.length - 1] !== '\n') out.pop();
    } else out.push(ch);
  }
  return out.join('');
}

/** CR LF → LF; a lone CR returns to the start of the line, and what follows overwrites it. */
function applyCarriageReturns(text: string): string {
  text = text.replace(/\r+\n/g, '\n');
  if (!text.includes('\r')) return text;
  return text
    .split('\n')
    .map((line) => {
      if (!line.includes('\r')) return line;
      // cell by cell, so a long line rewound many times stays linear
      const cells: string[] = [];
      let column = 0;
      for (const ch of line) {
        if (ch === '\r') column = 0;
        else cells[column++] = ch;
      }
      return cells.join('');
    })
    .join('\n');
}

/** Spaces a pager prompt may be indented by (VRP and Comware: two). */
const PAGER_INDENT_MAX = 8;

/** Remove pager prompts, their erase sequences and their indent; linear in the output's length. */
function removePagerArtifacts(driver: VendorDriver, raw: string): string {
  const parts = raw.split(driver.pagerArtifact);
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    let start = part.length;
    while (start > 0 && part.length - start < PAGER_INDENT_MAX && part[start - 1] === ' ') start--;
    // only an indent: spaces that open the pager's line, not the end of a line of output
    if (start === 0 || part[start - 1] === '\n' || part[start - 1] === '\r') parts[i] = part.slice(0, start);
  }
  return parts.join('');
}

/**
 * The output of `command` from the raw text captured between sending it and the next prompt.
 * Removed, and nothing else:
 * - pager prompts (`---- More ----`, `--More--`, `---(more 45%)---`) with the sequence that erases
 *   them and the spaces that indent them;
 * - ANSI escape sequences (colours, cursor moves, titles) and non-printing control characters;
 * - backspaces, applied (each erases the character before it);
 * - carriage returns: CR LF becomes LF, a lone CR goes back to the start of the line and what follows
 *   overwrites it;
 * - the first line when it is the echo of the command (ends with the command as typed);
 * - the prompt at the end, with the line break before it (for Junos also the blank line and the
 *   `[edit …]` / `{master:0}` line it prints above the prompt).
 * Everything else is kept as the device sent it: leading and trailing blank lines, indentation and
 * trailing spaces.
 */
export function cleanOutput(driver: VendorDriver, raw: string, command: string): string {
  let text = removePagerArtifacts(driver, raw);
  text = stripAnsi(text).replace(CONTROL, '');
  text = applyCarriageReturns(applyBackspaces(text));
  const echoEnd = text.indexOf('\n');
  const firstLine = echoEnd === -1 ? text : text.slice(0, echoEnd);
  const typed = command.trim();
  if (typed && firstLine.trimEnd().endsWith(typed)) text = echoEnd === -1 ? '' : text.slice(echoEnd + 1);
  const prompt = driver.prompt.exec(text);
  return prompt ? text.slice(0, prompt.index) : text;
}
