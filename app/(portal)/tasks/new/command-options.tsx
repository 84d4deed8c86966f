'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { commandOptionsSchema, TASK_MAX_ANSWERS } from '@/lib/tasks/schema';
import { localiseTaskError, type TranslateTaskError } from '../task-errors';

interface AnswerDraft {
  prompt: string;
  answer: string;
}

/** What the user typed for one command, as typed (the server validates it). */
interface OptionsDraft {
  timeout: string;
  answers: AnswerDraft[];
}

const EMPTY: OptionsDraft = { timeout: '', answers: [] };

/** The distinct command lines of the textarea, in order: options belong to a command's text. */
function commandLines(text: string): { command: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const line of text.split(/\r\n?|\n/)) {
    const command = line.trim();
    if (command) counts.set(command, (counts.get(command) ?? 0) + 1);
  }
  return [...counts].map(([command, count]) => ({ command, count }));
}

/** The options of one command as the form schema takes them; null when nothing is set. */
function toOptions(command: string, d: OptionsDraft) {
  // a row the user added and left blank says nothing; one with only an answer is an error to show
  const answers = d.answers.filter((a) => a.prompt.trim() || a.answer);
  if (!d.timeout.trim() && answers.length === 0) return null;
  return { command, ...(d.timeout.trim() ? { timeoutSeconds: d.timeout.trim() } : {}), answers };
}

/** The first problem with each field of a command's options, keyed `timeout` or `answers.<i>`. */
function optionErrors(command: string, d: OptionsDraft, tr: TranslateTaskError): Record<string, string> {
  const o = toOptions(command, d);
  const r = o && commandOptionsSchema.safeParse(o);
  const out: Record<string, string> = {};
  if (!r || r.success) return out;
  for (const issue of r.error.issues) {
    const [field, index] = issue.path;
    const key =
      field === 'timeoutSeconds' ? 'timeout' : typeof index === 'number' ? `answers.${index}` : 'answers';
    out[key] ??= localiseTaskError(issue.message, tr);
  }
  return out;
}

/**
 * Per-command options under the commands: each command line (live from the textarea) can have its
 * own timeout and answers to the questions it asks. The inputs are React state outside the form
 * (`form` names no form), so the reset after a submit leaves them as typed; what is sent is the
 * hidden `commandOptions` JSON.
 */
