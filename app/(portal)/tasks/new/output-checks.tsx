import { useTranslations } from 'next-intl';
import { TASK_MAX_FAILURE_PATTERNS } from '@/lib/tasks/schema';
import { describedBy } from './described-by';

/** The task's own idea of failure and success, beside the vendor driver's error messages. */
export function OutputChecks({
  values,
  errors,
}: {
  values?: { failurePatterns: string; expectOutput: string };
  errors?: { failurePatterns?: string; expectOutput?: string };
}) {
  const t = useTranslations('tasks.new');
  return (
    <>
      <div>
        <label htmlFor="failurePatterns">{t('failurePatterns')}</label>
        <textarea
          id="failurePatterns"
          name="failurePatterns"
          rows={3}
          className="input font-mono text-xs"
          placeholder={'(?i)^error:\n% Not permitted'}
          spellCheck={false}
          defaultValue={values?.failurePatterns}
          aria-invalid={!!errors?.failurePatterns}
          aria-describedby={describedBy(
            errors?.failurePatterns && 'failurePatterns-error',
            'failurePatterns-help',
          )}
        />
        {errors?.failurePatterns && (
          <p id="failurePatterns-error" className="field-error [overflow-wrap:anywhere]">
            {errors.failurePatterns}
          </p>
        )}
        <p id="failurePatterns-help" className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {t.rich('failurePatternsHelp', {
            max: TASK_MAX_FAILURE_PATTERNS,
            code: (c) => <code className="font-mono">{c}</code>,
          })}
        </p>
      </div>
      <div>
        <label htmlFor="expectOutput">{t('expectOutput')}</label>
        <input
          id="expectOutput"
          name="expectOutput"
          className="input font-mono text-xs"
          placeholder={t('expectOutputPlaceholder')}
          spellCheck={false}
          defaultValue={values?.expectOutput}
          aria-invalid={!!errors?.expectOutput}
          aria-describedby={describedBy(errors?.expectOutput && 'expectOutput-error', 'expectOutput-help')}
        />
        {errors?.expectOutput && (
          <p id="expectOutput-error" className="field-error [overflow-wrap:anywhere]">
            {errors.expectOutput}
          </p>
        )}
        <p id="expectOutput-help" className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {t('expectOutputHelp')}
        </p>
      </div>
    </>
  );
}
