import { describe, expect, it } from 'vitest';
import { IMPORT_MAX_ROWS } from './columns';
import { detectSeparator, parseCsv } from './csv';
import { rowsFromCsv, rowsFromJson, unneutralise } from './rows';

describe('parseCsv', () => {
  it('drops a BOM and reads CRLF lines', () => {
    const r = parseCsv('\uFEFFname,host\r\nsw1,10.0.0.1\r\nsw2,10.0.0.2\r\n', 10);
    expect(r.ok && r.header.cells).toEqual(['name', 'host']);
    expect(r.ok && r.records).toEqual([
      { line: 2, cells: ['sw1', '10.0.0.1'] },
      { line: 3, cells: ['sw2', '10.0.0.2'] },
    ]);
  });

  it('takes ; as the separator when the header line uses it (commas in cells stay text)', () => {
    expect(detectSeparator('name;host;notes\n')).toBe(';');
    expect(detectSeparator('"a;b";c,d,e\n')).toBe(',');
    const r = parseCsv('name;host;notes\nsw1;10.0.0.1;rack 1, row 2\n', 10);
    expect(r.ok && r.separator).toBe(';');
    expect(r.ok && r.records[0]!.cells).toEqual(['sw1', '10.0.0.1', 'rack 1, row 2']);
  });

  it('reads quoted cells with doubled quotes and line breaks, and numbers records by their first line', () => {
    const text = 'name,notes\nsw1,"say ""hi""\nsecond line\r\nthird"\nsw2,plain\n';
    const r = parseCsv(text, 10);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.records[0]).toEqual({ line: 2, cells: ['sw1', 'say "hi"\nsecond line\r\nthird'] });
    expect(r.records[1]).toEqual({ line: 5, cells: ['sw2', 'plain'] });
  });

  it('skips blank lines, keeps a last line without a line break', () => {
    const r = parseCsv('name,host\n\nsw1,h1\n\n\nsw2,h2', 10);
    expect(r.ok && r.records.map((x) => [x.line, x.cells[0]])).toEqual([
      [3, 'sw1'],
      [6, 'sw2'],
    ]);
  });

  it('refuses an unclosed quote and text after a closing quote, naming the line', () => {
    const open = parseCsv('name,notes\nsw1,ok\nsw2,"never closed\n', 10);
    expect(open).toEqual({
      ok: false,
      error: expect.stringMatching(/^Line 3: a quoted cell is never closed/),
    });
    const after = parseCsv('name,notes\nsw1,"a"b\n', 10);
    expect(after).toEqual({ ok: false, error: expect.stringMatching(/^Line 2: text after a closing quote/) });
  });

  it(`refuses more than IMPORT_MAX_ROWS (${IMPORT_MAX_ROWS}) rows, and takes exactly that many`, () => {
    const body = (n: number) =>
      'name,host\n' + Array.from({ length: n }, (_, i) => `d${i},10.0.0.1\n`).join('');
    const over = rowsFromCsv(body(IMPORT_MAX_ROWS + 1));
    expect(over).toEqual({ ok: false, error: expect.stringContaining('more than 10,000 rows') });
    const at = rowsFromCsv(body(IMPORT_MAX_ROWS));
    expect(at.ok && at.rows.length).toBe(IMPORT_MAX_ROWS);
    expect(rowsFromJson(Array.from({ length: IMPORT_MAX_ROWS + 1 }, () => ({ name: 'x' })))).toMatchObject({
      ok: false,
    });
  });
});

describe('rowsFromCsv', () => {
  it('names columns without case or spacing, and refuses unknown or missing ones', () => {
    const r = rowsFromCsv('Name, Host ,Private-Key\nsw1,h1,\n');
    expect(r.ok && r.rows[0]!.cells).toEqual({ name: 'sw1', host: 'h1', private_key: '' });
    expect(rowsFromCsv('name,host,colour\n')).toEqual({
      ok: false,
      error: expect.stringContaining('Unknown column "colour"'),
    });
    expect(rowsFromCsv('name,port\n')).toEqual({
      ok: false,
      error: expect.stringContaining('no "host" column'),
    });
    expect(rowsFromCsv('name,host,name\n')).toEqual({ ok: false, error: expect.stringContaining('twice') });
    expect(rowsFromCsv('')).toMatchObject({ ok: false });
  });

  it('a row with more cells than the header is a row problem; fewer cells read as empty', () => {
    const r = rowsFromCsv('name,host,notes\nsw1,h1,a,b\nsw2,h2\n');
    expect(r.ok && r.rows[0]!.problem).toMatch(/4 cells, but the header names 3 columns/);
    expect(r.ok && r.rows[1]!.cells).toEqual({ name: 'sw2', host: 'h2', notes: '' });
  });

  it('a cell starting with = + - @ is kept as text; the apostrophe the export adds is dropped', () => {
    const r = rowsFromCsv('name,host,notes\nsw1,h1,=cmd|" /C calc"!A0\nsw2,h2,"\'=1+1"\nsw3,h3,\'plain\n');
    expect(r.ok && r.rows.map((x) => x.cells.notes)).toEqual(['=cmd|" /C calc"!A0', '=1+1', "'plain"]);
    expect(unneutralise("' -5")).toBe(' -5');
    expect(unneutralise("'@x")).toBe('@x');
  });
});
