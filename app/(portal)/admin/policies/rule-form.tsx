'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useId, useState, type ReactNode } from 'react';
import { LabelledInput } from '@/app/_components/form-fields';
import {
  EMPTY_RULE,
  formValuesOf,
  type RuleFormValues,
  type RuleOptions,
  type RuleView,
} from './_lib/rule-form';
import { createRuleAction, updateRuleAction, type RuleFormState } from './actions';

/** A checkbox list longer than this scrolls inside a box of its own. */
const SCROLL_AFTER_ITEMS = 8;

const CHECKBOX = 'mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 dark:border-slate-600';
const HELP = 'mt-1 text-xs text-slate-600 dark:text-slate-400';

/** A fieldset of checkboxes sent under one name (none ticked: the rule is not limited by it). */
function CheckList({
  id,
  legend,
  name,
  items,
  chosen,
  help,
  error,
  empty,
  columns,
  className = '',
}: {
  id: string;
  legend: string;
  name: string;
  items: readonly { value: string; label: ReactNode }[];
  chosen: readonly string[];
  help?: ReactNode;
  error?: string;
  empty?: string;
  /** Two columns from the sm breakpoint (vendors). */
  columns?: boolean;
  className?: string;
}) {
  const scroll = items.length > SCROLL_AFTER_ITEMS;
  const describedBy = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <fieldset
      className={`min-w-0 ${className}`}
      aria-describedby={describedBy || undefined}
      aria-invalid={!!error}
      data-testid={`${name}-field`}
    >
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{legend}</legend>
      {items.length === 0 ? (
        <p className={HELP}>{empty}</p>
      ) : (
        <div
          className={`mt-1 grid gap-x-4 gap-y-1.5 ${columns ? 'sm:grid-cols-2' : ''} ${
            scroll
              ? 'max-h-44 overflow-y-auto overscroll-contain rounded-md border border-slate-200 p-2 dark:border-slate-700'
              : ''
          }`}
          // a scrolling box takes the keyboard's arrows (axe: scrollable regions are focusable)
          tabIndex={scroll ? 0 : undefined}
          role={scroll ? 'group' : undefined}
          aria-label={scroll ? legend : undefined}
        >
          {items.map((it) => (
            <label key={it.value} className="flex min-w-0 items-start gap-2 font-normal">
              <input
                type="checkbox"
                name={name}
                value={it.value}
                defaultChecked={chosen.includes(it.value)}
                className={CHECKBOX}
              />
              <span className="min-w-0 break-words">{it.label}</span>
            </label>
          ))}
        </div>
      )}
      {help && (
        <p id={`${id}-help`} className={HELP}>
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error break-words">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** A checkbox with its help beside it (notify, enabled). */
function Toggle({
  id,
  name,
  label,
  help,
  checked,
}: {
  id: string;
  name: string;
  label: string;
  help: string;
  checked: boolean;
}) {
  return (
    <label className="flex items-start gap-2 font-normal">
      <input
        type="checkbox"
        name={name}
        defaultChecked={checked}
        className={CHECKBOX}
        aria-describedby={`${id}-help`}
      />
      <span>
        <span className="font-medium">{label}</span>
        <span id={`${id}-help`} className="block text-xs text-slate-600 dark:text-slate-400">
          {help}
        </span>
      </span>
    </label>
  );
}

interface RuleFieldsProps {
  idPrefix: string;
  options: RuleOptions;
  values: RuleFormValues;
  errors: Record<string, string>;
}

/** Every field of a rule: what it matches, what it does, and whom, where and in which mode. */
function RuleFields({ idPrefix: id, options, values, errors: e }: RuleFieldsProps) {
  const t = useTranslations('policies');
  const tc = useTranslations('common');
  const [matchKind, setMatchKind] = useState(values.matchKind);
  const select = (field: string) => ({
    id: `${id}-${field}`,
    name: field,
    className: 'input',
    'aria-invalid': !!e[field],
    'aria-describedby': e[field] ? `${id}-${field}-error` : undefined,
  });
  const fieldError = (field: string) =>
    e[field] && (
      <p id={`${id}-${field}-error`} className="field-error break-words" data-testid={`${field}-error`}>
        {e[field]}
      </p>
    );
  return (
    <>
      <LabelledInput
        id={`${id}-name`}
        label={t('form.name')}
        error={e.name}
        errorTestId="name-error"
        fieldClassName="min-w-0 sm:col-span-2"
        name="name"
        autoComplete="off"
        className="input"
        placeholder={t('form.namePlaceholder')}
        defaultValue={values.name}
      />
      <div className="min-w-0">
        <label htmlFor={`${id}-action`}>{t('form.action')}</label>
        <select
          {...select('action')}
          aria-describedby={`${id}-action-help${e.action ? ` ${id}-action-error` : ''}`}
          defaultValue={values.action}
        >
          {options.actions.map((a) => (
            <option key={a} value={a}>
              {t(`actionOptions.${a}`)}
            </option>
          ))}
        </select>
        {fieldError('action')}
        <p id={`${id}-action-help`} className={HELP}>
          {t('form.actionHelp')}
        </p>
      </div>
      <div className="min-w-0">
        <label htmlFor={`${id}-matchKind`}>{t('form.matchKind')}</label>
        <select
          {...select('matchKind')}
          defaultValue={values.matchKind}
          onChange={(ev) => setMatchKind(ev.target.value)}
        >
          {options.matchKinds.map((k) => (
            <option key={k} value={k}>
              {t(`matchKinds.${k}`)}
            </option>
          ))}
        </select>
        {fieldError('matchKind')}
      </div>
      <div className="min-w-0 sm:col-span-4">
        <label htmlFor={`${id}-patterns`}>{t('form.patterns')}</label>
        <textarea
          id={`${id}-patterns`}
          name="patterns"
          rows={4}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          className="input font-mono"
          defaultValue={values.patterns}
          aria-invalid={!!e.patterns}
          aria-describedby={`${id}-patterns-help${e.patterns ? ` ${id}-patterns-error` : ''}`}
        />
        {fieldError('patterns')}
        <p id={`${id}-patterns-help`} className={HELP}>
          {matchKind === 'regex' ? t('form.patternsHelpRegex') : t('form.patternsHelpWords')}
        </p>
      </div>
      <CheckList
        id={`${id}-vendors`}
        legend={t('form.vendors')}
        name="vendors"
        items={options.vendors.map((v) => ({ value: v.value, label: v.label }))}
        chosen={values.vendors}
        help={t('form.vendorsHelp')}
        error={e.vendors}
        columns
        className="sm:col-span-2"
      />
      <CheckList
        id={`${id}-groups`}
        legend={t('form.groups')}
        name="groupIds"
        items={options.groups.map((g) => ({ value: g.id, label: g.name }))}
        chosen={values.groupIds}
        help={t('form.groupsHelp')}
        error={e.groupIds}
        empty={t('form.noneYet')}
        className="sm:col-span-2"
      />
      <CheckList
        id={`${id}-roles`}
        legend={t('form.roles')}
        name="roles"
        items={options.roles.map((r) => ({ value: r, label: tc(`roles.${r}`) }))}
        chosen={values.roles}
        error={e.roles}
      />
      <CheckList
        id={`${id}-teams`}
        legend={t('form.teams')}
        name="teamIds"
        items={options.teams.map((x) => ({ value: x.id, label: x.name }))}
        chosen={values.teamIds}
        error={e.teamIds}
        empty={t('form.noneYet')}
      />
      <CheckList
        id={`${id}-users`}
        legend={t('form.users')}
        name="userIds"
        items={options.users.map((u) => ({ value: u.id, label: u.name }))}
        chosen={values.userIds}
        error={e.userIds}
        empty={t('form.noneYet')}
        className="sm:col-span-2"
      />
      <p className="-mt-2 text-xs text-slate-600 sm:col-span-4 dark:text-slate-400">{t('form.whoHelp')}</p>
      <CheckList
        id={`${id}-modes`}
        legend={t('form.modes')}
        name="modes"
        items={options.modes.map((m) => ({
          value: m,
          label: <span className="font-mono">{t(`modes.${m}`)}</span>,
        }))}
        chosen={values.modes}
        help={t('form.modesHelp')}
        error={e.modes}
        className="sm:col-span-2"
      />
      <div className="min-w-0 space-y-3 sm:col-span-2">
        <Toggle
          id={`${id}-notify`}
          name="notify"
          label={t('form.notify')}
          help={t('form.notifyHelp')}
          checked={values.notify}
        />
        <Toggle
          id={`${id}-enabled`}
          name="enabled"
          label={t('form.enabled')}
          help={t('form.enabledHelp')}
          checked={values.enabled}
        />
      </div>
    </>
  );
}

/** The form's frame: a heading, the fields, what the caller adds (place, buttons), a form-wide error. */
function RuleForm({
  title,
  action,
  card,
  attempt,
  children,
  ...fields
}: Omit<RuleFieldsProps, 'idPrefix'> & {
  title: string;
  /** The answer's number: the fields are created again from the values of each answer. */
  attempt: number;
  action: (fd: FormData) => void;
  /** The create form stands alone (a card); the edit form sits in the list's row. */
  card: boolean;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <form
      action={action}
      className={`grid min-w-0 gap-4 sm:grid-cols-4 ${card ? 'card p-4' : 'w-full'}`}
      noValidate
      aria-labelledby={`${id}-title`}
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold break-words sm:col-span-4">
        {title}
      </h2>
      <RuleFields key={attempt} idPrefix={id} {...fields} />
      {children}
      {fields.errors.form && (
        <p className="field-error sm:col-span-4" role="alert">
          {fields.errors.form}
        </p>
      )}
    </form>
  );
}

/** "Add rule": at the end of the order, or before a rule chosen under Place. */
export function CreateRuleForm({
  options,
  rules,
  onCreated,
  onCancel,
}: {
  options: RuleOptions;
  rules: readonly Pick<RuleView, 'id' | 'name' | 'place'>[];
  onCreated: (message: string) => void;
  onCancel: () => void;
}) {
  const t = useTranslations('policies.form');
  const tc = useTranslations('common');
  const [state, action, pending] = useActionState<RuleFormState, FormData>(
    async (prev: RuleFormState, fd: FormData) => {
      const r = await createRuleAction(prev, fd);
      if (r.saved) onCreated(r.ok ?? '');
      return { ...r, attempt: (prev.attempt ?? 0) + 1 };
    },
    {},
  );
  const [before, setBefore] = useState('');
  return (
    <RuleForm
      title={t('createTitle')}
      action={action}
      card
      attempt={state.attempt ?? 0}
      options={options}
      values={state.values ?? EMPTY_RULE}
      errors={state.errors ?? {}}
    >
      <div className="min-w-0 sm:col-span-2">
        <label htmlFor="new-rule-before">{t('place')}</label>
        <select
          id="new-rule-before"
          name="before"
          className="input"
          value={before}
          onChange={(ev) => setBefore(ev.target.value)}
        >
          <option value="">{t('placeEnd')}</option>
          {rules.map((r) => (
            <option key={r.id} value={r.id}>
              {t('placeBefore', { position: r.place, name: r.name })}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-wrap items-end gap-2 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={pending} data-testid="create-rule">
          {pending ? t('creating') : t('create')}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          {tc('actions.cancel')}
        </button>
      </div>
    </RuleForm>
  );
}

/** A row's Edit: the same fields, filled in; a save closes it. */
export function EditRuleForm({
  rule,
  options,
  onSaved,
  onCancel,
}: {
  rule: RuleView;
  options: RuleOptions;
  onSaved: (message: string) => void;
  onCancel: () => void;
}) {
  const t = useTranslations('policies.form');
  const tc = useTranslations('common');
  const [state, action, pending] = useActionState<RuleFormState, FormData>(
    async (prev: RuleFormState, fd: FormData) => {
      const r = await updateRuleAction(rule.id, prev, fd);
      if (r.saved) onSaved(r.ok ?? '');
      return { ...r, attempt: (prev.attempt ?? 0) + 1 };
    },
    {},
  );
  return (
    <RuleForm
      title={t('editTitle', { name: rule.name })}
      action={action}
      card={false}
      attempt={state.attempt ?? 0}
      options={options}
      values={state.values ?? formValuesOf(rule)}
      errors={state.errors ?? {}}
    >
      <div className="flex flex-wrap gap-2 sm:col-span-4">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? t('saving') : t('save')}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          {tc('actions.cancel')}
        </button>
      </div>
    </RuleForm>
  );
}
