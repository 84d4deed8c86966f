import { describe, expect, it } from 'vitest';

import { H3cCli } from './cli-h3c';
import { parseVlanList } from './cli-huawei';
import { VrpCli } from './cli-vrp';
import { createDeviceModel } from './model';

const NOW = new Date('2025-11-24T06:19:00Z');

/** The two personalities of the Huawei family, and where their wording or port names differ. */
const FAMILY = [
  {
    name: 'VRP',
    cli: () => new VrpCli(createDeviceModel('huawei_vrp', 'lab-vrp-01', { now: () => NOW })),
    host: 'lab-vrp-01',
    systemView: 'Enter system view, return user view with Ctrl+Z.',
    port: 'GigabitEthernet0/0/1',
    abbreviated: ['int g 0/0/3', 'GigabitEthernet0/0/3'],
  },
  {
    name: 'Comware',
    cli: () => new H3cCli(createDeviceModel('h3c_comware', 'lab-h3c-01', { now: () => NOW })),
    host: 'lab-h3c-01',
    systemView: 'System View: return to User View with Ctrl+Z.',
    port: 'GigabitEthernet1/0/1',
    abbreviated: ['int xge1/0/25', 'Ten-GigabitEthernet1/0/25'],
  },
] as const;

describe.each(FAMILY)('$name views', (v) => {
  it('moves between user, system, interface and VLAN views', () => {
    const cli = v.cli();
    expect(cli.prompt).toBe(`<${v.host}>`);
    expect(cli.execute('system-view')).toMatchObject({ lines: [v.systemView], prompt: `[${v.host}]` });
    expect(cli.execute(`interface ${v.port}`).prompt).toBe(`[${v.host}-${v.port}]`);
    expect(cli.execute('quit').prompt).toBe(`[${v.host}]`);
    expect(cli.execute(v.abbreviated[0]).prompt).toBe(`[${v.host}-${v.abbreviated[1]}]`);
    expect(cli.execute('return').prompt).toBe(`<${v.host}>`);
    cli.execute('sys');
    expect(cli.execute('vlan 10').prompt).toBe(`[${v.host}-vlan10]`);
    expect(cli.toTop().prompt).toBe(`<${v.host}>`);
    expect(cli.execute('quit')).toMatchObject({ close: true });
  });
});

describe('Huawei-family helpers', () => {
  it('parses VLAN lists', () => {
    expect(parseVlanList(['10', '20', 'to', '22'])).toEqual([10, 20, 21, 22]);
    expect(parseVlanList(['0'])).toBeUndefined();
    expect(parseVlanList(['10', 'to'])).toBeUndefined();
  });
});
