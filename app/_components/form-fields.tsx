'use client';

import { useState, type ComponentProps, type ReactNode } from 'react';

/**
 * A label, its input, and the field's error and help tied to the input for screen readers: the input
 * is `aria-invalid` while there is an error and `aria-describedby` names the help and the error.
 */
export function LabelledInput({
  id,
  label,
  error,
  help,
  messageId = id,
  fieldClassName,
  errorTestId,
  ...input
}: Omit<ComponentProps<'input'>, 'id' | 'aria-invalid' | 'aria-describedby'> & {
  id: string;
  label: ReactNode;
  error?: string;
  /** Shown under the field whether or not there is an error. */
  help?: ReactNode;
  /** Ids of the error and the help are `<messageId>-error` and `<messageId>-help`. */
  messageId?: string;
  /** The wrapper's classes (a grid span, a minimum width). */
  fieldClassName?: string;
  errorTestId?: string;
}) {
  const errorId = `${messageId}-error`;
  const helpId = `${messageId}-help`;
  const describedBy = [help ? helpId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className={fieldClassName}>
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} aria-invalid={!!error} aria-describedby={describedBy || undefined} />
      {error && (
        // break-words: an error may quote what was typed (a long URL)
        <p id={errorId} className="field-error break-words" data-testid={errorTestId}>
          {error}
        </p>
      )}
      {help && (
        <p id={helpId} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {help}
        </p>
      )}
    </div>
  );
}

/** What ticking the box risks: a danger is announced at once, a caution only shown. */
const WARNING_STYLE = {
  danger:
    'border-red-300 bg-red-50 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200',
  caution:
    'border-amber-300 bg-amber-50 text-xs text-amber-900 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-200',
} as const;

/**
 * A checkbox with its label and help beside it, a warning shown while it is ticked, and the field's
 * error. The help's id is `<id>-help`.
 */
export function CheckboxField({
  id,
  name,
  label,
  help,
  defaultChecked,
  warning,
  tone,
  warningTestId,
  error,
  fieldClassName,
}: {
  id: string;
  name: string;
  label: ReactNode;
  help: ReactNode;
  defaultChecked: boolean;
  warning: ReactNode;
  tone: keyof typeof WARNING_STYLE;
  warningTestId?: string;
  error?: string;
  fieldClassName?: string;
}) {
  const [checked, setChecked] = useState(defaultChecked);
  return (
    <div className={fieldClassName}>
      <label className="flex items-start gap-2 font-normal">
        <input
          type="checkbox"
          name={name}
          checked={checked}
          onChange={(ev) => setChecked(ev.target.checked)}
          className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 dark:border-slate-600"
          aria-describedby={`${id}-help`}
        />
        <span>
          <span className="font-medium">{label}</span>
          <span id={`${id}-help`} className="block text-xs text-slate-600 dark:text-slate-400">
            {help}
          </span>
        </span>
      </label>
      {checked && (
        <p
          role={tone === 'danger' ? 'alert' : undefined}
          className={`mt-2 rounded-md border px-3 py-2 ${WARNING_STYLE[tone]}`}
          data-testid={warningTestId}
        >
          {warning}
        </p>
      )}
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
