import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { INVALID_REQUEST } from '@/lib/actions/args';
import {
  commandOptionsSchema,
  TASK_MAX_COMMANDS,
  TASK_MAX_DEVICES,
  validateTaskForm,
} from '@/lib/tasks/schema';
import { compileUserPattern } from '@/lib/tasks/patterns';
import { CANCELLED_BY_USER_REASON } from '@/lib/tasks/transitions';
import { notRunByGuard } from '@/lib/tasks/guard';
import { guardText } from '@/lib/policy/guard-text';
import { ALL_MESSAGES } from '@/messages';
import { localiseTaskError, recogniseTaskError, type TranslateTaskError } from './task-errors';

function translator(locale: 'en' | 'zh-CN'): TranslateTaskError {
  const errors = (ALL_MESSAGES[locale].tasks as { errors: Record<string, string> }).errors;
  return (key, values) => String(new IntlMessageFormat(errors[key]!, locale).format(values));
}
const en = translator('en');
const zh = translator('zh-CN');

const good = {
  name: 'n',
  commands: 'display version',
  deviceIds: ['d1'],
  concurrency: '10',
  timeoutSeconds: '60',
};

/** Every message the form schema gives for a set of bad fields. */
function formErrors(raw: Record<string, unknown>): string[] {
  const r = validateTaskForm({ ...good, ...raw });
  if (r.ok) throw new Error(`valid: ${JSON.stringify(raw)}`);
  return Object.values(r.errors).filter((m): m is string => typeof m === 'string');
}

// What the task service, its schema and the session say, as the REST API says it.
const SERVER_MESSAGES = [
  ...formErrors({ name: ' ', commands: '', deviceIds: [], concurrency: 'x', timeoutSeconds: 'y' }),
  ...formErrors({ name: 'x'.repeat(101), concurrency: '1.5', timeoutSeconds: '2.5' }),
  ...formErrors({ concurrency: '0', timeoutSeconds: '1' }),
  ...formErrors({ commands: Array.from({ length: 51 }, (_, i) => `c${i}`).join('\n') }),
  ...formErrors({ commands: 'ok\nbad\u001bcommand', failurePatterns: 'ok\n(a)\\1' }),
  ...formErrors({ commands: 'x'.repeat(1001) }),
  ...formErrors({ deviceIds: Array.from({ length: TASK_MAX_DEVICES + 1 }, (_, i) => `d${i}`) }),
  ...formErrors({ failurePatterns: Array.from({ length: 21 }, (_, i) => `p${i}`).join('\n') }),
  ...formErrors({ commandOptions: '{not json' }),
  ...formErrors({ expectOutput: 'x'.repeat(501) }),
  ...formErrors({ commands: '', vendorCommands: '{"acme_os":"show"}' }),
  ...formErrors({ vendorCommands: '{bad' }),
  ...formErrors({ vendorCommands: JSON.stringify({ cisco_ios: 'show ok\nshow\u0007bell' }) }),
  ...formErrors({
    vendorCommands: JSON.stringify({ huawei_vrp: Array.from({ length: 51 }, (_, i) => `c${i}`).join('\n') }),
  }),
  'No commands for Cisco IOS / IOS-XE (cisco_ios) in this task.',
  '1 of the chosen devices does not exist or is not available to you.',
  '3 of the chosen devices do not exist or are not available to you.',
  'You already have 5 tasks queued or running (limit 5). Wait for one to finish or cancel one.',
  'No such task.',
  'The task has already been cancelled.',
  'The task has already finished.',
  'The task is still running.',
  'No device of this task failed.',
  'Your session has ended. Sign in again.',
  'Your role does not allow this.',
  INVALID_REQUEST,
  CANCELLED_BY_USER_REASON,
  'Resumed after a server restart.',
  'The server restarted before the task finished (TASKS_RESUME_ON_START=off).',
  // a device refused as it was about to run, with the decision's reason as the executor stores it
  notRunByGuard('deny', 'reload', guardText().decision('deny', 'reload', 'No reload')),
  notRunByGuard('approve', 'reset saved', guardText().decision('approve', 'reset saved', 'Two people')),
  notRunByGuard('confirm', 'rel', guardText().decision('confirm', 'rel', 'built-in: reload (huawei_vrp)')),
  notRunByGuard('deny', 'system-view', guardText().decision('deny', 'system-view', null)),
];

/** What the per-command options editor checks in the browser. */
function optionMessages(o: unknown): string[] {
  const r = commandOptionsSchema.safeParse(o);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}
const OPTION_MESSAGES = [
  ...optionMessages({ command: 'save', timeoutSeconds: 'x', answers: [{ prompt: ' ', answer: 'y' }] }),
  ...optionMessages({ command: 'save', timeoutSeconds: '1.5' }),
  ...optionMessages({
    command: 'save',
    timeoutSeconds: '0',
    answers: [{ prompt: 'x'.repeat(201), answer: '\u0007' }],
  }),
  ...optionMessages({
    command: 'save',
    answers: Array.from({ length: 6 }, () => ({ prompt: 'a', answer: 'b' })),
  }),
];

