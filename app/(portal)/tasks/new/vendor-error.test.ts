import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { TASK_MAX_COMMAND_CHARS, TASK_MAX_COMMANDS, validateTaskForm } from '@/lib/tasks/schema';
import { ALL_MESSAGES } from '@/messages';
import { localiseTaskError, type TranslateTaskError } from '../task-errors';
import { vendorOfError } from './vendor-error';

const good = { name: 'n', commands: '', deviceIds: ['d1'], concurrency: '10', timeoutSeconds: '60' };

/** The schema's own message for these per-vendor lists (so a change of its wording fails here). */
function vendorError(lists: Record<string, string>): string {
  const r = validateTaskForm({ ...good, vendorCommands: JSON.stringify(lists) });
  if (r.ok) throw new Error('valid');
  return r.errors.vendorCommands!;
}

function translator(locale: 'en' | 'zh-CN'): TranslateTaskError {
  const errors = (ALL_MESSAGES[locale].tasks as { errors: Record<string, string> }).errors;
  return (key, values) => String(new IntlMessageFormat(errors[key]!, locale).format(values));
}

describe('vendorOfError', () => {
  it('places a bad line under its vendor, the line kept', () => {
    const message = vendorError({
      huawei_vrp: 'display version',
      cisco_ios: `show version\n${'x'.repeat(TASK_MAX_COMMAND_CHARS + 1)}`,
    });
    const placed = vendorOfError(message);
    expect(placed).toEqual({
      vendor: 'cisco_ios',
      message: `Line 2: A command may have at most ${TASK_MAX_COMMAND_CHARS} characters.`,
    });
    expect(localiseTaskError(placed!.message, translator('zh-CN'))).toMatch(/^第 2 行：/);
  });

  it('places a list with too many commands under its vendor', () => {
    const message = vendorError({
      generic: Array.from({ length: TASK_MAX_COMMANDS + 1 }, (_, i) => `echo ${i}`).join('\n'),
    });
    const placed = vendorOfError(message);
    expect(placed).toEqual({ vendor: 'generic', message: `At most ${TASK_MAX_COMMANDS} commands.` });
    expect(localiseTaskError(placed!.message, translator('en'))).toBe(
      `At most ${TASK_MAX_COMMANDS} commands.`,
    );
  });

  it('leaves messages about no one list where they are', () => {
    expect(vendorOfError(vendorError({ nokia_sros: 'show version' }))).toBeNull();
    const r = validateTaskForm({ ...good, vendorCommands: '{not json' });
    expect(r.ok).toBe(false);
    expect(vendorOfError(!r.ok ? r.errors.vendorCommands! : '')).toBeNull();
  });
});
