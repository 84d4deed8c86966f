'use client';

import { useState, useSyncExternalStore, useTransition } from 'react';
import type { TestStep } from '@/lib/devices/test-connection';
import { testConnectionAction, type TestConnectionResult } from '../actions';

const noop = () => () => {};

const MARK: Record<TestStep['status'], { sign: string; className: string; word: string }> = {
  ok: { sign: '✓', className: 'text-emerald-700', word: 'passed' },
  failed: { sign: '✗', className: 'text-red-700', word: 'failed' },
  skipped: { sign: '–', className: 'text-slate-400', word: 'skipped' },
};

export function TestConnectionPanel({ deviceId }: { deviceId: string }) {
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

  return (
    <section className="card max-w-3xl space-y-3 p-4" aria-label="Test connection">
      <h2 className="text-sm font-semibold">Test connection</h2>
      <p className="text-xs text-slate-500">
        Logs in as you, step by step, and stops at the first step that fails; at most 20 s. A host key seen
        for the first time is not trusted: it shows under SSH host key for you to accept.
      </p>
      <button
        type="button"
        className="btn-secondary"
        disabled={!hydrated || running}
        aria-busy={running}
        onClick={run}
      >
        {running ? 'Testing…' : 'Test connection'}
      </button>
      {result?.error !== undefined && (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {result.error}
        </div>
      )}
      {result && result.error === undefined && (
        <div className="space-y-2" data-testid="connection-test">
          <p
            role="status"
            className={`text-sm font-medium ${result.ok ? 'text-emerald-700' : 'text-red-700'}`}
          >
            {result.ok
              ? 'Every step passed.'
              : `Failed at ${result.steps.find((s) => s.status === 'failed')?.label ?? 'a step'}.`}
          </p>
          <ol className="divide-y divide-slate-100 rounded-md border border-slate-200 text-sm">
            {result.steps.map((s) => (
              <StepRow key={s.id} step={s} />
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}

function StepRow({ step }: { step: TestStep }) {
  const mark = MARK[step.status];
  const failed = step.status === 'failed';
  return (
    <li
      className={`flex gap-2 px-3 py-2 ${failed ? 'bg-red-50' : ''}`}
      data-testid={`step-${step.id}`}
      data-status={step.status}
    >
      <span className={`w-4 shrink-0 text-center font-bold ${mark.className}`} aria-label={mark.word}>
        {mark.sign}
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline justify-between gap-2">
          <span className={`font-medium ${step.status === 'skipped' ? 'text-slate-500' : ''}`}>
            {step.label}
          </span>
          {step.status !== 'skipped' && (
            <span className="shrink-0 text-xs text-slate-500 tabular-nums">{step.ms} ms</span>
          )}
        </div>
        {failed ? (
          <div role="alert" className="mt-0.5 text-red-800 break-words">
            {step.detail}
          </div>
        ) : (
          <div
            className={`mt-0.5 text-xs break-words ${step.status === 'skipped' ? 'text-slate-400' : 'text-slate-600'}`}
          >
            {step.detail}
          </div>
        )}
      </div>
    </li>
  );
}
