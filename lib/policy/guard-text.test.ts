import { describe, expect, it } from 'vitest';
import { compileRules, decide, type Decision } from './rules';
import { policyRule } from './rule-fixture';
import { guardRefusalText, guardText, withGuardText, type GuardRefusal } from './guard-text';

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
    expect(t.wideLine()).toMatch(/^The line is wider than the terminal/);
  });

  it("refuses command mode's commands, sending confirm and approve to the terminal", () => {
    expect(t.commandTyped('reb')).toBe(
      'Not sent: «reb» is typed at the prompt; clear it in the terminal first.',
    );
    expect(t.commandNotAtPrompt()).toBe(
      'Not sent: the device is not at its prompt (or its screen cannot be read right now).',
    );
    expect(t.commandRefused(rule())).toBe('Not sent: Rule «No reboots» denies «reboot».');
    expect(t.commandRefused(rule({ action: 'confirm' }))).toBe(
      'Not sent: Rule «No reboots» asks to confirm «reboot». Type it in the terminal, where you can confirm it.',
    );
    expect(t.commandRefused(rule({ action: 'approve' }))).toBe(
      'Not sent: Rule «No reboots» needs approval for «reboot». Type it in the terminal, where it can wait for approval.',
    );
  });

  it('says why an approval ended, by its code', () => {
    expect(t.refusal({ code: 'rejected', by: 'admin' })).toBe('Rejected by admin.');
    expect(t.refusal({ code: 'rejected' })).toBe('Rejected by an approver.');
    expect(t.refusal({ code: 'expired', timeoutMs: 120_000 })).toBe(
      'No one approved it within 2 min; it was discarded.',
    );
    expect(t.refusal({ code: 'expired', timeoutMs: 30_000 })).toBe(
      'No one approved it within 30 s; it was discarded.',
    );
    expect(t.refusal({ code: 'withdrawn' })).toBe('The request was withdrawn.');
    expect(t.refusal({ code: 'no_approver' })).toBe(
      'Nobody may approve commands on this device; it was discarded.',
    );
  });

  it("matches the decision's own reason for every action a rule can take", () => {
    for (const action of ['deny', 'confirm', 'approve'] as const) {
      const policy = policyRule({
        id: `r-${action}`,
        name: `Rule for ${action}`,
        patterns: ['reboot'],
        action,
      });
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
    // and when no rule decides: the viewers' read-only default, or nothing to stop
    const user = (role: 'viewer' | 'operator') => ({ userId: 'u', role, teamIds: [] });
    const vrp = { vendor: 'huawei_vrp', groupIds: [] };
    const viewer = decide([], 'reboot', user('viewer'), vrp, null);
    expect(viewer.reason).toBe('«reboot» is not a read-only command, and viewers may only run those.');
    const operator = decide([], 'reboot', user('operator'), vrp, null);
    expect(operator.reason).toBe('«reboot» is allowed.');
    expect(guardText('zh-CN').reason(operator)).toBe('允许 «reboot»。');
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
    expect(t.commandRefused(rule({ action: 'confirm' }))).toBe(
      '未发送：规则 «No reboots» 要求确认 «reboot»。 请在终端中输入，在那里可以确认。',
    );
    expect(t.commandTyped('reb')).toBe('未发送：提示符处已输入 «reb»；请先在终端中清除。');
    expect(t.refusal({ code: 'expired', timeoutMs: 120_000 })).toBe('2 分钟内无人批准，已丢弃。');
  });
});

describe('a task or schedule refused by the guard rails, in each language', () => {
  const items = [
    { command: 'reload', device: 'core-01', rule: 'No reboots' },
    { command: "dis {cur} 'x'", device: 'edge-#2', rule: null },
    { command: 'reset saved', device: 'core-02', rule: 'Keep {configs}' },
    { command: 'reboot', device: 'core-03', rule: 'No reboots' },
  ];
  const refusal = (over: Partial<GuardRefusal> = {}): GuardRefusal => ({
    kind: 'denied',
    items: items.slice(0, 3),
    more: 1,
    ...over,
  });

  it('names each command on its device with its rule, and how many more, in English', () => {
    expect(guardRefusalText(refusal())).toBe(
      "Refused by the guard rails: «reload» on core-01 (rule «No reboots»); «dis {cur} 'x'» on edge-#2 (read-only terminal); «reset saved» on core-02 (rule «Keep {configs}») and 1 more.",
    );
    expect(
      guardRefusalText(refusal({ kind: 'confirm', items: items.slice(0, 1), more: 0, phrase: 'core-01' })),
    ).toBe('Needs confirming: «reload» on core-01 (rule «No reboots»). Type «core-01» to run it.');
    expect(
      guardRefusalText(refusal({ kind: 'unconfirmedSchedule', items: items.slice(0, 1), more: 0 })),
    ).toMatch(
      /, which the schedule's owner did not confirm when saving it\. Save the schedule again to confirm it\.$/,
    );
  });

  it('says every kind in Chinese, with names and commands as they were written', () => {
    for (const kind of ['denied', 'approval', 'confirm', 'unconfirmedTask', 'unconfirmedSchedule'] as const) {
      const zh = guardRefusalText(refusal({ kind, phrase: '3 devices' }), 'zh-CN');
      expect(zh).not.toBe(guardRefusalText(refusal({ kind, phrase: '3 devices' })));
      expect(zh).not.toMatch(/[A-Za-z]{3,} (the|on|to) /); // no English sentence left
      for (const i of items.slice(0, 3)) expect(zh).toContain(`«${i.command}»`);
      expect(zh).toContain('Keep {configs}');
    }
    expect(guardRefusalText(refusal({ kind: 'confirm', phrase: '3 devices' }), 'zh-CN')).toContain(
      '«3 devices»',
    );
  });

  it("replaces a form's English refusal with the reader's language, and nothing else", () => {
    const r = refusal();
    const errors = { commands: guardRefusalText(r), name: 'Give the task a name.' };
    expect(withGuardText(errors, r, 'zh-CN')).toEqual({
      commands: guardRefusalText(r, 'zh-CN'),
      name: 'Give the task a name.',
    });
    expect(withGuardText(errors, r, 'en')).toEqual(errors);
    expect(withGuardText(errors, undefined, 'zh-CN')).toEqual(errors);
    expect(withGuardText(errors, r, 'xx')).toEqual(errors);
    // another refusal's text is not this one's
    expect(withGuardText(errors, refusal({ more: 2 }), 'zh-CN')).toEqual(errors);
  });
});
