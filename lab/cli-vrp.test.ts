import { describe, expect, it } from 'vitest';

import { VRP_PAGER_ERASE, VRP_PAGER_PROMPT, VrpCli } from './cli-vrp';
import { createDeviceModel } from './model';

const NOW = new Date('2025-11-24T06:19:00Z');

function vrp(name = 'lab-vrp-01'): VrpCli {
  return new VrpCli(createDeviceModel('huawei_vrp', name, { now: () => NOW }));
}

describe('VRP personality (pure)', () => {
  it('starts in user view with a login banner', () => {
    const cli = vrp();
    expect(cli.prompt).toBe('<lab-vrp-01>');
    const banner = cli.banner().join('\n');
    expect(banner).toContain('Info: The max number of VTY users is 5, and the number');
    expect(banner).toContain('The current login time is 2025-11-24 14:19:00+08:00.');
  });

  it('renames with sysname and keeps the new name in the configuration', () => {
    const cli = vrp();
    cli.execute('system-view');
    expect(cli.execute('sysname CORE-A').prompt).toBe('[CORE-A]');
    expect(cli.execute('display current-configuration').lines).toContain('sysname CORE-A');
  });

  it('marks an unknown command with a caret under the first bad word, shifted by the prompt', () => {
    const cli = vrp();
    const res = cli.execute('display foo', { column: '<lab-vrp-01>'.length });
    expect(res.lines).toEqual([
      `${' '.repeat(12 + 8)}^`,
      "Error: Unrecognized command found at '^' position.",
    ]);
    expect(cli.execute('foo').lines[1]).toBe("Error: Unrecognized command found at '^' position.");
    expect(cli.execute('display').lines[1]).toBe("Error: Incomplete command found at '^' position.");
    expect(cli.execute('   ')).toMatchObject({ lines: [], prompt: '<lab-vrp-01>' });
    // system-view commands are not user-view commands
    expect(cli.execute('sysname X').lines[1]).toContain('Unrecognized command');
  });

  it('answers display commands in every view, with realistic content', () => {
    const cli = vrp();
    const version = cli.execute('dis ver');
    expect(version.pageable).toBe(true);
    expect(version.lines.join('\n')).toMatch(
      /VRP \(R\) software, Version 5\.170 \(S5735 V200R022C00SPC500\)/,
    );
    expect(version.lines.join('\n')).toMatch(/uptime is \d+ days?, \d+ hours?, \d+ minutes?/);

    cli.execute('system-view');
    cli.execute('interface GigabitEthernet0/0/2');
    const brief = cli.execute('display interface brief').lines;
    expect(brief.filter((l) => /^GigabitEthernet0\/0\/\d+\s+(\*?down|up)\s+(up|down)/.test(l))).toHaveLength(
      24,
    );
    expect(brief.some((l) => /^Vlanif10\s+up\s+up/.test(l))).toBe(true);
    expect(brief.some((l) => /^NULL0\s+up\s+up\(s\)/.test(l))).toBe(true);
    expect(brief.some((l) => /^GigabitEthernet0\/0\/21\s+\*down\s+down/.test(l))).toBe(true);

    const desc = cli.execute('display interface description').lines;
    expect(desc).toContain('Interface                     PHY     Protocol Description');
    expect(desc.some((l) => /^GE0\/0\/1\s+up\s+up\s+上联核心交换机$/.test(l))).toBe(true);
    expect(desc.join('\n')).toContain('财务部-三楼');
    expect(desc.join('\n')).toContain('监控摄像头');
  });

  it('produces a long current-configuration ending with return', () => {
    const lines = vrp().execute('display current-configuration').lines;
    expect(lines.length).toBeGreaterThanOrEqual(150);
    expect(lines).toContain('sysname lab-vrp-01');
    expect(lines).toContain('vlan batch 10 20 30 100');
    expect(lines).toContain('aaa');
    expect(lines).toContain('user-interface vty 0 4');
    expect(lines).toContain(' description 上联核心交换机');
    expect(lines.some((l) => l.startsWith('ospf 1'))).toBe(true);
    expect(lines[lines.length - 1]).toBe('return');
  });

  it('applies interface configuration', () => {
    const cli = vrp();
    cli.execute('system-view');
    cli.execute('interface GigabitEthernet0/0/9');
    cli.execute('description 测试端口 A');
    cli.execute('shutdown');
    const here = cli.execute('display this').lines;
    expect(here).toContain(' description 测试端口 A');
    expect(here).toContain(' shutdown');
    const res = cli.execute('ip address 300.1.1.1 255.255.255.0', { column: 0 });
    expect(res.lines[1]).toBe("Error: Wrong parameter found at '^' position.");
    expect(
      cli.execute('display interface brief').lines.some((l) => /^GigabitEthernet0\/0\/9\s+\*down/.test(l)),
    ).toBe(true);
  });

  it('toggles paging with screen-length', () => {
    const cli = vrp();
    expect(cli.pageSize(24)).toBe(23);
    expect(cli.execute('screen-length 0 temporary').lines).toEqual([
      'Info: The configuration takes effect on the current user terminal interface only.',
    ]);
    expect(cli.pageSize(24)).toBe(0);
    cli.execute('undo screen-length temporary');
    expect(cli.pageSize(40)).toBe(39);
    cli.execute('scr 10 temp');
    expect(cli.pageSize(40)).toBe(9);
    expect(cli.pager).toEqual({ prompt: VRP_PAGER_PROMPT, erase: VRP_PAGER_ERASE });
    expect(VRP_PAGER_PROMPT).toBe('  ---- More ----');
    expect(VRP_PAGER_ERASE).toBe(`\x1b[16D${' '.repeat(16)}\x1b[16D`);
  });

  it('asks for confirmation on save', () => {
    const cli = vrp();
    expect(cli.execute('save').prompt).toMatch(/Continue\? \[Y\/N\]:$/);
    expect(cli.execute('y')).toMatchObject({
      lines: [
        'Now saving the current configuration to the slot 0.',
        'Info: Save the configuration successfully.',
      ],
      prompt: '<lab-vrp-01>',
    });
  });

  it('filters display output through a pipe', () => {
    const cli = vrp();
    const lines = cli.execute('display current-configuration | include ^interface').lines;
    expect(lines.length).toBeGreaterThan(30);
    expect(lines.every((l) => l.startsWith('interface'))).toBe(true);
    expect(cli.execute('system-view | include x').lines[1]).toContain('Unrecognized');
  });
});
