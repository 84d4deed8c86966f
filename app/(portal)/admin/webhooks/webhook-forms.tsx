'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useActionState, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { CheckboxField, LabelledInput } from '@/app/_components/form-fields';
import { eventKey } from './_lib/events';
import {
  createWebhookAction,
  updateWebhookAction,
  type WebhookFormState,
  type WebhookFormValues,
} from './actions';

interface WebhookFieldsProps {
  /** Ids of the fields: `<prefix>-url` and so on (an empty state's button focuses the URL). */
  idPrefix?: string;
  events: readonly string[];
  values?: Partial<WebhookFormValues>;
  errors?: Record<string, string>;
}

/** URL, description, events and the local-address permission: the create and the edit form's fields. */
function WebhookFields({ idPrefix, events, values, errors }: WebhookFieldsProps) {
  const t = useTranslations('webhooks');
  const generated = useId();
  const id = idPrefix ?? generated;
  const chosen = values?.events ?? [];
  const e = errors ?? {};
  return (
    <>
      <LabelledInput
        id={`${id}-url`}
        label={t('form.url')}
        error={e.url}
        errorTestId="url-error"
        fieldClassName="min-w-0 sm:col-span-2"
        name="url"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        className="input font-mono"
        placeholder={t('form.urlPlaceholder')}
        defaultValue={values?.url}
      />
      <LabelledInput
        id={`${id}-description`}
        label={t('form.description')}
        error={e.description}
        fieldClassName="min-w-0 sm:col-span-2"
        name="description"
        className="input"
        placeholder={t('form.descriptionPlaceholder')}
        defaultValue={values?.description}
      />
      <fieldset
        className="min-w-0 sm:col-span-2"
        aria-describedby={e.events ? `${id}-events-error` : undefined}
        aria-invalid={!!e.events}
      >
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t('form.events')}</legend>
        <div className="mt-1 space-y-1.5">
          {events.map((ev) => {
            const key = eventKey(ev);
            return (
              <label key={ev} className="flex items-start gap-2 font-normal">
                <input
                  type="checkbox"
                  name="events"
                  value={ev}
                  defaultChecked={chosen.includes(ev)}
                  className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 dark:border-slate-600"
                />
                <span>
                  <span className="font-medium">{key ? t(`events.${key}`) : ev}</span>{' '}
                  <code className="text-xs text-slate-600 dark:text-slate-400">{ev}</code>
                  {key && key !== 'ping' && (
                    <span className="block text-xs text-slate-600 dark:text-slate-400">
                      {t(`eventHelp.${key}`)}
                    </span>
                  )}
                </span>
              </label>
            );
          })}
        </div>
        {e.events && (
          <p id={`${id}-events-error`} className="field-error">
            {e.events}
          </p>
        )}
      </fieldset>
      <CheckboxField
        id={`${id}-local`}
        name="allowLocal"
        label={t('form.allowLocal')}
        help={t('form.allowLocalHelp')}
        defaultChecked={values?.allowLocal ?? false}
        warning={t('form.allowLocalWarning')}
        tone="caution"
        warningTestId="allow-local-warning"
        error={e.allowLocal}
        fieldClassName="min-w-0 sm:col-span-2"
      />
    </>
  );
}

/** The create and the edit form: a heading, the fields, the caller's buttons, then a form-wide error. */
function WebhookForm({
  titleId,
  title,
  action,
  children,
  ...fields
}: WebhookFieldsProps & {
  titleId: string;
  title: string;
  action: (fd: FormData) => void;
  /** The buttons. */
  children: ReactNode;
}) {
  return (
    <form action={action} className="card grid gap-4 p-4 sm:grid-cols-4" noValidate aria-labelledby={titleId}>
      <h2 id={titleId} className="text-lg font-semibold sm:col-span-4">
        {title}
      </h2>
      <WebhookFields {...fields} />
      {children}
      {fields.errors?.form && (
        <p className="field-error sm:col-span-4" role="alert">
          {fields.errors.form}
        </p>
      )}
    </form>
  );
}

