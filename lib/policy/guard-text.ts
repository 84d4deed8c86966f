import { createTranslator } from 'use-intl/core';
import { MESSAGES } from '../../messages';
import { DEFAULT_LOCALE, isLocale, type AppLocale } from '../i18n/config';
import type { ApprovalAnswer } from './approvals';
import type { Decision, PolicyAction } from './rules';

/** An approval that ended without running the command, before its English `reason` is written. */
export type Refusal = Omit<Extract<ApprovalAnswer, { approved: false }>, 'approved' | 'reason'>;

/**
 * What the guard rails say, in the language of the session's owner (the one who types; observers and
 * the recording see the same line). The rule's own name and the command stay as they were written.
 * English (`guardText()`) is also what decisions and approvals carry as their `reason`, for the audit
 * trail, tasks and the API, so each sentence is written once, in messages/<locale>/terminal.json.
 */
export interface GuardText {
  /** Why `action` was decided on `command`: the rule that decided, or the default for the user's role. */
  decision(action: PolicyAction, command: string, rule: string | null): string;
  /** `decision` for a decision taken (its `reason` is English; this is it in the owner's language). */
  reason(decision: Decision): string;
  /** Why an approval ended without running the command. */
  refusal(answer: Refusal): string;
  /** `reason`, and that what came after the line was dropped too when it was. */
  withRest(reason: string, dropped: boolean): string;
  failed(error: string): string;
  unreadable(): string;
  /** The line is wider than the terminal and IOS scrolled its start out of view. */
  wideLine(): string;
  /** Command mode: the terminal is not at a prompt where a command could be typed. */
  commandNotAtPrompt(): string;
  /** Command mode: something is typed at the prompt already (it would run with the command). */
  commandTyped(line: string): string;
  /** Command mode: the guard rails did not allow the command (confirm and approve need the terminal). */
  commandRefused(decision: Decision): string;
  notAtPrompt(): string;
  /** The device did not answer keys edited on the line within `ms`: the screen cannot show the line. */
  noEcho(ms: number): string;
  notSent(reason: string): string;
  confirm(reason: string, device: string): string;
  deviceName(): string;
  cancelled(line: string): string;
  notConfirmed(line: string): string;
  noApprovals(reason: string): string;
  waiting(reason: string): string;
  approved(by: string, line: string): string;
  notCleared(notice: string): string;
}

const cache = new Map<AppLocale, GuardText>();

export function guardText(locale: AppLocale = DEFAULT_LOCALE): GuardText {
  const known = cache.get(locale);
  if (known) return known;
  const t = createTranslator({
    locale,
    messages: MESSAGES[locale],
    namespace: 'terminal.guardNotice',
  });
  const decision: GuardText['decision'] = (action, command, rule) => {
    if (rule !== null) return t('rule', { rule, action, command });
    return action === 'deny' ? t('readOnly', { command }) : t('allowed', { command });
  };
  const text: GuardText = {
    decision,
    reason: (d) => decision(d.action, d.command, d.rule?.name ?? null),
    refusal: (a) => {
      switch (a.code) {
        case 'rejected':
          if (!a.by) return t('rejected');
          return a.note ? t('rejectedByNote', { by: a.by, note: a.note }) : t('rejectedBy', { by: a.by });
        case 'expired': {
          const ms = a.timeoutMs ?? 0;
          const within =
            ms >= 60_000
              ? t('minutes', { n: Math.round(ms / 60_000) })
              : t('seconds', { n: Math.round(ms / 1000) });
          return t('expired', { within });
        }
        case 'withdrawn':
          return t('withdrawn');
        case 'no_approver':
          return t('noApprover');
      }
    },
    withRest: (reason, dropped) => (dropped ? `${reason} ${t('rest')}` : reason),
    failed: (error) => t('failed', { error }),
    unreadable: () => t('unreadable'),
    wideLine: () => t('wideLine'),
    commandNotAtPrompt: () => t('commandNotAtPrompt'),
    commandTyped: (line) => t('commandTyped', { line }),
    commandRefused: (d) => {
      const reason = text.reason(d);
      if (d.action === 'confirm') return t('notSent', { reason: `${reason} ${t('commandConfirm')}` });
      if (d.action === 'approve') return t('notSent', { reason: `${reason} ${t('commandApprove')}` });
      return t('notSent', { reason });
    },
    notAtPrompt: () => t('notAtPrompt'),
    noEcho: (ms) => t('noEcho', { within: t('seconds', { n: Math.round(ms / 1000) }) }),
    notSent: (reason) => t('notSent', { reason }),
    confirm: (reason, device) => t('confirm', { reason, device }),
    deviceName: () => t('deviceName'),
    cancelled: (line) => t('cancelled', { line }),
    notConfirmed: (line) => t('notConfirmed', { line }),
    noApprovals: (reason) => t('noApprovals', { reason }),
    waiting: (reason) => t('waiting', { reason }),
    approved: (by, line) => t('approved', { by, line }),
    notCleared: (notice) => t('notCleared', { notice }),
  };
  cache.set(locale, text);
  return text;
}

/**
 * Why the guard rails refuse a task, a template run or a schedule (lib/tasks/guard.ts), as data: the
 * pages say it in their reader's language, the API, the audit and stored reasons in English, from the
 * same sentences (messages/<locale>/tasks.json, `guardRefusal`).
 */
export interface GuardRefusal {
  /**
   * denied / approval: a rule denies a command, or asks for a second person's approval (a task cannot
   * wait for one); confirm: the phrase is needed; unconfirmedTask / unconfirmedSchedule: a command the
   * repeated task, or the schedule's saved confirmation, does not cover.
   */
  kind: 'denied' | 'approval' | 'confirm' | 'unconfirmedTask' | 'unconfirmedSchedule';
  /** The first few commands refused, each on its device, with the rule that decided (null: read-only terminal). */
  items: { command: string; device: string; rule: string | null }[];
  /** How many more were refused besides `items`. */
  more: number;
  /** `confirm`: what to type (the device's name, or `N devices`). */
  phrase?: string;
}

const refusalTranslators = new Map<AppLocale, ReturnType<typeof refusalTranslator>>();
const refusalTranslator = (locale: AppLocale) =>
  createTranslator({ locale, messages: MESSAGES[locale], namespace: 'tasks.guardRefusal' });

/** A guard-rail refusal of a task or schedule in `locale` (English by default). */
export function guardRefusalText(r: GuardRefusal, locale: AppLocale = DEFAULT_LOCALE): string {
  let t = refusalTranslators.get(locale);
  if (!t) refusalTranslators.set(locale, (t = refusalTranslator(locale)));
  const shown = r.items
    .map((i) =>
      i.rule === null
        ? t('itemReadOnly', { command: i.command, device: i.device })
        : t('item', { command: i.command, device: i.device, rule: i.rule }),
    )
    .join(t('separator'));
  const list = r.more > 0 ? t('more', { list: shown, n: r.more }) : shown;
  return r.kind === 'confirm' ? t('confirm', { list, phrase: r.phrase ?? '' }) : t(r.kind, { list });
}

/** `errors` with the guard rails' refusal among them (`guard` in English) said in `locale` instead. */
export function withGuardText<T extends Partial<Record<string, string>>>(
  errors: T,
  guard: GuardRefusal | undefined,
  locale: string,
): T {
  if (!guard || !isLocale(locale) || locale === DEFAULT_LOCALE) return errors;
  const english = guardRefusalText(guard);
  const out: Partial<Record<string, string>> = { ...errors };
  for (const [field, message] of Object.entries(out))
    if (message === english) out[field] = guardRefusalText(guard, locale);
  return out as T;
}
