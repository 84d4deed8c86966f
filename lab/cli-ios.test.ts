import { describe, expect, it } from 'vitest';

import { IOS_PAGER_ERASE, IOS_PAGER_PROMPT, IosCli } from './cli-ios';
import { createDeviceModel } from './model';

const NOW = new Date('2025-11-24T06:19:00Z');

function ios(enableSecret = 'secret'): IosCli {
  return new IosCli(createDeviceModel('cisco_ios', 'lab-ios-01', { now: () => NOW }), { enableSecret });
}

describe('IOS personality (pure)', () => {
  it('starts in user exec', () => {
    const cli = ios();
    expect(cli.prompt).toBe('lab-ios-01>');
    expect(cli.banner()).toEqual(['']);
  });

  it('enable asks for a secret: right password gives #, wrong one is denied', () => {
    const cli = ios();
    expect(cli.execute('enable')).toMatchObject({ prompt: 'Password: ', secret: true, lines: [] });
    expect(cli.execute('nope')).toMatchObject({
      prompt: 'lab-ios-01>',
      secret: false,
      lines: ['% Access denied', ''],
    });
    cli.execute('en');
    expect(cli.execute('secret')).toMatchObject({ prompt: 'lab-ios-01#', lines: [] });
    expect(cli.execute('disable').prompt).toBe('lab-ios-01>');
    cli.execute('enable');
    expect(cli.interrupt().prompt).toBe('lab-ios-01>');
  });

  it('refuses show running-config in user mode with a caret under the word', () => {
    const cli = ios();
    const res = cli.execute('show running-config', { column: 11 });
    expect(res.lines).toEqual([`${' '.repeat(11 + 5)}^`, "% Invalid input detected at '^' marker.", '']);
  });

  it('reports invalid, incomplete and ambiguous input like IOS', () => {
    const cli = ios();
    expect(cli.execute('show foo').lines[1]).toBe("% Invalid input detected at '^' marker.");
    expect(cli.execute('show').lines).toEqual(['% Incomplete command.', '']);
    expect(cli.execute('e').lines).toEqual(['% Ambiguous command:  "e"']);
  });

  it('shows realistic version, interface and configuration output', () => {
    const cli = ios('');
    expect(cli.execute('enable').prompt).toBe('lab-ios-01#');
    const version = cli.execute('sh ver').lines.join('\n');
    expect(version).toContain('Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE)');
    expect(version).toMatch(/lab-ios-01 uptime is \d+ weeks?, \d+ days?, \d+ hours?, \d+ minutes?/);
    expect(version).toContain('Model Number                       : C9300-24T');

    const brief = cli.execute('sh ip int br').lines;
    expect(brief[0]).toBe('Interface              IP-Address      OK? Method Status                Protocol');
    expect(brief.some((l) => /^GigabitEthernet1\/0\/1\s+unassigned\s+YES unset\s+up\s+up$/.test(l))).toBe(
      true,
    );
    expect(brief.some((l) => /^Vlan10\s+10\.\d+\.10\.1\s+YES NVRAM\s+up\s+up$/.test(l))).toBe(true);
    expect(brief.some((l) => /administratively down down/.test(l))).toBe(true);

    const desc = cli.execute('show interfaces description').lines;
    expect(desc.some((l) => /^Gi1\/0\/1\s+up\s+up\s+上联核心交换机$/.test(l))).toBe(true);
    expect(desc.join('\n')).toContain('监控摄像头');

    const run = cli.execute('show running-config');
    expect(run.pageable).toBe(true);
    expect(run.lines.length).toBeGreaterThanOrEqual(150);
    expect(run.lines[0]).toBe('Building configuration...');
    expect(run.lines).toContain('hostname lab-ios-01');
    expect(run.lines).toContain(' description 财务部-三楼');
    expect(run.lines.filter((l) => l !== '').pop()).toBe('end');
  });

  it('walks configuration modes', () => {
    const cli = ios('');
    cli.execute('enable');
    expect(cli.execute('conf t')).toMatchObject({
      lines: ['Enter configuration commands, one per line.  End with CNTL/Z.'],
      prompt: 'lab-ios-01(config)#',
    });
    expect(cli.execute('hostname EDGE-1').prompt).toBe('EDGE-1(config)#');
    expect(cli.execute('interface GigabitEthernet1/0/5').prompt).toBe('EDGE-1(config-if)#');
    cli.execute('description 新描述');
    cli.execute('shutdown');
    expect(cli.execute('exit').prompt).toBe('EDGE-1(config)#');
    expect(cli.execute('int gi1/0/6').prompt).toBe('EDGE-1(config-if)#');
    expect(cli.execute('end').prompt).toBe('EDGE-1#');
    const run = cli.execute('show running-config interface GigabitEthernet1/0/5').lines;
    expect(run).toContain(' description 新描述');
    expect(run).toContain(' shutdown');
    cli.execute('configure terminal');
    expect(cli.execute('do show clock').lines[0]).toBe('*14:19:00.000 CST Mon Nov 24 2025');
    expect(cli.execute('show clock', { column: 15 }).lines[0]).toBe(`${' '.repeat(15)}^`);
    expect(cli.toTop()).toMatchObject({ echo: '^Z', prompt: 'EDGE-1#' });
    expect(cli.execute('exit')).toMatchObject({ close: true });
  });

  it('sets the page length with terminal length', () => {
    const cli = ios();
    expect(cli.pageSize(24)).toBe(23);
    cli.execute('terminal length 0');
    expect(cli.pageSize(24)).toBe(0);
    cli.execute('term len 10');
    expect(cli.pageSize(24)).toBe(9);
    expect(cli.pager).toEqual({ prompt: IOS_PAGER_PROMPT, erase: IOS_PAGER_ERASE });
    expect(IOS_PAGER_PROMPT).toBe(' --More-- ');
    expect(IOS_PAGER_ERASE).toBe(`${'\b'.repeat(10)}${' '.repeat(10)}${'\b'.repeat(10)}`);
  });

  it('saves with write memory and copy running-config startup-config', () => {
    const cli = ios('');
    cli.execute('enable');
    expect(cli.execute('show startup-config').lines).toEqual(['startup-config is not present']);
    expect(cli.execute('copy run start').prompt).toBe('Destination filename [startup-config]? ');
    expect(cli.execute('').lines).toEqual(['Building configuration...', '[OK]']);
    expect(cli.execute('wr mem').lines).toEqual(['Building configuration...', '[OK]']);
    expect(cli.execute('show startup-config').lines.length).toBeGreaterThan(150);
  });
});
