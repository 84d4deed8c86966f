'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';

export interface LoginQuestionFrame {
  id: string;
  instructions: string;
  prompts: { prompt: string; echo: boolean }[];
  timeout_ms: number;
}

/**
 * A login question the device asks that the stored password cannot answer (a one-time token), put
 * to the person in the tab. Answers go to the device's login only: never logged, never kept.
 */
export function LoginQuestion({
  deviceName,
  question,
  onAnswer,
}: {
  deviceName: string;
  question: LoginQuestionFrame;
  onAnswer(answers: string[] | null): void;
}) {
  const t = useTranslations('terminal.login');
  const [answers, setAnswers] = useState<string[]>(() => question.prompts.map(() => ''));
  function submit(e: FormEvent) {
    e.preventDefault();
    onAnswer(answers);
  }
  return (
    <div className="absolute inset-0 z-10 flex items-center justify-center bg-slate-900/60 p-4 dark:bg-slate-950/70">
      <form
        onSubmit={submit}
        role="dialog"
        aria-modal="true"
        aria-label={t('dialog', { device: deviceName })}
        className="card w-full max-w-sm space-y-3 p-4"
      >
        <h2 className="text-sm font-semibold">{t('heading', { device: deviceName })}</h2>
        {question.instructions && (
          <p className="text-xs text-slate-600 dark:text-slate-300">{question.instructions}</p>
        )}
        {question.prompts.map((p, i) => (
          <div key={i}>
            <label htmlFor={`${question.id}-${i}`}>{p.prompt}</label>
            <input
              id={`${question.id}-${i}`}
              className="input font-mono"
              type={p.echo ? 'text' : 'password'}
              autoComplete="one-time-code"
              autoFocus={i === 0}
              value={answers[i]}
              onChange={(e) => setAnswers((a) => a.map((x, j) => (j === i ? e.target.value : x)))}
            />
          </div>
        ))}
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {t('note', { seconds: Math.round(question.timeout_ms / 1000) })}
        </p>
        <div className="flex justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={() => onAnswer(null)}>
            {t('cancel')}
          </button>
          <button type="submit" className="btn-primary">
            {t('submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
