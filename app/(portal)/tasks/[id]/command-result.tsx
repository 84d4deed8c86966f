import { useTranslations } from 'next-intl';
import type { CommandOutput } from '@/lib/tasks/schema';

/** One command's result on one device: its output, why it failed, or that it never ran. */
export function CommandResult({ result: o }: { result: CommandOutput }) {
  const t = useTranslations('tasks.detail');
  if (o.status === 'not_run')
    return (
      <div
        className="flex flex-wrap items-center gap-2 font-mono text-xs text-slate-600 dark:text-slate-400"
        data-command-status="not_run"
      >
        <span className="[overflow-wrap:anywhere]">$ {o.command}</span>
        <span className="rounded bg-slate-100 px-1.5 py-0.5 font-sans text-[11px] text-slate-600 dark:bg-slate-800 dark:text-slate-300">
          {t('notRun')}
        </span>
      </div>
    );
  const failed = o.status === 'error';
  return (
    <div data-command-status={o.status}>
      <div className="flex flex-wrap items-center gap-x-2 font-mono text-xs font-semibold">
        <span className="[overflow-wrap:anywhere]">
          <span
            className={failed ? 'text-red-600 dark:text-red-400' : 'text-emerald-700 dark:text-emerald-400'}
          >
            $
          </span>{' '}
          {o.command}
        </span>
        {failed && (
          <span className="rounded bg-red-100 px-1.5 py-0.5 font-sans text-[11px] font-medium text-red-800 dark:bg-red-900/50 dark:text-red-200">
            {t('commandError')}
          </span>
        )}
      </div>
      {failed && o.error && (
        <p className="my-1 text-xs break-words text-red-700 dark:text-red-300">{o.error}</p>
      )}
      <pre
        className="max-h-96 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100 dark:bg-slate-950 dark:ring-1 dark:ring-slate-800"
        data-output
        tabIndex={0}
      >
        {o.output || t('emptyOutput')}
      </pre>
    </div>
  );
}
