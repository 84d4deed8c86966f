import { describe, expect, it } from 'vitest';

import { H3C_PAGER_ERASE, H3C_PAGER_PROMPT, H3cCli } from './cli-h3c';
import { createDeviceModel } from './model';

const NOW = new Date('2025-11-24T06:19:00Z');

function h3c(): H3cCli {
  return new H3cCli(createDeviceModel('h3c_comware', 'lab-h3c-01', { now: () => NOW }));
}

describe('H3C Comware personality (pure)', () => {
  it('starts in user view after the copyright banner', () => {
    const cli = h3c();
    expect(cli.prompt).toBe('<lab-h3c-01>');
    expect(cli.banner().join('\n')).toContain('* Copyright (c) 2004-2023 New H3C Technologies Co., Ltd.');
  });

  it('answers the five Comware errors with a caret under the offending word', () => {
    const cli = h3c();
    const col = '<lab-h3c-01>'.length;
    expect(cli.execute('display foo', { column: col }).lines).toEqual([
      `${' '.repeat(col + 8)}^`,
      " % Unrecognized command found at '^' position.",
    ]);
    expect(cli.execute('display', { column: col }).lines).toEqual([
      `${' '.repeat(col + 8)}^`,
      " % Incomplete command found at '^' position.",
    ]);
    expect(cli.execute('s').lines[1]).toBe(" % Ambiguous command found at '^' position.");
    expect(cli.execute('display clock now', { column: col }).lines).toEqual([
      `${' '.repeat(col + 14)}^`,
      " % Too many parameters found at '^' position.",
    ]);
    cli.execute('system-view');
    expect(cli.execute('vlan 5000').lines).toEqual([
      `${' '.repeat(5)}^`,
      " % Wrong parameter found at '^' position.",
    ]);
    expect(cli.execute('interface GigabitEthernet9/9/9').lines[1]).toBe(
      " % Wrong parameter found at '^' position.",
    );
  });

  it('shows Comware version, clock, interfaces and configuration', () => {
    const cli = h3c();
    const version = cli.execute('display version');
    expect(version.pageable).toBe(true);
    expect(version.lines[0]).toBe('H3C Comware Software, Version 7.1.070, Release 6318P01');
    expect(version.lines[2]).toMatch(
      /^H3C S5130S-28S-EI uptime is \d+ weeks?, \d+ days?, \d+ hours?, \d+ minutes?$/,
    );
    expect(cli.execute('dis clock').lines).toEqual([
      '14:19:00.000 BJ Mon 11/24/2025',
      'Time Zone : BJ add 08:00:00',
    ]);
    const brief = cli.execute('display interface brief').lines;
    expect(brief).toContain('Brief information on interfaces in bridge mode:');
    expect(brief.some((l) => /^GE1\/0\/1\s+UP\s+1G\(a\)\s+F\(a\)\s+T\s+1\s+上联核心交换机$/.test(l))).toBe(
      true,
    );
    expect(brief.some((l) => /^GE1\/0\/21\s+ADM\s/.test(l))).toBe(true);
    expect(brief.some((l) => /^Vlan10\s+UP\s+UP\s+10\.\d+\.10\.1\s+财务网段$/.test(l))).toBe(true);
    const config = cli.execute('display current-configuration').lines;
    expect(config.length).toBeGreaterThan(150);
    expect(config).toContain(' sysname lab-h3c-01');
    expect(config).toContain('interface Vlan-interface10');
    expect(config).toContain(' port trunk permit vlan 1 10 20 30 100');
    expect(config[config.length - 1]).toBe('return');
    expect(cli.execute('dis cur | include ^interface').lines.every((l) => l.startsWith('interface'))).toBe(
      true,
    );
  });

  it('turns paging off with screen-length disable and back on with undo', () => {
    const cli = h3c();
    expect(cli.pageSize(24)).toBe(23);
    expect(cli.execute('screen-length disable').lines).toEqual([]);
    expect(cli.pageSize(24)).toBe(0);
    cli.execute('undo screen-length disable');
    expect(cli.pageSize(40)).toBe(39);
    expect(cli.pager).toEqual({ prompt: H3C_PAGER_PROMPT, erase: H3C_PAGER_ERASE });
    expect(H3C_PAGER_PROMPT).toBe('  ---- More ----');
  });

  it('save asks to confirm and for the file name; save force asks nothing', () => {
    const cli = h3c();
    expect(cli.execute('save')).toMatchObject({
      prompt: 'The current configuration will be written to the device. Are you sure? [Y/N]:',
      question: true,
    });
    expect(cli.execute('y')).toMatchObject({
      lines: ['Please input the file name(*.cfg)[flash:/startup.cfg]'],
      prompt: '(To leave the existing filename unchanged, press the enter key):',
      question: true,
    });
    expect(cli.execute('')).toMatchObject({
      lines: [
        'Validating file. Please wait...',
        'Saved the current configuration to mainboard device successfully.',
      ],
      prompt: '<lab-h3c-01>',
      question: false,
    });
    cli.execute('save');
    expect(cli.execute('n')).toMatchObject({ lines: [], prompt: '<lab-h3c-01>' });
    cli.execute('save');
    cli.execute('y');
    expect(cli.execute('backup.cfg').prompt).toBe('flash:/backup.cfg exists, overwrite? [Y/N]:');
    expect(cli.execute('y').lines[1]).toBe(
      'Saved the current configuration to mainboard device successfully.',
    );
    expect(cli.execute('save force').lines[1]).toBe(
      'Saved the current configuration to mainboard device successfully.',
    );
  });

  it('reboot asks, n keeps the session, y closes it', () => {
    const cli = h3c();
    const asked = cli.execute('reboot');
    expect(asked.lines).toEqual([
      'Start to check configuration with next startup configuration file, please wait.........DONE!',
    ]);
    expect(asked.prompt).toBe('This command will reboot the device. Continue? [Y/N]:');
    expect(cli.execute('n')).toMatchObject({ close: false, prompt: '<lab-h3c-01>' });
    cli.execute('reboot');
    expect(cli.execute('y')).toMatchObject({ lines: ['Now rebooting, please wait...'], close: true });
  });
});
