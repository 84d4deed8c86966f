import { describe, expect, it } from 'vitest';
import { compileRules, decide, type Decision, type PolicyRule } from '../policy/rules';
import { guardText } from './guard-text';

const rule = (over: Partial<Decision> = {}): Decision => ({
  action: 'deny',
  rule: { id: 'r1', name: 'No reboots', notify: false },
  command: 'reboot',
  mode: null,
  reason: '',
  ...over,
});

describe('guard rails text in English (the reference the tests and the audit read)', () => {
  const t = guardText('en');

  it('says which rule decided, as the decision itself does', () => {
    expect(t.reason(rule())).toBe('Rule «No reboots» denies «reboot».');
    expect(t.reason(rule({ action: 'confirm' }))).toBe('Rule «No reboots» asks to confirm «reboot».');
    expect(t.reason(rule({ action: 'approve' }))).toBe('Rule «No reboots» needs approval for «reboot».');
    expect(t.reason(rule({ rule: null }))).toBe(
      '«reboot» is not a read-only command, and viewers may only run those.',
    );
  });

  it('prints the lines the terminal showed before it spoke other languages', () => {
    const reason = t.reason(rule());
    expect(t.notSent(t.withRest(reason, true))).toBe(
      'Not sent: Rule «No reboots» denies «reboot». The rest of what was typed or pasted after it was not sent.',
    );
    expect(t.confirm(t.withRest(reason, false), 'core-01')).toBe(
      'Rule «No reboots» denies «reboot». Type core-01 and press Enter to run it; anything else cancels.',
    );
    expect(t.deviceName()).toBe('Device name:');
    expect(t.cancelled('reboot')).toBe('Cancelled: «reboot» was not sent.');
    expect(t.notConfirmed('reboot')).toBe(
      'Not confirmed (the device name did not match): «reboot» was not sent.',
    );
    expect(t.waiting(reason)).toBe(`${reason} Waiting for approval; Ctrl+C withdraws the request.`);
    expect(t.approved('admin', 'save')).toBe('Approved by admin: running «save».');
    expect(t.failed('boom')).toBe('The guard rails failed on this line (boom); it was not sent.');
  });

  it('says why an approval ended, by its code', () => {
    const no = { approved: false as const, reason: 'English reason.' };
    expect(t.refusal({ ...no, code: 'rejected', by: 'admin' })).toBe('Rejected by admin.');
    expect(t.refusal({ ...no, code: 'rejected' })).toBe('English reason.');
    expect(t.refusal({ ...no, code: 'expired', timeoutMs: 120_000 })).toBe(
      'No one approved it within 2 min; it was discarded.',
    );
    expect(t.refusal({ ...no, code: 'expired', timeoutMs: 30_000 })).toBe(
      'No one approved it within 30 s; it was discarded.',
    );
    expect(t.refusal({ ...no, code: 'withdrawn' })).toBe('The request was withdrawn.');
    expect(t.refusal({ ...no, code: 'no_approver' })).toBe(
      'Nobody may approve commands on this device; it was discarded.',
    );
  });

  it("matches the decision's own reason for every action a rule can take", () => {
    for (const action of ['deny', 'confirm', 'approve'] as const) {
      const policy: PolicyRule = {
        id: `r-${action}`,
        name: `Rule for ${action}`,
        enabled: true,
        matchKind: 'words',
        patterns: ['reboot'],
        action,
        notify: false,
        vendors: [],
        groupIds: [],
        userIds: [],
        teamIds: [],
        roles: [],
        modes: [],
        builtin: null,
      };
      const d = decide(
        compileRules([policy]),
        'reboot',
        { userId: 'u', role: 'operator', teamIds: [] },
        { vendor: 'huawei_vrp', groupIds: [] },
        null,
      );
      expect(d.action).toBe(action);
      expect(t.reason(d)).toBe(d.reason);
    }
  });
});

describe('guard rails text in Chinese', () => {
  const t = guardText('zh-CN');

  it('keeps the rule name and the command as written, around Chinese text', () => {
    expect(t.notSent(t.reason(rule()))).toBe('未发送：规则 «No reboots» 禁止 «reboot»。');
    expect(t.confirm(t.reason(rule({ action: 'confirm' })), 'core-01')).toBe(
      '规则 «No reboots» 要求确认 «reboot»。 输入 core-01 并按 Enter 执行；输入其他内容则取消。',
    );
    expect(t.deviceName()).toBe('设备名称：');
    expect(t.refusal({ approved: false, reason: 'x', code: 'expired', timeoutMs: 120_000 })).toBe(
      '2 分钟内无人批准，已丢弃。',
    );
  });
});
