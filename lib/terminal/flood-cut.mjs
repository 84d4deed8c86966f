// What of a screen model's pending output may go unparsed (see screen-worker.mjs). Plain JavaScript
// so that the worker runs it as it is under tsx, vitest and node alike.

/** Characters other than printable text, CR, LF, TAB and BS: anything that may change a terminal's state. */
const NOT_PLAIN = /[\x00-\x07\x0b-\x0c\x0e-\x1f\x7f-\x9f]/;

/**
 * Where output waiting for a terminal (`parts`, in order) may start instead, with the same screen and
 * scrollback afterwards: past the start of a flood of plain text whose lines all scroll out of a
 * terminal that keeps `rows` rows and `scrollback` rows of scrollback. The skipped text and at least
 * `2 × rows + scrollback + 2` line feeds after it are plain text (no escape sequence, no control that
 * changes modes, charsets, colours, the cursor's row or the scroll region), so once those line feeds
 * are parsed every row the skipped text wrote (and every row the terminal showed before) is gone,
 * whatever comes after them; the skipped text ends with a carriage return, so the text after it
 * starts in column 0, as it would have. The caller writes `"\r"`, then `parts[part].slice(offset)` and
 * the parts after it; only while the terminal is in its ground state, on the normal screen, with the
 * whole screen as its scroll region. Null when nothing may be skipped.
 *
 * Cheap when nothing may be: the line feeds are counted from the end first (`lastIndexOf`), and the
 * text is only checked for being plain when there are enough of them.
 *
 * @param {readonly string[]} parts
 * @param {number} rows
 * @param {number} scrollback
 * @returns {{ part: number, offset: number, chars: number } | null} chars: how many are skipped
 */
export function floodCut(parts, rows, scrollback) {
  const keep = 2 * rows + scrollback + 2;
  if (countFromEnd(parts, parts.length - 1, parts.at(-1)?.length ?? 0, keep) === null) return null;
  // the plain text the output starts with: parts[0 … end.part) and parts[end.part].slice(0, end.at)
  let endPart = parts.length - 1;
  let endAt = parts.at(-1)?.length ?? 0;
  for (let i = 0; i < parts.length; i++) {
    const first = parts[i].search(NOT_PLAIN);
    if (first !== -1) {
      endPart = i;
      endAt = first;
      break;
    }
  }
  const cut = countFromEnd(parts, endPart, endAt, keep);
  if (cut === null || (cut.part === 0 && cut.offset === 0)) return null;
  let chars = cut.offset;
  for (let i = 0; i < cut.part; i++) chars += parts[i].length;
  return { ...cut, chars };
}

/**
 * The `keep`-th line feed before (part, at), going back further to one that closes a line ("\r\n":
 * the column is 0 there); null when there is none.
 */
function countFromEnd(parts, part, at, keep) {
  let need = keep;
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
    if (before === 13) return { part, offset: at };
  }
}

/** The last character of the last non-empty part up to `part` (NaN when there is none). */
function lastChar(parts, part) {
  for (let i = part; i >= 0; i--) if (parts[i].length > 0) return parts[i].charCodeAt(parts[i].length - 1);
  return Number.NaN;
}
