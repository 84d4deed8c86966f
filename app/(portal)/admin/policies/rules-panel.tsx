'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ConfirmDialog } from '../groups/_components/confirm-dialog';
import { ActionBadge, Tag } from './action-badge';
import type { RuleOptions, RuleView } from './_lib/rule-form';
import { deleteRuleAction, moveRuleAction, restoreBuiltinsAction, type PolicyState } from './actions';
import { CreateRuleForm, EditRuleForm } from './rule-form';

type Notice = { ok?: string; error?: string } | null;

/**
 * The ordered rules with their Edit, Up, Down and Delete, the Add rule form (behind its button) and
 * Restore built-in rules; one status line says what the last of these did.
 */
export function RulesPanel({ rules, options }: { rules: RuleView[]; options: RuleOptions }) {
  const t = useTranslations('policies');
  const router = useRouter();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const done = (r: PolicyState) => {
    setNotice(r.error ? { error: r.error } : { ok: r.ok });
    if (!r.error) router.refresh();
  };
  return (
    <section className="min-w-0 space-y-3" aria-label={t('list.label')}>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className="btn-primary"
          aria-expanded={adding}
          aria-controls="new-rule"
          onClick={() => setAdding((v) => !v)}
          data-testid="add-rule"
        >
          {adding ? t('toolbar.close') : t('toolbar.add')}
        </button>
        <RestoreButton onDone={done} />
        {notice && (
          <p
            role={notice.error ? 'alert' : 'status'}
            className={`min-w-0 text-sm break-words ${
              notice.error ? 'text-red-700 dark:text-red-400' : 'text-emerald-700 dark:text-emerald-400'
            }`}
            data-testid="policies-notice"
          >
            {notice.error ?? notice.ok}
          </p>
        )}
      </div>
      <div id="new-rule">
        {adding && (
          <CreateRuleForm
            options={options}
            rules={rules}
            onCreated={(ok) => {
              setAdding(false);
              done({ ok });
            }}
            onCancel={() => setAdding(false)}
          />
        )}
      </div>
      {rules.length === 0 ? (
        <div
          className="card p-6 text-center text-sm text-slate-600 dark:text-slate-300"
          data-testid="rules-empty"
        >
          {t('list.empty')}
        </div>
      ) : (
        <ol className="card divide-y divide-slate-100 dark:divide-slate-800" data-testid="rule-list">
          {rules.map((rule, i) => (
            <RuleRow
              key={rule.id}
              rule={rule}
              options={options}
              first={i === 0}
              last={i === rules.length - 1}
              onDone={done}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function RestoreButton({ onDone }: { onDone: (r: PolicyState) => void }) {
  const t = useTranslations('policies.restore');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const restore = () =>
    start(async () => {
      const r = await restoreBuiltinsAction();
      if (r.error) setError(r.error);
      else {
        setConfirming(false);
        onDone(r);
      }
    });
  return (
    <>
      <button type="button" className="btn-secondary" onClick={() => setConfirming(true)}>
        {t('button')}
      </button>
      {confirming && (
        <ConfirmDialog
          title={t('title')}
          confirmLabel={t('confirm')}
          pending={pending}
          error={error}
          onConfirm={restore}
          onCancel={() => {
            setConfirming(false);
            setError(undefined);
          }}
        >
          <p>{t('body')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Names of the ids a rule is scoped to; one no longer in the database reads "(deleted)". */
function useScope(rule: RuleView, options: RuleOptions) {
  const t = useTranslations('policies.list');
  const tc = useTranslations('common');
  const tp = useTranslations('policies');
  const name = (list: readonly { id: string; name: string }[], id: string) =>
    list.find((x) => x.id === id)?.name ?? t('gone');
  const where = [
    ...rule.vendors.map((v) => options.vendors.find((o) => o.value === v)?.label ?? v),
    ...rule.groupIds.map((g) => t('group', { name: name(options.groups, g) })),
  ];
  const who = [
    ...rule.roles.map((r) => tc(`roles.${r}`)),
    ...rule.teamIds.map((x) => t('team', { name: name(options.teams, x) })),
    ...rule.userIds.map((u) => name(options.users, u)),
  ];
  const modes = rule.modes.map((m) => tp(`modes.${m}`));
  return {
    where: where.length ? where.join(', ') : t('everyDevice'),
    who: who.length ? who.join(', ') : t('everyone'),
    modes: modes.length ? modes.join(', ') : t('everyMode'),
  };
}

function RuleRow({
  rule,
  options,
  first,
  last,
  onDone,
}: {
  rule: RuleView;
  options: RuleOptions;
  first: boolean;
  last: boolean;
  onDone: (r: PolicyState) => void;
}) {
  const t = useTranslations('policies.list');
  const tc = useTranslations('common');
  const scope = useScope(rule, options);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const move = (direction: 'up' | 'down') =>
    start(async () => onDone(await moveRuleAction(rule.id, direction)));
  const confirmDelete = () =>
    start(async () => {
      const r = await deleteRuleAction(rule.id);
      if (r.error) setError(r.error);
      else {
        setConfirming(false);
        onDone(r);
      }
    });
  return (
    <li
      className="flex flex-wrap items-start gap-x-3 gap-y-2 px-4 py-3"
      data-rule={rule.name}
      data-place={rule.place}
      data-enabled={rule.enabled}
      aria-busy={pending}
    >
      {editing ? (
        <EditRuleForm
          rule={rule}
          options={options}
          onSaved={(ok) => {
            setEditing(false);
            onDone({ ok });
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <span
            className="w-7 shrink-0 pt-0.5 text-right font-mono text-sm text-slate-500 tabular-nums dark:text-slate-400"
            title={t('place', { position: rule.place })}
            data-testid="rule-place"
          >
            {rule.place}.
          </span>
          {/* a disabled rule is dimmed; its buttons are not */}
          <div className={`min-w-0 flex-1 basis-60 space-y-1.5 ${rule.enabled ? '' : 'opacity-55'}`}>
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <span className="font-medium break-words" data-testid="rule-name">
                {rule.name}
              </span>
              <ActionBadge action={rule.action} />
              {rule.builtin && <Tag>{t('builtin')}</Tag>}
              {!rule.enabled && <Tag testId="rule-disabled">{t('disabled')}</Tag>}
              {rule.notify && <Tag>{t('notifies')}</Tag>}
              {rule.matchKind === 'regex' && <Tag>{t('regex')}</Tag>}
            </div>
            <ul className="flex flex-wrap gap-1" data-testid="rule-patterns">
              {rule.patterns.map((p, i) => (
                <li key={i} className="max-w-full">
                  <code className="block rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs break-all whitespace-pre-wrap text-slate-800 dark:bg-slate-800 dark:text-slate-100">
                    {p}
                  </code>
                </li>
              ))}
            </ul>
            <dl className="flex flex-wrap gap-x-4 gap-y-0.5 text-xs text-slate-600 dark:text-slate-400">
              {(
                [
                  [t('devices'), scope.where],
                  [t('who'), scope.who],
                  [t('modes'), scope.modes],
                ] as const
              ).map(([label, value]) => (
                <div key={label} className="flex min-w-0 gap-1">
                  <dt className="shrink-0 font-medium text-slate-700 dark:text-slate-300">{label}</dt>
                  <dd className="min-w-0 break-words">{value}</dd>
                </div>
              ))}
            </dl>
          </div>
          <div className="ml-auto flex shrink-0 flex-wrap gap-2">
            <button
              type="button"
              className="btn-secondary px-2"
              aria-label={t('moveUpLabel', { name: rule.name })}
              title={t('moveUpLabel', { name: rule.name })}
              disabled={first || pending}
              onClick={() => move('up')}
            >
              <span aria-hidden>↑</span> {t('moveUp')}
            </button>
            <button
              type="button"
              className="btn-secondary px-2"
              aria-label={t('moveDownLabel', { name: rule.name })}
              title={t('moveDownLabel', { name: rule.name })}
              disabled={last || pending}
              onClick={() => move('down')}
            >
              <span aria-hidden>↓</span> {t('moveDown')}
            </button>
            <button
              type="button"
              className="btn-secondary"
              aria-label={t('edit', { name: rule.name })}
              onClick={() => setEditing(true)}
            >
              {tc('actions.edit')}
            </button>
            <button
              type="button"
              className="btn-secondary text-red-700 dark:text-red-400"
              aria-label={t('delete', { name: rule.name })}
              onClick={() => setConfirming(true)}
            >
              {tc('actions.delete')}
            </button>
          </div>
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title={t('deleteTitle', { name: rule.name })}
          confirmLabel={t('deleteConfirm')}
          pending={pending}
          error={error}
          onConfirm={confirmDelete}
          onCancel={() => {
            setConfirming(false);
            setError(undefined);
          }}
        >
          <p>{t('deleteBody')}</p>
          {rule.builtin && <p>{t('deleteBuiltin')}</p>}
        </ConfirmDialog>
      )}
    </li>
  );
}
