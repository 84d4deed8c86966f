import { DEVICE_FIELD_KEY, DEVICE_FIELDS_MAX, FIELD_COLUMN_PREFIX } from '../fields';
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
  /** The `field.<key>` columns the file has, by key (an empty cell removes that field). */
  fields: Record<string, string>;
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

/** A column's place in a row: one of the device's columns, or the custom field `<key>`. */
type Column = { column: ImportColumn } | { field: string };

const unknownColumn = (name: string) =>
  `Unknown column "${name}". The columns are: ${ALL_IMPORT_COLUMNS.join(', ')}, and ${FIELD_COLUMN_PREFIX}<key> for a custom field.`;

/** A known column, a `field.<key>` column (the key checked), or what is wrong with the name. */
function columnOf(name: string): Column | { error: string } {
  if (KNOWN.has(name)) return { column: name as ImportColumn };
  if (name.startsWith(FIELD_COLUMN_PREFIX)) {
    const key = name.slice(FIELD_COLUMN_PREFIX.length);
    return DEVICE_FIELD_KEY.test(key)
      ? { field: key }
      : {
          error: `The column "${name}" names no valid field key: a lowercase letter, then lowercase letters, digits or _ (at most 32 characters).`,
        };
  }
  return { error: unknownColumn(name) };
}

function checkColumns(
  names: string[],
  required: readonly ImportColumn[],
): { ok: true; columns: Column[] } | { ok: false; error: string } {
  const seen = new Set<string>();
  const columns: Column[] = [];
  let fields = 0;
  for (const name of names) {
    const c = columnOf(name);
    if ('error' in c) return { ok: false, error: c.error };
    if (seen.has(name)) return { ok: false, error: `The column "${name}" appears twice in the header.` };
    seen.add(name);
    if ('field' in c && ++fields > DEVICE_FIELDS_MAX)
      return { ok: false, error: `More than ${DEVICE_FIELDS_MAX} ${FIELD_COLUMN_PREFIX}<key> columns.` };
    columns.push(c);
  }
  for (const r of required) if (!seen.has(r)) return { ok: false, error: `The header has no "${r}" column.` };
  return { ok: true, columns };
}

/** A row's cells by column, and its custom fields by key. */
function place(columns: Column[], value: (k: number) => string): Pick<ImportRow, 'cells' | 'fields'> {
  const cells: ImportRow['cells'] = {};
  const fields: ImportRow['fields'] = {};
  columns.forEach((c, k) => {
    if ('column' in c) cells[c.column] = value(k);
    else fields[c.field] = value(k);
  });
  return { cells, fields };
}

/** The rows of a CSV text (file-level problems refuse the whole file). */
export function rowsFromCsv(text: string, maxRows = IMPORT_MAX_ROWS): RowsResult {
  const parsed = parseCsv(text, maxRows);
  if (!parsed.ok) return parsed;
  const header = parsed.header.cells.map(normaliseColumn);
  // a trailing separator on the header line (some spreadsheets write one) is not a column
  while (header.length > 1 && header.at(-1) === '') header.pop();
  const cols = checkColumns(header, ['name', 'host']);
  if (!cols.ok) return { ok: false, error: `Line 1: ${cols.error}` };
  const rows = parsed.records.map((r): ImportRow => {
    const placed = place(cols.columns, (k) => unneutralise(r.cells[k] ?? ''));
    const extra = r.cells.slice(cols.columns.length).filter((c) => c.trim() !== '');
    // more cells than the header names: reported on the row (its other cells are kept for the name)
    if (extra.length > 0)
      return {
        line: r.line,
        ...placed,
        problem: `${r.cells.length} cells, but the header names ${cols.columns.length} columns (quote a cell that contains the separator).`,
      };
    return { line: r.line, ...placed };
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
  // each JSON row has its own keys: a row without a name is an error of that row (the plan's)
  const cols = checkColumns([...names], []);
  if (!cols.ok) return { ok: false, error: cols.error };
  const byName = new Map<string, Column>([...names].map((k, i) => [k, cols.columns[i]!]));
  const rows = items.map((item, i): ImportRow => {
    const cells: ImportRow['cells'] = {};
    const fields: ImportRow['fields'] = {};
    for (const [k, v] of Object.entries(item)) {
      const text = v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
      const c = byName.get(k)!;
      if ('column' in c) cells[c.column] = text;
      else fields[c.field] = text;
    }
    return { line: i + 1, cells, fields };
  });
  return { ok: true, rows };
}
