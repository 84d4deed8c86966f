'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useId, useState, useSyncExternalStore, useTransition } from 'react';
import type { TestStep } from '@/lib/devices/test-connection';
import { formatDuration } from '@/lib/format/duration';
import { testConnectionAction, type TestConnectionResult } from '../actions';
import { skippedStepText } from './panel-text';

const noop = () => () => {};

/** TEST_CONNECTION_TIMEOUT_MS in lib/devices/test-connection.ts (a server module), for the intro. */
const TEST_LIMIT_MS = 20_000;

const MARK: Record<TestStep['status'], { sign: string; className: string }> = {
  ok: { sign: '✓', className: 'text-emerald-700 dark:text-emerald-300' },
  failed: { sign: '✗', className: 'text-red-700 dark:text-red-300' },
  skipped: { sign: '–', className: 'text-slate-500 dark:text-slate-400' },
};

export function TestConnectionPanel({
  deviceId,
  className = 'max-w-3xl',
}: {
  deviceId: string;
  /** Width: the edit page's column (default) or, on the device page, the full width. */
  className?: string;
}) {
  const t = useTranslations('device.testConnection');
  const locale = useLocale();
  const headingId = useId();
  const [running, start] = useTransition();
  const [result, setResult] = useState<TestConnectionResult | null>(null);
  // Until hydrated, a click would do nothing: the button stays disabled instead.
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );

  const run = () => {
    setResult(null);
    start(async () => setResult(await testConnectionAction(deviceId)));
  };
  const failed =
    result && result.error === undefined ? result.steps.find((s) => s.status === 'failed') : undefined;

  return (
    <section className={`card min-w-0 space-y-3 p-4 ${className}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="text-sm font-semibold">
        {t('heading')}
      </h2>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        {t('intro', { limit: formatDuration(TEST_LIMIT_MS, locale) })}
      </p>
      <button
        type="button"
        className="btn-secondary"
        disabled={!hydrated || running}
        aria-busy={running}
        onClick={run}
      >
        {running ? t('running') : t('button')}
      </button>
      {result?.error !== undefined && (
        <div
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm break-words text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-300"
        >
          {result.error}
        </div>
      )}
      {result && result.error === undefined && (
        <div className="space-y-2" data-testid="connection-test">
          <p
            role="status"
            className={`text-sm font-medium ${
              result.ok ? 'text-emerald-700 dark:text-emerald-300' : 'text-red-700 dark:text-red-300'
            }`}
          >
            {result.ok
              ? t('passed')
              : failed
                ? t('failedAt', { step: t(`step.${failed.id}`) })
                : t('failedAtUnknown')}
          </p>
          <ol
            className="divide-y divide-slate-100 rounded-md border border-slate-200 text-sm dark:divide-slate-800 dark:border-slate-700"
            aria-label={t('steps')}
          >
            {result.steps.map((s) => (
              <StepRow key={s.id} step={s} steps={result.steps} />
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}

function StepRow({ step, steps }: { step: TestStep; steps: readonly TestStep[] }) {
  const t = useTranslations('device.testConnection');
  const mark = MARK[step.status];
  const failed = step.status === 'failed';
  const skipped = skippedStepText(step, steps);
  const detail =
    skipped?.key === 'notRunStopped'
      ? t('notRunStopped', { step: t(`step.${skipped.step}`) })
      : skipped?.key === 'notRun'
        ? t('notRun')
        : step.detail;
  return (
    <li
      className={`flex gap-2 px-3 py-2 ${failed ? 'bg-red-50 dark:bg-red-950/40' : ''}`}
      data-testid={`step-${step.id}`}
      data-status={step.status}
    >
      <span
        className={`w-4 shrink-0 text-center font-bold ${mark.className}`}
        role="img"
        aria-label={t(`outcome.${step.status}`)}
      >
        {mark.sign}
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline justify-between gap-2">
          <span
            className={`min-w-0 font-medium break-words ${step.status === 'skipped' ? 'text-slate-500 dark:text-slate-400' : ''}`}
          >
            {t(`step.${step.id}`)}
          </span>
          {step.status !== 'skipped' && (
            <span className="shrink-0 text-xs text-slate-500 tabular-nums dark:text-slate-400">
              {t('ms', { ms: step.ms })}
            </span>
          )}
        </div>
        {failed ? (
          <div role="alert" className="mt-0.5 break-words text-red-800 dark:text-red-300">
            {detail}
          </div>
        ) : (
          <div
            className={`mt-0.5 text-xs break-words ${
              step.status === 'skipped'
                ? 'text-slate-500 dark:text-slate-400'
                : 'text-slate-600 dark:text-slate-300'
            }`}
          >
            {detail}
          </div>
        )}
      </div>
    </li>
  );
}
