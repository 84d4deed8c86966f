/**
 * A CSV reader for inventory files (RFC 4180, as spreadsheets write it): a UTF-8 BOM is dropped,
 * the separator (`,` or `;`) is whichever the header line uses outside quotes, quoted fields may
 * hold doubled quotes and line breaks, and lines end in CRLF or LF. Pure: no I/O.
 */

export interface CsvRecord {
  /** The physical line the record starts on (the header is line 1). */
  line: number;
  cells: string[];
}

export type CsvParse =
  { ok: true; separator: ',' | ';'; header: CsvRecord; records: CsvRecord[] } | { ok: false; error: string };

/** The separator the header line uses: `;` when it has more of them than commas outside quotes. */
export function detectSeparator(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Parse the whole text. Blank lines are skipped. More than `maxRecords` data records refuses the
 * file (it stops reading there, so a huge file costs no more than the limit).
 */
export function parseCsv(input: string, maxRecords: number): CsvParse {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const sep = detectSeparator(text);
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    // one record
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0)
            return { ok: false, error: `Line ${quoteLine}: a quoted cell is never closed (a missing ").` };
          const chunk = text.slice(i, q);
          cell += chunk;
          line += countBreaks(chunk);
          if (text[q + 1] === '"') {
            cell += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        const next = text[i];
        if (i < n && next !== sep && next !== '\n' && next !== '\r')
          return {
            ok: false,
            error: `Line ${line}: text after a closing quote (quote the whole cell, double the " inside).`,
          };
      } else {
        let j = i;
        while (j < n) {
          const c = text[j];
          if (c === sep || c === '\n' || c === '\r') break;
          j++;
        }
        cell = text.slice(i, j);
        i = j;
      }
      cells.push(cell);
      if (i >= n) break;
      if (text[i] === sep) {
        i++;
        continue;
      }
      // end of line: CRLF, LF or a lone CR
      if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
      else i++;
      line++;
      break;
    }
    if (cells.length === 1 && cells[0] === '') continue; // a blank line
    records.push({ line: start, cells });
    if (records.length > maxRecords + 1)
      return {
        ok: false,
        error: `The file has more than ${maxRecords.toLocaleString('en-US')} rows (IMPORT_MAX_ROWS); split it into smaller files.`,
      };
  }
  const [header, ...rest] = records;
  if (!header) return { ok: false, error: 'The file is empty: it needs a header line (name,host,…).' };
  return { ok: true, separator: sep, header, records: rest };
}

function countBreaks(s: string): number {
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) k++;
    else if (c === 13 && s.charCodeAt(i + 1) !== 10) k++;
  }
  return k;
}
