import { describe, expect, it } from 'vitest';

import {
  applyFilter,
  caretLine,
  completeLine,
  helpFor,
  matchCommand,
  parseFilter,
  splitPipe,
  tokenize,
  type CommandSpec,
} from './match';

const COMMANDS: CommandSpec[] = [
  { id: 'display-version', words: ['display', 'version'] },
  { id: 'display-current', words: ['display', 'current-configuration'] },
  { id: 'display-clock', words: ['display', 'clock'] },
  { id: 'display-interface-brief', words: ['display', 'interface', 'brief'] },
  { id: 'display-interface', words: ['display', 'interface'], args: 'optional' },
  { id: 'screen-length', words: ['screen-length', '<int>', 'temporary'] },
  { id: 'sysname', words: ['sysname'], args: 'required' },
  { id: 'system-view', words: ['system-view'] },
  { id: 'show-ip-int-brief', words: ['show', 'ip', 'interface', 'brief'] },
  { id: 'show-interfaces', words: ['show', 'interfaces'], args: 'optional' },
  { id: 'configure-terminal', words: ['configure', 'terminal'] },
  { id: 'connect', words: ['connect'], args: 'required' },
];

describe('tokenize', () => {
  it('keeps the column of every word', () => {
    expect(tokenize('  dis   cur ')).toEqual([
      { text: 'dis', start: 2 },
      { text: 'cur', start: 8 },
    ]);
    expect(tokenize('   ')).toEqual([]);
  });
});

describe('matchCommand', () => {
  it('returns null for a blank line', () => {
    expect(matchCommand(COMMANDS, '   ')).toBeNull();
  });

  it('accepts full keywords and unambiguous prefixes, case-insensitively', () => {
    expect(matchCommand(COMMANDS, 'display version')).toMatchObject({ ok: true, id: 'display-version' });
    expect(matchCommand(COMMANDS, 'dis cur')).toMatchObject({ ok: true, id: 'display-current' });
    expect(matchCommand(COMMANDS, 'DIS VER')).toMatchObject({ ok: true, id: 'display-version' });
    expect(matchCommand(COMMANDS, 'sh ip int br')).toMatchObject({ ok: true, id: 'show-ip-int-brief' });
    expect(matchCommand(COMMANDS, 'conf t')).toMatchObject({ ok: true, id: 'configure-terminal' });
    expect(matchCommand(COMMANDS, 'scr 0 temp')).toMatchObject({
      ok: true,
      id: 'screen-length',
      params: ['0'],
    });
  });

  it('reports an ambiguous prefix at its column', () => {
    expect(matchCommand(COMMANDS, 'dis c')).toEqual({
      ok: false,
      kind: 'ambiguous',
      wordIndex: 1,
      column: 4,
    });
    expect(matchCommand(COMMANDS, 'con t')).toMatchObject({ ok: false, kind: 'ambiguous', wordIndex: 0 });
  });

  it('reports the first unrecognised word at its column', () => {
    expect(matchCommand(COMMANDS, 'display foo bar')).toEqual({
      ok: false,
      kind: 'unrecognized',
      wordIndex: 1,
      column: 8,
    });
    expect(matchCommand(COMMANDS, '  xyz')).toMatchObject({ kind: 'unrecognized', column: 2 });
    expect(matchCommand(COMMANDS, 'system-view now')).toMatchObject({ kind: 'unrecognized', wordIndex: 1 });
    expect(matchCommand(COMMANDS, 'screen-length x temporary')).toMatchObject({
      kind: 'unrecognized',
      column: 14,
    });
  });

  it('reports incomplete commands after the last word', () => {
    expect(matchCommand(COMMANDS, 'display')).toEqual({
      ok: false,
      kind: 'incomplete',
      wordIndex: 1,
      column: 8,
    });
    expect(matchCommand(COMMANDS, 'sysname')).toMatchObject({ ok: false, kind: 'incomplete' });
    expect(matchCommand(COMMANDS, 'scr 0')).toMatchObject({ ok: false, kind: 'incomplete' });
  });

  it('prefers keywords and falls back to trailing arguments', () => {
    expect(matchCommand(COMMANDS, 'dis int br')).toMatchObject({ ok: true, id: 'display-interface-brief' });
    const m = matchCommand(COMMANDS, 'display interface GigabitEthernet 0/0/1');
    expect(m).toMatchObject({ ok: true, id: 'display-interface', rest: 'GigabitEthernet 0/0/1' });
    expect(m?.ok && m.args.map((a) => a.text)).toEqual(['GigabitEthernet', '0/0/1']);
    expect(matchCommand(COMMANDS, 'display interface')).toMatchObject({
      ok: true,
      id: 'display-interface',
      rest: '',
    });
    expect(matchCommand(COMMANDS, 'sysname  core-sw 1 ')).toMatchObject({
      ok: true,
      id: 'sysname',
      rest: 'core-sw 1',
    });
  });
});

