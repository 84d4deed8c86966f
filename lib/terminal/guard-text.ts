import { createTranslator } from 'use-intl/core';
import { MESSAGES } from '../../messages';
import { DEFAULT_LOCALE, type AppLocale } from '../i18n/config';
import type { ApprovalAnswer } from '../policy/approvals';
import type { Decision } from '../policy/rules';

/**
 * What the guard rails say in a terminal, in the language of the session's owner (the one who types;
 * observers and the recording see the same line). The rule's own name and the command stay as they
 * were written. English is the reference text the tests read.
 */
export interface GuardText {
  /** Why a decision was taken: the rule that decided, or the viewers' read-only rule. */
  reason(decision: Decision): string;
  /** Why an approval ended without running the command. */
  refusal(answer: Extract<ApprovalAnswer, { approved: false }>): string;
  /** `reason`, and that what came after the line was dropped too when it was. */
  withRest(reason: string, dropped: boolean): string;
  failed(error: string): string;
  unreadable(): string;
  notAtPrompt(): string;
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
  const text: GuardText = {
    reason: (d) => {
      if (d.rule) return t('rule', { rule: d.rule.name, action: d.action, command: d.command });
      if (d.action === 'deny') return t('readOnly', { command: d.command });
      return d.reason;
    },
    refusal: (a) => {
      switch (a.code) {
        case 'rejected':
          return a.by ? t('rejectedBy', { by: a.by }) : a.reason;
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
        default:
          return a.reason;
      }
    },
    withRest: (reason, dropped) => (dropped ? `${reason} ${t('rest')}` : reason),
    failed: (error) => t('failed', { error }),
    unreadable: () => t('unreadable'),
    notAtPrompt: () => t('notAtPrompt'),
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