/** "New webhook": the fields, then the signing secret of the one just created, shown this once. */
export function CreateWebhookForm({ events }: { events: readonly string[] }) {
  const t = useTranslations('webhooks');
  const [state, action, pending] = useActionState<WebhookFormState, FormData>(createWebhookAction, {});
  // the secret panel closes when the admin says it is copied; a new creation opens it again
  const [dismissed, setDismissed] = useState<number | null>(null);
  const created = state.created && dismissed !== state.saved ? state.created : null;
  return (
    <section className="space-y-3" aria-labelledby="new-webhook-title">
      <WebhookForm
        // a fresh form (empty fields) after each one created
        key={state.saved ?? 0}
        titleId="new-webhook-title"
        title={t('form.createTitle')}
        action={action}
        idPrefix="new-webhook"
        events={events}
        values={state.values ?? { events: ['task.failed'] }}
        errors={state.errors}
      >
        <div className="sm:col-span-4">
          <button type="submit" id="new-webhook-submit" className="btn-primary" disabled={pending}>
            {pending ? t('form.creating') : t('form.create')}
          </button>
        </div>
      </WebhookForm>
      {created && <SecretPanel created={created} onDismiss={() => setDismissed(state.saved ?? null)} />}
    </section>
  );
}

/** The header as it arrives (an example value: t is Unix seconds, v1 the hex HMAC-SHA256). */
const HEADER_EXAMPLE = 'X-Switchboard-Signature: t=1764763200,v1=3f9a0c…e8c21e';

function SecretPanel({
  created,
  onDismiss,
}: {
  created: { id: string; url: string; secret: string };
  onDismiss: () => void;
}) {
  const t = useTranslations('webhooks.created');
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const field = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // the one chance to copy the secret: bring it into view (a phone would leave it below the fold)
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, [created.id]);
  const onCopy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopy('copied');
    } catch {
      // an insecure origin or a refused permission: leave the secret selected for Ctrl+C
      field.current?.select();
      setCopy('failed');
    }
  };
  return (
    <div
      className="card space-y-3 border-emerald-300 p-4 dark:border-emerald-800"
      role="region"
      aria-labelledby="webhook-created-title"
      data-testid="webhook-created"
    >
      <h2
        id="webhook-created-title"
        ref={heading}
        tabIndex={-1}
        className="text-base font-semibold break-all focus:outline-none"
      >
        {t('title', { url: created.url })}
      </h2>
      <p className="text-sm font-medium text-amber-900 dark:text-amber-200">{t('once')}</p>
      <div>
        <label htmlFor="webhook-secret">{t('secretLabel')}</label>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <input
            ref={field}
            id="webhook-secret"
            readOnly
            value={created.secret}
            className="input mt-0 min-w-0 flex-1 basis-64 font-mono"
            data-testid="webhook-secret"
            onFocus={(e) => e.currentTarget.select()}
          />
          <button type="button" className="btn-secondary" onClick={() => void onCopy()}>
            {copy === 'copied' ? t('copied') : t('copy')}
          </button>
        </div>
        {copy === 'failed' && <p className="field-error">{t('copyFailed')}</p>}
        {copy === 'copied' && (
          <p role="status" className="mt-1 text-xs text-emerald-700 dark:text-emerald-400">
            {t('copied')}
          </p>
        )}
      </div>
      <div className="space-y-1.5 text-sm text-slate-700 dark:text-slate-300">
        <h3 className="font-semibold">{t('verifyTitle')}</h3>
        <p>{t('verifyHeader')}</p>
        <pre className="overflow-x-auto rounded-md bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-100">
          {HEADER_EXAMPLE}
        </pre>
        <p>{t('verifyHmac')}</p>
        <p>{t('verifyTime')}</p>
      </div>
      <div className="flex flex-wrap gap-2">
        <Link href={`/admin/webhooks/${created.id}`} className="btn-primary">
          {t('open')}
        </Link>
        <button type="button" className="btn-secondary" onClick={onDismiss}>
          {t('dismiss')}
        </button>
      </div>
    </div>
  );
}

/** The webhook page's Edit: the same fields, filled in; a save closes it. */
export function EditWebhookForm({
  webhookId,
  events,
  current,
  onDone,
}: {
  webhookId: string;
  events: readonly string[];
  current: WebhookFormValues;
  onDone: () => void;
}) {
  const t = useTranslations('webhooks');
  const tc = useTranslations('common');
  const [state, action, pending] = useActionState<WebhookFormState, FormData>(
    async (prev: WebhookFormState, fd: FormData) => {
      const r = await updateWebhookAction(webhookId, prev, fd);
      if (r.saved) onDone();
      return r;
    },
    {},
  );
  return (
    <WebhookForm
      titleId="edit-webhook-title"
      title={t('form.editTitle')}
      action={action}
      events={events}
      values={state.values ?? current}
      errors={state.errors}
    >
      <div className="flex flex-wrap gap-2 sm:col-span-4">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? t('form.saving') : t('form.save')}
        </button>
        <button type="button" className="btn-secondary" onClick={onDone}>
          {tc('actions.cancel')}
        </button>
      </div>
    </WebhookForm>
  );
}