describe('output filters', () => {
  const lines = [
    'interface Vlanif10',
    ' ip address 10.0.0.1 255.255.255.0',
    '#',
    'interface NULL0',
    'return',
  ];

  it('splits at the pipe and parses the filter', () => {
    const split = splitPipe('dis cur | inc interface');
    expect(split).toEqual({ command: 'dis cur ', pipeColumn: 9, pipeText: ' inc interface' });
    expect(parseFilter(split.pipeText as string, 9, ['include'])).toEqual({
      ok: true,
      filter: { kind: 'include', pattern: 'interface' },
    });
    expect(parseFilter(' bogus x', 9, ['include'])).toMatchObject({
      ok: false,
      kind: 'unrecognized',
      column: 10,
    });
  });

  it('applies include, exclude, begin and section', () => {
    expect(applyFilter(lines, { kind: 'include', pattern: 'interface' })).toEqual([
      'interface Vlanif10',
      'interface NULL0',
    ]);
    expect(applyFilter(lines, { kind: 'exclude', pattern: '^#' })).toHaveLength(4);
    expect(applyFilter(lines, { kind: 'begin', pattern: 'NULL0' })).toEqual(['interface NULL0', 'return']);
    expect(applyFilter(lines, { kind: 'section', pattern: 'Vlanif10' })).toEqual(lines.slice(0, 2));
  });

  it('draws the caret at a column', () => {
    expect(caretLine(3)).toBe('   ^');
  });
});

describe('helpFor and completeLine', () => {
  const table: CommandSpec[] = [
    { id: 'dis-cur', words: ['display', 'current-configuration'] },
    { id: 'dis-clock', words: ['display', 'clock'] },
    { id: 'dis-int', words: ['display', 'interface'], args: 'optional' },
    { id: 'vlan', words: ['vlan', '<int>'] },
    { id: 'ping', words: ['ping'], args: 'required' },
  ];

  it('lists keywords a partial word may become, or the words that may follow, with <cr> for a whole command', () => {
    expect(helpFor(table, 'dis')).toEqual(['display']);
    expect(helpFor(table, 'display c')).toEqual(['clock', 'current-configuration']);
    expect(helpFor(table, 'dis ')).toEqual(['clock', 'current-configuration', 'interface']);
    expect(helpFor(table, 'dis int ')).toEqual(['<cr>']);
    expect(helpFor(table, 'dis int g0/0/1 ')).toEqual(['<cr>']);
    expect(helpFor(table, 'vlan ')).toEqual(['<int>']);
    expect(helpFor(table, 'vlan 10 ')).toEqual(['<cr>']);
    expect(helpFor(table, 'ping ')).toEqual([]);
    expect(helpFor(table, 'nonsense ')).toEqual([]);
    // an output filter does not hide the command
    expect(helpFor(table, 'dis clo')).toEqual(['clock']);
  });

  it('completes the last word when exactly one keyword fits, never a parameter or an ambiguous word', () => {
    expect(completeLine(table, 'dis')).toBe('display ');
    expect(completeLine(table, 'DIS')).toBe('display ');
    expect(completeLine(table, 'display cl')).toBe('display clock ');
    expect(completeLine(table, 'display c')).toBeNull();
    expect(completeLine(table, 'vlan 1')).toBeNull();
    expect(completeLine(table, 'dis ')).toBeNull();
    expect(completeLine(table, '')).toBeNull();
  });
});
