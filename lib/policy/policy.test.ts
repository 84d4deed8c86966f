import { describe, expect, it } from 'vitest';
import { commandsOf, predictModes } from './cli';
import { BUILTIN_RULES } from './defaults';
import { compileRegex, compileWords, normaliseLine, patternMatches } from './match';
import { compileRules, decide, mayRestrict, type PolicyActor } from './rules';
import { policyRule } from './rule-fixture';

const rules = compileRules(
  BUILTIN_RULES.map((r, i) => ({ ...r, id: `b${i}`, enabled: true, userIds: [], teamIds: [], groupIds: [] })),
);
const operator: PolicyActor = { userId: 'u1', role: 'operator', teamIds: [] };
const viewer: PolicyActor = { userId: 'u2', role: 'viewer', teamIds: [] };
const admin: PolicyActor = { userId: 'u3', role: 'admin', teamIds: [] };
const at = (vendor: string) => ({ vendor, groupIds: [] });

describe('the abbreviation matcher, per vendor', () => {
  // [vendor, line typed, action for an operator with the built-in rules]
  const table: [string, string, string][] = [
    ['huawei_vrp', 'reboot', 'confirm'],
    ['huawei_vrp', 'reb', 'confirm'],
    ['huawei_vrp', 'REBOOT fast', 'confirm'],
    ['huawei_vrp', 'res sa', 'confirm'],
    ['huawei_vrp', 'reset saved-configuration', 'confirm'],
    ['huawei_vrp', 'reset counters interface', 'allow'],
    ['huawei_vrp', 'startup saved-configuration vrpcfg.zip', 'confirm'],
    ['huawei_vrp', 'del flash:/vrpcfg.zip', 'confirm'],
    ['huawei_vrp', 'dis cu | include reboot', 'allow'],
    ['huawei_vrp', 'display current-configuration', 'allow'],
    ['huawei_vrp', 'undo stelnet server enable', 'confirm'],
    ['huawei_vrp', 'undo int MEth0/0/1', 'confirm'],
    ['huawei_vrp', 'undo interface Vlanif10', 'allow'],
    ['huawei_vrp', '   reboot   ', 'confirm'],
    ['huawei_vrp', 'r\u0435boot', 'confirm'], // Cyrillic е
    ['huawei_vrp', 'ｒｅｂｏｏｔ', 'confirm'], // full-width
    ['huawei_vrp', 're\u200bboot', 'confirm'], // zero-width space
    ['h3c_comware', 'reboot', 'confirm'],
    ['cisco_ios', 'reload', 'confirm'],
    ['cisco_ios', 'rel in 5', 'confirm'],
    ['cisco_ios', 'RELOAD', 'confirm'],
    ['cisco_ios', 'wr e', 'confirm'],
    ['cisco_ios', 'wr mem', 'allow'],
    ['cisco_ios', 'write', 'allow'],
    ['cisco_ios', 'erase startup-config', 'confirm'],
    ['cisco_ios', 'do reload', 'confirm'],
    ['cisco_ios', 'alias exec rl reload', 'confirm'],
    ['cisco_ios', 'alias exec sr show running-config', 'allow'],
    ['cisco_ios', 'sh run | i reload', 'allow'],
    ['cisco_ios', 'configure replace flash:old.cfg', 'confirm'],
    ['cisco_ios', 'conf t', 'allow'],
    ['cisco_nxos', 'reload', 'confirm'],
    ['juniper_junos', 'request system reboot', 'confirm'],
    ['juniper_junos', 'req sys reb', 'confirm'],
    ['juniper_junos', 'run request system reboot', 'confirm'],
    ['juniper_junos', 'show version', 'allow'],
    ['generic', 'reboot', 'confirm'],
    ['generic', 'reb', 'allow'], // a shell takes whole words only
    ['generic', 'ls; reboot', 'confirm'],
    ['generic', 'true && sudo -n reboot', 'confirm'],
    ['generic', 'echo $(reboot)', 'confirm'],
    ['generic', 'FOO=1 /sbin/reboot', 'allow'], // a path is another word (an admin adds `*/reboot` if wanted)
    ['generic', 'mkfs.ext4 /dev/sdb1', 'confirm'],
    ['generic', 'uname -a', 'allow'],
  ];
  it.each(table)('%s: «%s» → %s', (vendor, line, action) => {
    expect(decide(rules, line, operator, at(vendor), 'exec').action).toBe(action);
  });

  it('names the rule and the command that decided', () => {
    const d = decide(rules, 'rel', operator, at('cisco_ios'), 'exec');
    expect(d.rule?.name).toBe('Destructive commands (Cisco IOS family, Arista, Ruijie)');
    expect(d.command).toBe('rel');
    expect(d.reason).toMatch(/asks to confirm «rel»/);
  });

  it('a rule word may name its shortest abbreviation', () => {
    const p = compileWords('dis(play) version');
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(patternMatches(p.pattern, 'dis ver', true)).toBe(true);
    expect(patternMatches(p.pattern, 'di ver', true)).toBe(false);
    expect(patternMatches(p.pattern, 'display version', false)).toBe(true);
    expect(patternMatches(p.pattern, 'disp version', false)).toBe(false);
  });

  it('`*` is one word in the middle and any words at the end; a word with `*` is a glob', () => {
    const p = compileWords('undo * shutdown');
    const g = compileWords('delete flash:*');
    if (!p.ok || !g.ok) throw new Error('compile');
    expect(patternMatches(p.pattern, 'undo port shutdown', true)).toBe(true);
    expect(patternMatches(p.pattern, 'undo shutdown', true)).toBe(false);
    expect(patternMatches(g.pattern, 'delete flash:/a.cfg', true)).toBe(true);
    expect(patternMatches(g.pattern, 'delete nvram:a', true)).toBe(false);
    expect(compileWords('dis(play').ok).toBe(false);
    expect(compileWords('   ').ok).toBe(false);
  });
});

