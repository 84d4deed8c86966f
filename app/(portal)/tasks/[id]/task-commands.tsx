import { useTranslations } from 'next-intl';
import { VENDOR_LABELS, type Vendor } from '@/lib/devices/schema';
import type { CommandSpec } from '@/lib/tasks/schema';
import type { TaskSummary } from '@/lib/tasks/service';

const CHIP =
  'rounded border border-slate-200 bg-white px-1.5 py-0.5 text-[11px] dark:border-slate-700 dark:bg-slate-900';

/** The task's commands as they run on each device (a vendor's own list, or the common one), with their own timeouts and answers, and the checks on their output. */
export function TaskCommands({
  task,
}: {
  task: Pick<TaskSummary, 'steps' | 'vendorSteps' | 'failurePatterns' | 'expectOutput'>;
}) {
  const t = useTranslations('tasks.detail');
  const vendors = Object.entries(task.vendorSteps ?? {}).filter(
    (e): e is [string, CommandSpec[]] => Array.isArray(e[1]) && e[1].length > 0,
  );
  return (
    <div
      className="space-y-2 rounded bg-slate-50 p-2 text-xs dark:bg-slate-800/60"
      data-testid="task-commands"
    >
      {vendors.map(([vendor, steps]) => (
        <div key={vendor} data-vendor={vendor}>
          <p className="mb-1 font-medium text-slate-700 dark:text-slate-300">
            {Object.hasOwn(VENDOR_LABELS, vendor) ? VENDOR_LABELS[vendor as Vendor] : vendor}
          </p>
          <Steps steps={steps} />
        </div>
      ))}
      {task.steps.length > 0 &&
        (vendors.length > 0 ? (
          <div data-vendor="">
            <p className="mb-1 font-medium text-slate-700 dark:text-slate-300">{t('otherVendors')}</p>
            <Steps steps={task.steps} />
          </div>
        ) : (
          <Steps steps={task.steps} />
        ))}
      {task.failurePatterns.length > 0 && (
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1" data-testid="task-failure-patterns">
          <span className="text-slate-600 dark:text-slate-300">{t('failsOn')}</span>
          {task.failurePatterns.map((p, i) => (
            <code
              key={i}
              className={`${CHIP} font-mono [overflow-wrap:anywhere] text-red-700 dark:text-red-300`}
            >
              {p}
            </code>
          ))}
        </div>
      )}
      {task.expectOutput && (
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1" data-testid="task-expect-output">
          <span className="text-slate-600 dark:text-slate-300">{t('mustMatch')}</span>
          <code
            className={`${CHIP} font-mono [overflow-wrap:anywhere] text-emerald-800 dark:text-emerald-300`}
          >
            {task.expectOutput}
          </code>
        </div>
      )}
    </div>
  );
}

function Steps({ steps }: { steps: CommandSpec[] }) {
  const t = useTranslations('tasks.detail');
  return (
    <ol className="space-y-1">
      {steps.map((s, i) => (
        <li key={i} className="flex flex-wrap items-center gap-x-2 gap-y-1" data-command={s.command}>
          <code className="font-mono [overflow-wrap:anywhere] text-slate-900 dark:text-slate-100">
            {s.command}
          </code>
          {s.timeoutSeconds !== undefined && (
            <span className={`${CHIP} text-slate-600 dark:text-slate-300`} data-option="timeout">
              {t('commandTimeout', { seconds: s.timeoutSeconds })}
            </span>
          )}
          {s.answers.map((a, j) => (
            <span
              key={j}
              className={`${CHIP} [overflow-wrap:anywhere] text-slate-600 dark:text-slate-300`}
              data-option="answer"
            >
              {t.rich('asks', {
                prompt: a.prompt,
                code: (c) => <code className="font-mono text-slate-800 dark:text-slate-100">{c}</code>,
                answer: () =>
                  a.answer ? (
                    <code className="font-mono text-slate-800 dark:text-slate-100">{a.answer}</code>
                  ) : (
                    <em>{t('enterKey')}</em>
                  ),
              })}
            </span>
          ))}
        </li>
      ))}
    </ol>
  );
}
