import { useTranslations } from 'next-intl';
import type { PolicyAction } from '@/lib/policy/rules';

const STYLE: Record<PolicyAction, string> = {
  allow:
    'border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300',
  deny: 'border-red-200 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950/60 dark:text-red-300',
  confirm:
    'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200',
  approve:
    'border-violet-200 bg-violet-50 text-violet-800 dark:border-violet-800 dark:bg-violet-950/60 dark:text-violet-300',
};

/** A rule's or a decision's action as a word in its colour; `data-action` keeps the raw value. */
export function ActionBadge({ action }: { action: PolicyAction }) {
  const t = useTranslations('policies.actions');
  return (
    <span
      className={`inline-block rounded border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${STYLE[action]}`}
      data-action={action}
    >
      {t(action)}
    </span>
  );
}

/** A small grey word beside a rule's name (built-in, disabled, notifies admins, regex). */
export function Tag({ children, testId }: { children: string; testId?: string }) {
  return (
    <span
      className="inline-block rounded border border-slate-200 bg-slate-100 px-1.5 py-0.5 text-xs whitespace-nowrap text-slate-700 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300"
      data-testid={testId}
    >
      {children}
    </span>
  );
}
