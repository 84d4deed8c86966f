import { describe, expect, it } from 'vitest';
import {
  applyBackspaces,
  ciscoIos,
  cleanOutput,
  generic,
  huaweiVrp,
  outputIsError,
  stripAnsi,
} from './index';

describe('prompt recognition', () => {
  it('recognises VRP prompts in every view, only at the end', () => {
    for (const p of [
      '<lab-vrp-01>',
      '[lab-vrp-01]',
      '[lab-vrp-01-GigabitEthernet0/0/1]',
      '[~HUAWEI]',
      'x\r\n<SW1>',
    ])
      expect(huaweiVrp.prompt.test(p), p).toBe(true);
    for (const p of ['<lab-vrp-01>\r\n', 'interface <x> desc', 'Error: foo'])
      expect(huaweiVrp.prompt.test(p), p).toBe(false);
  });
  it('recognises IOS prompts', () => {
    for (const p of [
      'lab-ios-01>',
      'lab-ios-01#',
      'lab-ios-01(config)#',
      'lab-ios-01(config-if)#',
      'out\r\nR1#',
    ])
      expect(ciscoIos.prompt.test(p), p).toBe(true);
    for (const p of ['R1#\r\n', ' --More-- ']) expect(ciscoIos.prompt.test(p), p).toBe(false);
  });
  it('recognises shell prompts', () => {
    for (const p of ['user@host:~$ ', 'root@box:/# ', 'bash-5.2$ '])
      expect(generic.prompt.test(p), p).toBe(true);
  });
  it('recognises pagers at the end', () => {
    expect(huaweiVrp.pager.test('line\r\n  ---- More ----')).toBe(true);
    expect(ciscoIos.pager.test('line\r\n --More-- ')).toBe(true);
    expect(ciscoIos.pager.test(' --More-- \r\nline')).toBe(false);
  });
});

describe('output clean-up', () => {
  it('removes echo, VRP pager with its erase sequence, and the trailing prompt', () => {
    const raw =
      'display current-configuration\r\n#\r\n sysname lab-vrp-01\r\n  ---- More ----\x1b[16D                \x1b[16D vlan batch 10 20\r\n#\r\nreturn\r\n<lab-vrp-01>';
    expect(cleanOutput(huaweiVrp, raw, 'display current-configuration')).toBe(
      '#\n sysname lab-vrp-01\n vlan batch 10 20\n#\nreturn',
    );
  });
  it('removes the IOS pager and its backspace erase', () => {
    const raw =
      'show running-config\r\nBuilding configuration...\r\n --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bhostname R1\r\nend\r\nR1#';
    expect(cleanOutput(ciscoIos, raw, 'show running-config')).toBe(
      'Building configuration...\nhostname R1\nend',
    );
  });
  it('applies backspaces and strips colours', () => {
    expect(applyBackspaces('shw\b\bhow')).toBe('show');
    expect(applyBackspaces('a\n\bb')).toBe('a\nb');
    expect(stripAnsi('\x1b[1;32mOK\x1b[0m \x1b]0;title\x07done')).toBe('OK done');
  });
  it('flags device errors', () => {
    expect(
      outputIsError(huaweiVrp, "              ^\nError: Unrecognized command found at '^' position."),
    ).toBe(true);
    expect(outputIsError(ciscoIos, "        ^\n% Invalid input detected at '^' marker.")).toBe(true);
    expect(outputIsError(huaweiVrp, 'Huawei Versatile Routing Platform Software')).toBe(false);
  });
});
