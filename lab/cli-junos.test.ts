import { describe, expect, it } from 'vitest';

import { JUNOS_PAGER_ERASE, JUNOS_PAGER_PROMPT, JunosCli, junosAgo } from './cli-junos';
import { createDeviceModel } from './model';

const NOW = new Date('2025-11-24T06:19:00Z');
const PROMPT = 'lab@lab-junos-01> ';

function junos(): JunosCli {
  return new JunosCli(createDeviceModel('juniper_junos', 'lab-junos-01', { now: () => NOW }), {
    username: 'lab',
  });
}

describe('Junos personality (pure)', () => {
  it('prompts user@host> with a space, follows output with a blank line, and logs in with the JUNOS banner', () => {
    const cli = junos();
    expect(cli.prompt).toBe(PROMPT);
    expect(cli.banner()[1]).toBe('--- JUNOS 21.4R3-S5.4 Kernel 64-bit  JNPR-12.1-20230321.be2ac0f_buil');
    const version = cli.execute('show version');
    expect(version.lines.slice(0, 3)).toEqual([
      'Hostname: lab-junos-01',
      'Model: ex4300-24t',
      'Junos: 21.4R3-S5.4',
    ]);
    expect(version.lines[version.lines.length - 1]).toBe('');
    expect(cli.execute('')).toMatchObject({ lines: [''], prompt: PROMPT });
  });

  it('enters and leaves configuration mode with [edit] before the # prompt', () => {
    const cli = junos();
    expect(cli.execute('configure')).toMatchObject({
      lines: ['Entering configuration mode', '', '[edit]'],
      prompt: 'lab@lab-junos-01# ',
    });
    expect(cli.execute('exit')).toMatchObject({ lines: ['Exiting configuration mode', ''], prompt: PROMPT });
    cli.execute('configure');
    expect(cli.execute('exit configuration-mode').prompt).toBe(PROMPT);
  });

  it('asks before leaving uncommitted changes, and commits them', () => {
    const cli = junos();
    cli.execute('configure');
    expect(cli.execute('set interfaces ge-0/0/5 description "new desk"').lines).toEqual(['', '[edit]']);
    expect(cli.execute('show interfaces ge-0/0/5').lines).toContain('description "new desk";');
    expect(cli.execute('exit')).toMatchObject({
      lines: ['The configuration has been changed but not committed'],
      prompt: 'Exit with uncommitted changes? [yes,no] (yes) ',
      question: true,
    });
    expect(cli.execute('no').prompt).toBe('lab@lab-junos-01# ');
    cli.execute('set system host-name core-sw1');
    expect(cli.execute('commit')).toMatchObject({
      lines: ['commit complete', '', '[edit]'],
      prompt: 'lab@core-sw1# ',
    });
    expect(cli.execute('run show configuration system host-name').lines).toEqual([
      'host-name core-sw1;',
      '',
      '[edit]',
    ]);
    expect(cli.execute('exit').prompt).toBe('lab@core-sw1> ');
  });

  it('reports unknown commands, syntax errors and device errors the Junos way', () => {
    const cli = junos();
    const col = PROMPT.length;
    expect(cli.execute('foo', { column: col }).lines).toEqual([`${' '.repeat(18)}^`, 'unknown command.', '']);
    expect(cli.execute('show foo', { column: col }).lines).toEqual([
      `${' '.repeat(col + 5)}^`,
      'syntax error, expecting <command>.',
      '',
    ]);
    expect(cli.execute('show', { column: col }).lines[1]).toBe('syntax error, expecting <command>.');
    expect(cli.execute('show version extra', { column: col }).lines[1]).toBe('syntax error.');
    expect(cli.execute('show interfaces ge-0/0/99').lines).toEqual(['error: device ge-0/0/99 not found', '']);
    const ambiguous = cli.execute('s').lines;
    expect(ambiguous.slice(1, 3)).toEqual(["'s' is ambiguous.", 'Possible completions:']);
    expect(ambiguous).toContain('  show                 Show system information');
    cli.execute('configure');
    expect(cli.execute('set foo bar').lines.slice(1)).toEqual(['syntax error.', '', '[edit]']);
  });

  it('shows the configuration in braces and as set commands', () => {
    const cli = junos();
    const curly = cli.execute('show configuration').lines;
    expect(curly[0]).toMatch(/^## Last commit: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d CST by admin$/);
    expect(curly).toContain('version 21.4R3-S5.4;');
    expect(curly).toContain('    host-name lab-junos-01;');
    expect(curly).toContain('        description "上联核心交换机";');
    expect(curly).toContain('                    members [ Finance HR CCTV Management ];');
    expect(curly.some((l) => l.endsWith('; ## SECRET-DATA'))).toBe(true);
    const set = cli.execute('show configuration | display set').lines;
    expect(set).toContain('set version 21.4R3-S5.4');
    expect(set).toContain('set system host-name lab-junos-01');
    expect(set).toContain('set interfaces ge-0/0/0 unit 0 family ethernet-switching vlan members HR');
    expect(set).toContain('set vlans Finance vlan-id 10');
    expect(set.filter((l) => l !== '').every((l) => l.startsWith('set '))).toBe(true);
    expect(cli.execute('show configuration | display set | match host-name').lines).toEqual([
      'set system host-name lab-junos-01',
      '',
    ]);
    expect(cli.execute('show configuration | count').lines[0]).toMatch(/^Count: \d+ lines$/);
  });

  it('shows interfaces terse and system uptime', () => {
    const cli = junos();
    const terse = cli.execute('show interfaces terse').lines;
    expect(terse[0]).toBe('Interface               Admin Link Proto    Local                 Remote');
    expect(terse).toContain('ge-0/0/0.0              up    up   eth-switch');
    expect(terse.some((l) => /^ge-0\/0\/20\s+down\s+down$/.test(l))).toBe(true);
    expect(terse.some((l) => /^irb\.10\s+up\s+up\s+inet\s+10\.\d+\.10\.1\/24$/.test(l))).toBe(true);
    const uptime = cli.execute('show system uptime').lines;
    expect(uptime[0]).toBe('Current time: 2025-11-24 14:19:00 CST');
    expect(uptime[2]).toMatch(/^System booted: .* CST \(\d+w\dd \d\d:\d\d ago\)$/);
    expect(junosAgo(90_000_000)).toBe('1d 01:00');
    expect(junosAgo(600_000)).toBe('00:10');
  });

  it('pages with ---(more)--- then percentages; screen-length 0 and | no-more turn it off', () => {
    const cli = junos();
    expect(cli.pageSize(24)).toBe(23);
    expect(cli.execute('show configuration').pageable).toBe(true);
    expect(cli.pagerAt(100, 1000)).toEqual({ prompt: JUNOS_PAGER_PROMPT, erase: JUNOS_PAGER_ERASE });
    expect(cli.pagerAt(450, 1000).prompt).toBe('---(more 45%)---');
    expect(cli.execute('show configuration | no-more').pageable).toBe(false);
    expect(cli.execute('set cli screen-width 0').lines).toEqual(['Screen width set to 0', '']);
    expect(cli.execute('set cli screen-length 0').lines).toEqual(['Screen length set to 0', '']);
    expect(cli.pageSize(24)).toBe(0);
  });

  it('request system reboot asks yes/no: no keeps the session, yes closes it', () => {
    const cli = junos();
    expect(cli.execute('request system reboot')).toMatchObject({
      lines: [],
      prompt: 'Reboot the system ? [yes,no] (no) ',
      question: true,
    });
    expect(cli.execute('')).toMatchObject({ close: false, prompt: PROMPT });
    cli.execute('request system reboot');
    const yes = cli.execute('yes');
    expect(yes.close).toBe(true);
    expect(yes.lines).toContain('Shutdown NOW!');
    expect(yes.lines).toContain('*** FINAL System shutdown message from lab@lab-junos-01 ***');
  });
});