describe('task errors in the reader language', () => {
  it('covers a good range of what the server says', () => {
    expect(new Set(SERVER_MESSAGES).size).toBeGreaterThan(25);
    expect(new Set(OPTION_MESSAGES).size).toBeGreaterThan(5);
  });

  for (const message of new Set([...SERVER_MESSAGES, ...OPTION_MESSAGES])) {
    it(`knows "${message.slice(0, 70)}"`, () => {
      expect(recogniseTaskError(message), message).not.toBeNull();
      // English reads exactly as the API says it (numbers grouped: 1001 → 1,001)
      expect(localiseTaskError(message, en)).toBe(message.replace(/\b(\d)(\d{3})\b/g, '$1,$2'));
      const chinese = localiseTaskError(message, zh);
      expect(chinese).not.toBe(message);
      expect(chinese).toMatch(/[\u4e00-\u9fff]/);
    });
  }

  it("puts a run-time guard refusal's reason in the reader's language too, names kept", () => {
    const message = notRunByGuard('deny', 'reload', guardText().decision('deny', 'reload', 'No reload'));
    expect(localiseTaskError(message, zh)).toBe(
      `未运行：防护规则拒绝 «reload»（${guardText('zh-CN').decision('deny', 'reload', 'No reload')}）；未发送任何命令。`,
    );
    // a reason it does not know stays as it came, inside the translated sentence
    expect(localiseTaskError(notRunByGuard('approve', 'x', 'Some new reason.'), zh)).toBe(
      '未运行：«x» 需要另一人审批（Some new reason.）；未发送任何命令。',
    );
  });

  it('keeps the line number and RE2 detail of a bad pattern', () => {
    const bad = compileUserPattern('(a)\\1');
    expect(bad.ok).toBe(false);
    const message = `Line 2: ${bad.ok ? '' : bad.error}`;
    const chinese = localiseTaskError(message, zh);
    expect(chinese.startsWith('第 2 行：无效的匹配规则：')).toBe(true);
    expect(chinese).toContain('\\1');
  });

  it('keeps the vendor and line of a bad per-vendor command', () => {
    const [message] = formErrors({
      vendorCommands: JSON.stringify({ cisco_ios: 'show ok\nshow\u0007bell' }),
    });
    expect(localiseTaskError(message!, zh)).toMatch(/^Cisco .+，第 2 行：命令中不能包含控制字符。$/);
  });

  it("gives the form each vendor list's error without the vendor, in the reader language", () => {
    const r = validateTaskForm({
      ...good,
      vendorCommands: JSON.stringify({
        huawei_vrp: 'display version',
        cisco_ios: 'show ok\nshow\u0007bell',
        generic: Array.from({ length: TASK_MAX_COMMANDS + 1 }, (_, i) => `echo ${i}`).join('\n'),
      }),
    });
    expect(r.ok).toBe(false);
    const vendorErrors = !r.ok ? r.vendorErrors : undefined;
    // the first list in VENDORS order with an error: the form and the API name the same one
    expect(Object.keys(vendorErrors ?? {})).toHaveLength(1);
    expect(vendorErrors?.cisco_ios).toBe('Line 2: Commands cannot contain control characters.');
    expect(localiseTaskError(vendorErrors!.cisco_ios!, zh)).toBe('第 2 行：命令中不能包含控制字符。');
    const tooMany = validateTaskForm({
      ...good,
      vendorCommands: JSON.stringify({
        generic: Array.from({ length: TASK_MAX_COMMANDS + 1 }, (_, i) => `echo ${i}`).join('\n'),
      }),
    });
    expect(!tooMany.ok && tooMany.vendorErrors).toEqual({
      generic: `At most ${TASK_MAX_COMMANDS} commands.`,
    });
    expect(!tooMany.ok && tooMany.errors.vendorCommands).toBe(
      `Generic (Linux / other): at most ${TASK_MAX_COMMANDS} commands.`,
    );
  });

  it('leaves an error about no one list under the vendorCommands field', () => {
    for (const vendorCommands of ['{not json', '{"nokia_sros":"show version"}']) {
      const r = validateTaskForm({ ...good, vendorCommands });
      expect(!r.ok && r.vendorErrors).toBeUndefined();
      expect(!r.ok && r.errors.vendorCommands).toBeTruthy();
    }
  });

  it('shows an unknown message as it came', () => {
    expect(localiseTaskError('Something new went wrong.', zh)).toBe('Something new went wrong.');
  });

  it('says one device and many in English', () => {
    expect(localiseTaskError('1 of the chosen devices does not exist or is not available to you.', en)).toBe(
      '1 of the chosen devices does not exist or is not available to you.',
    );
  });
});
