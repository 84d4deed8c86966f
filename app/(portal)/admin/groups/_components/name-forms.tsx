'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';

/** What the create and edit actions of groups and teams answer (both are a name and a description). */
export interface NamedFormState {
  error?: string;
  field?: 'name' | 'description';
  values?: { name: string; description: string };
  ok?: string;
  /** Bumped on every success, so a form can clear or close itself once per save. */
  saved?: number;
}

type NamedAction = (prev: NamedFormState, fd: FormData) => Promise<NamedFormState>;

/** "Create group" / "Create team": name and description, errors under the form, cleared after each success. */
export function CreateNamedForm({
  what,
  action: create,
  placeholder,
  title,
}: {
  what: 'group' | 'team';
  action: NamedAction;
  placeholder: string;
  /** "Create group": the form's name and its button. */
  title: string;
}) {
  const t = useTranslations('admin.names');
  const [state, action, pending] = useActionState<NamedFormState, FormData>(create, {});
  const id = `new-${what}`;
  return (
    <form
      // a fresh form (empty fields) after each one created
      key={state.saved ?? 0}
      action={action}
      className="card grid gap-3 p-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto] sm:items-start"
      noValidate
      aria-label={title}
    >
      <div>
        <label htmlFor={`${id}-name`}>{t('name')}</label>
        <input
          id={`${id}-name`}
          name="name"
          className="input"
          placeholder={placeholder}
          defaultValue={state.values?.name}
          aria-invalid={state.field === 'name'}
          aria-describedby={state.field === 'name' ? `${id}-error` : undefined}
        />
      </div>
      <div>
        <label htmlFor={`${id}-description`}>{t('description')}</label>
        <input
          id={`${id}-description`}
          name="description"
          className="input"
          defaultValue={state.values?.description}
          aria-invalid={state.field === 'description'}
        />
      </div>
      <div className="sm:pt-6">
        <button type="submit" className="btn-primary w-full" disabled={pending}>
          {pending ? t('creating') : title}
        </button>
      </div>
      {state.error && (
        <p id={`${id}-error`} className="field-error sm:col-span-3" role="alert">
          {state.error}
        </p>
      )}
      {state.ok && (
        <p role="status" className="text-sm text-emerald-700 sm:col-span-3 dark:text-emerald-400">
          {state.ok}
        </p>
      )}
    </form>
  );
}

/** The inline edit of one group or team in its list (the row keeps the action's state). */
export function EditNamedForm({
  id,
  current,
  state,
  action,
  saving,
  onCancel,
}: {
  id: string;
  current: { name: string; description: string };
  state: NamedFormState;
  action: (fd: FormData) => void;
  saving: boolean;
  onCancel(): void;
}) {
  const t = useTranslations('admin.names');
  const tc = useTranslations('common');
  return (
    <form
      action={action}
      className="grid w-full gap-2 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto]"
      noValidate
    >
      <div>
        <label htmlFor={`name-${id}`}>{t('name')}</label>
        <input
          id={`name-${id}`}
          name="name"
          className="input"
          defaultValue={state.values?.name ?? current.name}
          aria-invalid={state.field === 'name'}
        />
      </div>
      <div>
        <label htmlFor={`description-${id}`}>{t('description')}</label>
        <input
          id={`description-${id}`}
          name="description"
          className="input"
          defaultValue={state.values?.description ?? current.description}
          aria-invalid={state.field === 'description'}
        />
      </div>
      <div className="flex gap-2 sm:pt-6">
        <button type="submit" className="btn-primary" disabled={saving}>
          {saving ? t('saving') : tc('actions.save')}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          {tc('actions.cancel')}
        </button>
      </div>
      {state.error && (
        <p className="field-error sm:col-span-3" role="alert">
          {state.error}
        </p>
      )}
    </form>
  );
}