export function CommandOptions({
  commandsText,
  noForm,
  error,
}: {
  commandsText: string;
  noForm: string;
  error?: string;
}) {
  const t = useTranslations('tasks.new.options');
  const tErrors = useTranslations('tasks.errors');
  const tr: TranslateTaskError = (key, values) => tErrors(key, values);
  const [drafts, setDrafts] = useState<Record<string, OptionsDraft>>({});
  const [open, setOpen] = useState(false);
  const [shownError, setShownError] = useState(error);
  // a new error from the server opens the section, so the field it names is in view
  if (error !== shownError) {
    setShownError(error);
    if (error) setOpen(true);
  }
  const panelId = useId();
  const lines = commandLines(commandsText);
  const options = lines.flatMap(({ command }) => toOptions(command, drafts[command] ?? EMPTY) ?? []);
  const rowErrors = error
    ? Object.fromEntries(
        lines.map(({ command }) => [command, optionErrors(command, drafts[command] ?? EMPTY, tr)]),
      )
    : {};
  const anyRowError = Object.values(rowErrors).some((r) => Object.keys(r).length > 0);
  const change = (command: string, d: OptionsDraft) => setDrafts((all) => ({ ...all, [command]: d }));

  return (
    <div className="rounded-md border border-slate-200 bg-slate-50/60 dark:border-slate-700 dark:bg-slate-800/40">
      <input type="hidden" name="commandOptions" value={options.length ? JSON.stringify(options) : ''} />
      <button
        type="button"
        className="flex w-full flex-wrap items-center gap-x-2 rounded-md px-3 py-2 text-left text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <span
          aria-hidden
          className={`text-xs text-slate-500 transition-transform dark:text-slate-400 ${open ? 'rotate-90' : ''}`}
        >
          ▶
        </span>
        {t('toggle')}
        <span
          className="ml-auto text-xs font-normal text-slate-600 dark:text-slate-400"
          data-testid="command-options-count"
        >
          {options.length === 0 ? t('summaryNone') : t('summary', { count: options.length })}
        </span>
      </button>
      {open && (
        <div
          id={panelId}
          className="space-y-2 border-t border-slate-200 px-3 pt-2 pb-3 dark:border-slate-700"
        >
          {error && !anyRowError && <p className="field-error">{error}</p>}
          {lines.length === 0 ? (
            <p className="text-xs text-slate-600 dark:text-slate-400">{t('typeFirst')}</p>
          ) : (
            <ul className="space-y-2">
              {lines.map(({ command, count }) => (
                <CommandRow
                  key={command}
                  command={command}
                  count={count}
                  draft={drafts[command] ?? EMPTY}
                  errors={rowErrors[command] ?? {}}
                  noForm={noForm}
                  onChange={(d) => change(command, d)}
                />
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function CommandRow({
  command,
  count,
  draft,
  errors,
  noForm,
  onChange,
}: {
  command: string;
  count: number;
  draft: OptionsDraft;
  errors: Record<string, string>;
  noForm: string;
  onChange: (d: OptionsDraft) => void;
}) {
  const t = useTranslations('tasks.new.options');
  const timeoutId = useId();
  const timeoutErrorId = useId();
  const answersErrorId = useId();
  const setAnswer = (i: number, a: AnswerDraft) =>
    onChange({ ...draft, answers: draft.answers.map((x, j) => (j === i ? a : x)) });
  return (
    <li
      className="space-y-2 rounded-md border border-slate-200 bg-white p-2 dark:border-slate-700 dark:bg-slate-900"
      data-command={command}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        {/* at least 9rem for the command: on a phone the timeout moves under it instead of splitting words */}
        <code className="min-w-36 flex-1 font-mono text-xs font-semibold [overflow-wrap:anywhere] text-slate-800 dark:text-slate-100">
          {command}
          {count > 1 && (
            <span className="ml-1 font-sans font-normal text-slate-500 dark:text-slate-400">
              {t('lines', { count })}
            </span>
          )}
        </code>
        <span className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-400">
          <label htmlFor={timeoutId} className="text-xs font-normal text-slate-600 dark:text-slate-400">
            {t('timeout')}
          </label>
          <input
            id={timeoutId}
            form={noForm}
            className="input mt-0 w-28 py-1 text-xs"
            inputMode="numeric"
            placeholder={t('timeoutPlaceholder')}
            aria-label={t('timeoutFor', { command })}
            aria-invalid={!!errors.timeout}
            aria-describedby={errors.timeout ? timeoutErrorId : undefined}
            value={draft.timeout}
            onChange={(x) => onChange({ ...draft, timeout: x.target.value })}
          />
          {t('seconds')}
        </span>
      </div>
      {errors.timeout && (
        <p id={timeoutErrorId} className="field-error sm:text-right">
          {errors.timeout}
        </p>
      )}
      {draft.answers.map((a, i) => (
        <AnswerRow
          key={i}
          command={command}
          index={i}
          value={a}
          error={errors[`answers.${i}`]}
          noForm={noForm}
          onChange={(v) => setAnswer(i, v)}
          onRemove={() => onChange({ ...draft, answers: draft.answers.filter((_, j) => j !== i) })}
        />
      ))}
      {errors.answers && (
        <p id={answersErrorId} className="field-error">
          {errors.answers}
        </p>
      )}
      <button
        type="button"
        className="text-xs font-medium text-sky-700 hover:underline disabled:cursor-not-allowed disabled:text-slate-500 disabled:no-underline dark:text-sky-400 dark:disabled:text-slate-400"
        disabled={draft.answers.length >= TASK_MAX_ANSWERS}
        aria-label={t('addAnswerFor', { command })}
        aria-describedby={errors.answers ? answersErrorId : undefined}
        onClick={() => onChange({ ...draft, answers: [...draft.answers, { prompt: '', answer: '' }] })}
      >
        {draft.answers.length >= TASK_MAX_ANSWERS
          ? t('addAnswerMax', { max: TASK_MAX_ANSWERS })
          : t('addAnswer')}
      </button>
    </li>
  );
}

function AnswerRow({
  command,
  index,
  value,
  error,
  noForm,
  onChange,
  onRemove,
}: {
  command: string;
  index: number;
  value: AnswerDraft;
  error?: string;
  noForm: string;
  onChange: (a: AnswerDraft) => void;
  onRemove: () => void;
}) {
  const t = useTranslations('tasks.new.options');
  const errorId = useId();
  const n = index + 1;
  return (
    <div>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
        <span>{t('whenAsked')}</span>
        <input
          form={noForm}
          className="input mt-0 w-auto min-w-28 flex-1 py-1 font-mono text-xs"
          placeholder="[Y/N]"
          spellCheck={false}
          aria-label={t('questionFor', { n, command })}
          aria-invalid={!!error}
          aria-describedby={error ? errorId : undefined}
          value={value.prompt}
          onChange={(x) => onChange({ ...value, prompt: x.target.value })}
        />
        <span>{t('answer')}</span>
        <input
          form={noForm}
          className="input mt-0 w-20 flex-none py-1 font-mono text-xs"
          placeholder="y"
          spellCheck={false}
          aria-label={t('answerFor', { n, command })}
          aria-invalid={!!error}
          aria-describedby={error ? errorId : undefined}
          value={value.answer}
          onChange={(x) => onChange({ ...value, answer: x.target.value })}
        />
        <button
          type="button"
          className="ml-auto rounded px-1.5 py-0.5 text-slate-500 hover:bg-red-50 hover:text-red-700 dark:text-slate-400 dark:hover:bg-red-950/40 dark:hover:text-red-300"
          aria-label={t('removeAnswerFor', { n, command })}
          title={t('removeAnswer')}
          onClick={onRemove}
        >
          ✕
        </button>
      </div>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
