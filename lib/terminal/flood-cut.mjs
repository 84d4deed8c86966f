// What of a screen model's pending output may go unparsed (see screen-worker.mjs). Plain JavaScript
// so that the worker runs it as it is under tsx, vitest and node alike.

/** Characters other than printable text, CR, LF, TAB and BS: anything that may change a terminal's state. */
const NOT_PLAIN = /[\x00-\x07\x0b-\x0c\x0e-\x1f\x7f-\x9f]/;

/**
 * Where output waiting for a terminal (`parts`, in order) may start instead, with the same screen and
 * scrollback afterwards: past the start of a flood of plain text whose lines all scroll out of a
 * terminal that keeps `rows` rows and `scrollback` rows of scrollback. The skipped text only prints and
 * moves the cursor (no escape sequence, no control that changes modes, charsets, colours or the scroll
 * region), and at least `2 × rows + scrollback + 2` line feeds follow it, so every row it wrote (and
 * every row the terminal showed before) is gone once they are parsed; it ends with a carriage return,
 * so the text after it starts in column 0, as it would have. The caller writes `"\r"`, then
 * `parts[part].slice(offset)` and the parts after it; only while the terminal is in its ground state,
 * on the normal screen, with the whole screen as its scroll region. Null when nothing may be skipped.
 *
 * Cheap when nothing may be: the line feeds are counted from the end first (a few thousand
 * `lastIndexOf`), and only text that would be skipped is checked for being plain.
 *
 * @param {readonly string[]} parts
 * @param {number} rows
 * @param {number} scrollback
 * @returns {{ part: number, offset: number, chars: number } | null} chars: how many are skipped
 */
export function floodCut(parts, rows, scrollback) {
  let need = 2 * rows + scrollback + 2;
  // the need-th line feed from the end, closing a line ("\r\n": the column is 0 there)
  let part = parts.length - 1;
  let at = part >= 0 ? parts[part].length : 0;
  for (;;) {
    if (part < 0) return null;
    const found = at > 0 ? parts[part].lastIndexOf('\n', at - 1) : -1;
    if (found < 0) {
      part--;
      at = part >= 0 ? parts[part].length : 0;
      continue;
    }
    at = found;
    if (need > 1) {
      need--;
      continue;
    }
    const before = at > 0 ? parts[part].charCodeAt(at - 1) : lastChar(parts, part - 1);
    if (before === 13) break;
  }
  if (part === 0 && at === 0) return null;
  // everything before it must be plain text
  for (let i = 0; i < part; i++) if (NOT_PLAIN.test(parts[i])) return null;
  if (NOT_PLAIN.test(parts[part].slice(0, at))) return null;
  let chars = at;
  for (let i = 0; i < part; i++) chars += parts[i].length;
  return { part, offset: at, chars };
}

/** The last character of the last non-empty part up to `part` (NaN when there is none). */
function lastChar(parts, part) {
  for (let i = part; i >= 0; i--) if (parts[i].length > 0) return parts[i].charCodeAt(parts[i].length - 1);
  return Number.NaN;
}