describe('regular expressions in rules', () => {
  it('runs on RE2 (case-insensitive) and refuses what RE2 cannot run or what nests repetition', () => {
    const r = compileRegex('^reload( |$)');
    if (!r.ok) throw new Error(r.error);
    expect(patternMatches(r.pattern, 'RELOAD in 5', true)).toBe(true);
    expect(compileRegex('(a+)+$')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Nested repetition/),
    });
    expect(compileRegex('(\\w*)*x').ok).toBe(false);
    expect(compileRegex('(x|y{1,})+').ok).toBe(false);
    expect(compileRegex('(?<=a)b')).toMatchObject({ ok: false, error: expect.stringMatching(/RE2/) });
    expect(compileRegex('(a)\\1').ok).toBe(false);
    expect(compileRegex('[').ok).toBe(false);
    expect(compileRegex('x'.repeat(501)).ok).toBe(false);
    expect(compileRegex('(ab)+c').ok).toBe(true);
    expect(compileRegex('[(a+)]+').ok).toBe(true);
  });

  it('stays linear on a hostile line', () => {
    const r = compileRegex('^(a|aa)*b');
    if (!r.ok) throw new Error(r.error);
    const t0 = performance.now();
    expect(patternMatches(r.pattern, 'a'.repeat(4000), true)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('rule order, scope and roles', () => {
  const rule = policyRule;

  it('the first rule that matches decides', () => {
    const rs = compileRules([
      rule({ name: 'allow mine', action: 'allow', userIds: ['u1'] }),
      rule({ name: 'deny all' }),
    ]);
    expect(decide(rs, 'reload', operator, at('cisco_ios'), 'exec').action).toBe('allow');
    expect(decide(rs, 'reload', admin, at('cisco_ios'), 'exec').rule?.name).toBe('deny all');
  });

  it('scopes by vendor, group, team, role and mode; a disabled rule never decides', () => {
    const rs = compileRules([
      rule({ name: 'g', groupIds: ['core'], action: 'approve' }),
      rule({ name: 't', teamIds: ['noc'], action: 'confirm' }),
      rule({ name: 'cfg', modes: ['config'], patterns: ['no *'] }),
      rule({ name: 'off', enabled: false, patterns: ['show *'] }),
    ]);
    expect(decide(rs, 'reload', operator, { vendor: 'cisco_ios', groupIds: ['core'] }, 'exec').action).toBe(
      'approve',
    );
    expect(decide(rs, 'reload', { ...operator, teamIds: ['noc'] }, at('cisco_ios'), 'exec').action).toBe(
      'confirm',
    );
    expect(decide(rs, 'reload', operator, at('cisco_ios'), 'exec').action).toBe('allow');
    expect(decide(rs, 'no shutdown', operator, at('cisco_ios'), 'config').action).toBe('deny');
    expect(decide(rs, 'no shutdown', operator, at('cisco_ios'), 'exec').action).toBe('allow');
    // not knowing the mode never lets an allow through, always lets a restriction apply
    expect(decide(rs, 'no shutdown', operator, at('cisco_ios'), null).action).toBe('deny');
    expect(decide(rs, 'show version', operator, at('cisco_ios'), 'exec').action).toBe('allow');
  });

  it('the strictest decision among the commands of one line wins', () => {
    const rs = compileRules([
      rule({ name: 'c', patterns: ['ls'], action: 'confirm' }),
      rule({ name: 'd', patterns: ['reboot'] }),
    ]);
    expect(decide(rs, 'ls && reboot', operator, at('generic'), 'exec').rule?.name).toBe('d');
    expect(decide(rs, 'reboot; ls', operator, at('generic'), 'exec').rule?.name).toBe('d');
  });

  it('viewers get a read-only terminal: display and show in the login mode, nothing else', () => {
    expect(decide(rules, 'display version', viewer, at('huawei_vrp'), 'exec').action).toBe('allow');
    expect(decide(rules, 'dis int br', viewer, at('huawei_vrp'), 'exec').action).toBe('allow');
    expect(decide(rules, 'sh ver', viewer, at('cisco_ios'), 'user').action).toBe('allow');
    expect(decide(rules, 'ping 10.0.0.1', viewer, at('cisco_ios'), 'user').action).toBe('allow');
    expect(decide(rules, 'system-view', viewer, at('huawei_vrp'), 'exec').action).toBe('deny');
    expect(decide(rules, 'sys', viewer, at('huawei_vrp'), 'exec').action).toBe('deny');
    expect(decide(rules, 'enable', viewer, at('cisco_ios'), 'user').action).toBe('deny');
    expect(decide(rules, 'display version', viewer, at('huawei_vrp'), 'config').action).toBe('deny');
    // without any rule a viewer may still run nothing
    expect(decide([], 'display version', viewer, at('huawei_vrp'), 'exec').action).toBe('deny');
    expect(decide([], '', viewer, at('huawei_vrp'), 'exec').action).toBe('allow');
  });

  it('admins are not held by the operators’ defaults; mayRestrict says when lines need judging', () => {
    expect(decide(rules, 'reload', admin, at('cisco_ios'), 'exec').action).toBe('allow');
    expect(mayRestrict(rules, admin, at('cisco_ios'))).toBe(false);
    expect(mayRestrict(rules, operator, at('cisco_ios'))).toBe(true);
    expect(mayRestrict([], viewer, at('cisco_ios'))).toBe(true);
  });
});

describe('lines, modes and commands', () => {
  it('normalises white space, control characters and look-alikes', () => {
    expect(normaliseLine('  \tre\u200bl\u043eAD\x00 in  5 ')).toBe('reloAD in 5');
  });

  it('splits a line into the commands it runs', () => {
    expect(commandsOf('cisco_ios', 'do reload in 5', 'config')).toEqual([
      { command: 'do reload in 5', mode: 'config' },
      { command: 'reload in 5', mode: 'exec' },
    ]);
    expect(commandsOf('huawei_vrp', 'display cu | include x', 'exec')).toEqual([
      { command: 'display cu', mode: 'exec' },
    ]);
    expect(commandsOf('generic', 'a | b && sudo -u root c', 'exec').map((c) => c.command)).toEqual([
      'a',
      'b',
      'sudo -u root c',
      'c',
    ]);
  });

  it('predicts the mode of each command of a task', () => {
    expect(
      predictModes('huawei_vrp', ['display version', 'sys', 'vlan 10', 'quit', 'return', 'save']),
    ).toEqual(['exec', 'exec', 'config', 'config', null, 'exec']);
    expect(predictModes('cisco_ios', ['conf t', 'int g0/1', 'end', 'reload'])).toEqual([
      'exec',
      'config',
      'config',
      'exec',
    ]);
  });
});
