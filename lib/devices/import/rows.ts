import { ALL_IMPORT_COLUMNS, IMPORT_MAX_ROWS, type ImportColumn } from './columns';
import { parseCsv } from './csv';

/**
 * One row of an import, whatever it came from: the cells of the columns the file has (a column the
 * file lacks is absent, which keeps the stored value), and where it came from.
 */
export interface ImportRow {
  /** CSV: the physical line the record starts on (header = 1). JSON: the row's position, from 1. */
  line: number;
  cells: Partial<Record<ImportColumn, string>>;
  /** Something wrong with the row as a whole (more cells than the header names). */
  problem?: string;
}

export type RowsResult = { ok: true; rows: ImportRow[] } | { ok: false; error: string };

const KNOWN = new Set<string>(ALL_IMPORT_COLUMNS);

/** `Private Key`, `private-key` and `PRIVATE_KEY` all name `private_key`. */
export function normaliseColumn(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * The export writes `'` before a cell a spreadsheet would read as a formula; reading it back drops
 * that one apostrophe so an exported file re-imports unchanged. Any other cell is taken as it is:
 * a cell starting with = + - @ is text, never evaluated.
 */
export function unneutralise(cell: string): string {
  return /^'\s*[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

function checkColumns(names: string[]): { ok: true; columns: ImportColumn[] } | { ok: false; error: string } {
  const seen = new Set<string>();
  for (const name of names) {
    if (!KNOWN.has(name))
      return {
        ok: false,
        error: `Unknown column "${name}". The columns are: ${ALL_IMPORT_COLUMNS.join(', ')}.`,
      };
    if (seen.has(name)) return { ok: false, error: `The column "${name}" appears twice in the header.` };
    seen.add(name);
  }
  for (const required of ['name', 'host'] as const)
    if (!seen.has(required)) return { ok: false, error: `The header has no "${required}" column.` };
  return { ok: true, columns: names as ImportColumn[] };
}

/** The rows of a CSV text (file-level problems refuse the whole file). */
export function rowsFromCsv(text: string, maxRows = IMPORT_MAX_ROWS): RowsResult {
  const parsed = parseCsv(text, maxRows);
  if (!parsed.ok) return parsed;
  const header = parsed.header.cells.map(normaliseColumn);
  // a trailing separator on the header line (some spreadsheets write one) is not a column
  while (header.length > 1 && header.at(-1) === '') header.pop();
  const cols = checkColumns(header);
  if (!cols.ok) return { ok: false, error: `Line 1: ${cols.error}` };
  const rows = parsed.records.map((r): ImportRow => {
    const cells: ImportRow['cells'] = {};
    cols.columns.forEach((c, k) => (cells[c] = unneutralise(r.cells[k] ?? '')));
    const extra = r.cells.slice(cols.columns.length).filter((c) => c.trim() !== '');
    // more cells than the header names: reported on the row (its other cells are kept for the name)
    if (extra.length > 0)
      return {
        line: r.line,
        cells,
        problem: `${r.cells.length} cells, but the header names ${cols.columns.length} columns (quote a cell that contains the separator).`,
      };
    return { line: r.line, cells };
  });
  return { ok: true, rows };
}

/** The rows of a JSON import (`{"rows":[{column: value}]}`); values may be strings, numbers or null. */
export function rowsFromJson(items: Record<string, unknown>[], maxRows = IMPORT_MAX_ROWS): RowsResult {
  if (items.length > maxRows)
    return {
      ok: false,
      error: `The import has more than ${maxRows.toLocaleString('en-US')} rows (IMPORT_MAX_ROWS); split it.`,
    };
  const names = new Set<string>();
  for (const item of items) for (const k of Object.keys(item)) names.add(k);
  for (const k of names)
    if (!KNOWN.has(k))
      return {
        ok: false,
        error: `Unknown column "${k}". The columns are: ${ALL_IMPORT_COLUMNS.join(', ')}.`,
      };
  const rows = items.map((item, i): ImportRow => {
    const cells: ImportRow['cells'] = {};
    for (const [k, v] of Object.entries(item))
      cells[k as ImportColumn] = v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
    return { line: i + 1, cells };
  });
  return { ok: true, rows };
}
