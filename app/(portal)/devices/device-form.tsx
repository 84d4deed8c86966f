'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import {
  useActionState,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  useTransition,
} from 'react';
import {
  DEVICE_KINDS,
  ENCODINGS,
  TRANSPORTS,
  VENDORS,
  type FieldErrors,
  type Transport,
} from '@/lib/devices/schema';
import { ENCODING_LABELS } from '@/lib/devices/encodings';
import { SSH_PROFILES, SUPPORTED } from '@/lib/devices/ssh-algorithms';
import type { DeviceFields } from '@/lib/devices/fields';
import { fieldErrorKey } from './_list/field-errors';
import { FieldsEditor, initialFieldRows } from './fields-editor';
import { useVendorLabel } from './_list/vendor-label';
import type { DeviceFormState } from './actions';

export interface DeviceFormInitial {
  name: string;
  host: string;
  port: number;
  vendor: string;
  encoding: string;
  transport: string;
  kind: string;
  sshAlgorithms: string;
  /** The jump host's name; empty: reached directly. */
  jumpHost: string;
  /** null: the portal's default (DEVICE_MAX_SESSIONS). */
  maxSessions?: number | null;
  username: string;
  authType: string;
  notes: string;
  /** Custom fields (`{{field.<key>}}` in templates). */
  fields?: DeviceFields;
  hasPassphrase?: boolean;
  hasEnableSecret?: boolean;
}

type Action = (prev: DeviceFormState, fd: FormData) => Promise<DeviceFormState>;
type Invalid = (k: keyof FieldErrors) => { 'aria-invalid'?: boolean; 'aria-describedby'?: string };

const TRANSPORT_LABELS: Record<Transport, string> = { ssh: 'SSH', telnet: 'Telnet' };
const DEFAULT_PORT: Record<Transport, string> = { ssh: '22', telnet: '23' };
const asTransport = (t: string | undefined): Transport => (t === 'telnet' ? 'telnet' : 'ssh');
const noop = () => () => {};

function Field({
  name,
  label,
  errors,
  children,
  hint,
  htmlFor = name,
}: {
  name: keyof FieldErrors;
  label: string;
  errors?: FieldErrors;
  children: React.ReactNode;
  hint?: string;
  /** The control the label names, when it is not the one named after the field. */
  htmlFor?: string;
}) {
  const t = useTranslations('devices');
  const error = errors?.[name];
  const known = error ? fieldErrorKey(error) : null;
  return (
    <div>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{hint}</p>}
      {error && (
        <p className="field-error" id={`${name}-error`} role="alert">
          {known ? t(`errors.${known}`) : error}
        </p>
      )}
    </div>
  );
}

/**
 * A select that keeps its choice through the reset React does after each form action: a reset returns
 * every option to its `selected` attribute, which React sets only for the choice of the first render.
 */
function Select({ value, defaultValue, ...rest }: React.ComponentProps<'select'>) {
  const ref = useRef<HTMLSelectElement>(null);
  const chosen = String(value ?? defaultValue ?? '');
  useLayoutEffect(() => {
    for (const o of ref.current?.options ?? []) o.defaultSelected = o.value === chosen;
  }, [chosen]);
  return <select ref={ref} value={value} defaultValue={defaultValue} {...rest} />;
}

export function DeviceForm({
  action,
  initial,
  mode,
  jumpHostNames,
  deleteAction,
}: {
  action: Action;
  initial: DeviceFormInitial;
  mode: 'create' | 'edit';
  /** Devices the user may name as jump host (offered as suggestions; the server decides). */
  jumpHostNames: string[];
  deleteAction?: () => Promise<{ error?: string }>;
}) {
  const t = useTranslations('devices');
  const vendorLabel = useVendorLabel();
  const [state, formAction, pending] = useActionState(action, {});
  const { fields: initialFields, ...plain } = initial;
  const v = {
    ...Object.fromEntries(Object.entries(plain).map(([k, x]) => [k, String(x ?? '')])),
    ...state.values,
  };
  // the rows once, at first render: after a refused save the editor keeps what was typed
  const [fieldRows] = useState(() => initialFieldRows(initialFields, state.values?.fields));
  const [authType, setAuthType] = useState(v.authType || 'password');
  const [vendor, setVendor] = useState(v.vendor || 'huawei_vrp');
  const [transport, setTransport] = useState(asTransport(v.transport));
  const [kind, setKind] = useState(v.kind || 'device');
  const [port, setPort] = useState(v.port || DEFAULT_PORT[transport]);
  const [deleting, startDelete] = useTransition();
  const [deleteError, setDeleteError] = useState<string | null>(null);
  // marks the form as interactive: submitted before hydration it would post natively
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
  const e = state.errors;
  const invalid: Invalid = (k) => (e?.[k] ? { 'aria-invalid': true, 'aria-describedby': `${k}-error` } : {});
  const unchanged = mode === 'edit' ? t('form.unchanged') : '';
  const via = TRANSPORT_LABELS[transport];
  // a console line over telnet lands on the device's own prompt: the portal logs in to nothing
  const noLogin = transport === 'telnet' && kind === 'console_line';

  const changeTransport = (next: Transport) => {
    // like PuTTY: a port still at the old protocol's default follows the new one
    if (port === DEFAULT_PORT[transport]) setPort(DEFAULT_PORT[next]);
    if (next === 'telnet') setAuthType('password');
    setTransport(next);
  };

  return (
    <form
      action={formAction}
      className="card max-w-3xl space-y-5 p-4 sm:p-6"
      noValidate
      data-hydrated={hydrated}
    >
      {e?.form && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/40 dark:text-red-300"
        >
          {e.form}
        </p>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field name="name" label={t('form.name')} errors={e}>
          <input
            id="name"
            name="name"
            defaultValue={v.name}
            className="input"
            required
            {...invalid('name')}
          />
        </Field>
        <Field name="vendor" label={t('form.vendor')} errors={e}>
          <Select
            id="vendor"
            name="vendor"
            value={vendor}
            onChange={(x) => setVendor(x.target.value)}
            className="input"
            {...invalid('vendor')}
          >
            {VENDORS.map((x) => (
              <option key={x} value={x}>
                {vendorLabel(x)}
              </option>
            ))}
          </Select>
        </Field>
        <Field name="encoding" label={t('form.encoding')} errors={e}>
          <Select
            id="encoding"
            name="encoding"
            defaultValue={v.encoding || 'utf-8'}
            className="input"
            {...invalid('encoding')}
          >
            {ENCODINGS.map((x) => (
              <option key={x} value={x}>
                {ENCODING_LABELS[x]}
              </option>
            ))}
          </Select>
        </Field>
        <Field name="maxSessions" label={t('form.maxSessions')} errors={e} hint={t('form.maxSessionsHint')}>
          <input
            id="maxSessions"
            name="maxSessions"
            defaultValue={v.maxSessions}
            inputMode="numeric"
            placeholder={t('form.maxSessionsPlaceholder')}
            className="input"
            {...invalid('maxSessions')}
          />
        </Field>
      </div>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-800 dark:text-slate-100">
          {t('form.connection')}
        </legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field name="transport" label={t('form.transport')} errors={e}>
            <Select
              id="transport"
              name="transport"
              value={transport}
              onChange={(x) => changeTransport(asTransport(x.target.value))}
              className="input"
              {...invalid('transport')}
            >
              {TRANSPORTS.map((x) => (
                <option key={x} value={x}>
                  {TRANSPORT_LABELS[x]}
                </option>
              ))}
            </Select>
          </Field>
          <Field name="kind" label={t('form.kind')} errors={e} hint={t('form.kindHint')}>
            <Select
              id="kind"
              name="kind"
              value={kind}
              onChange={(x) => setKind(x.target.value)}
              className="input"
              {...invalid('kind')}
            >
              {DEVICE_KINDS.map((x) => (
                <option key={x} value={x}>
                  {t(x === 'console_line' ? 'form.kindConsoleLine' : 'form.kindDevice')}
                </option>
              ))}
            </Select>
          </Field>
          {transport === 'telnet' && (
            <p
              className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 sm:col-span-2 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
              data-testid="telnet-warning"
            >
              {t('form.telnetWarning')}
            </p>
          )}
          <Field name="host" label={t('form.host')} errors={e} hint={t('form.hostHint')}>
            <input
              id="host"
              name="host"
              defaultValue={v.host}
              className="input"
              required
              {...invalid('host')}
            />
          </Field>
          {/* named after the transport: "SSH port" or "Telnet port" */}
          <Field
            name="port"
            label={t('form.port', { transport: via })}
            errors={e}
            hint={t('form.portHint', { transport: via, port: DEFAULT_PORT[transport] })}
          >
            <input
              id="port"
              name="port"
              value={port}
              onChange={(x) => setPort(x.target.value)}
              inputMode="numeric"
              className="input"
              {...invalid('port')}
            />
          </Field>
          <Field
            name="jumpHost"
            // not "Jump host": the specs find the address field by the word "Host"
            label={t('form.jumpHost')}
            errors={e}
            hint={t('form.jumpHostHint')}
          >
            <input
              id="jumpHost"
              name="jumpHost"
              defaultValue={v.jumpHost}
              list="jump-host-names"
              placeholder={t('form.jumpHostPlaceholder')}
              autoComplete="off"
              spellCheck={false}
              className="input"
              {...invalid('jumpHost')}
            />
            <datalist id="jump-host-names">
              {jumpHostNames.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
          </Field>
          <SshAlgorithmsField
            initial={v.sshAlgorithms ?? ''}
            errors={e}
            invalid={invalid}
            shown={transport === 'ssh'}
          />
        </div>
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-800 dark:text-slate-100">
          {t('form.authentication')}
        </legend>
        <div className="flex gap-4 text-sm">
          {(['password', 'key'] as const).map((a) => (
            <label key={a} className="flex items-center gap-1.5 font-normal">
              <input
                type="radio"
                name="authType"
                value={a}
                checked={authType === a}
                // telnet has no key exchange: it can only send a password
                disabled={a === 'key' && transport === 'telnet'}
                onChange={() => setAuthType(a)}
              />
              {a === 'password' ? t('form.authPassword') : t('form.authKey')}
              {a === 'key' && transport === 'telnet' && (
                <span className="text-xs text-slate-600 dark:text-slate-400">{t('form.sshOnly')}</span>
              )}
            </label>
          ))}
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            name="username"
            label={t('form.username', { transport: via })}
            errors={e}
            hint={noLogin ? t('form.noLoginHint') : undefined}
          >
            <input
              id="username"
              name="username"
              defaultValue={v.username}
              autoComplete="off"
              className="input"
              {...invalid('username')}
            />
          </Field>
          {authType === 'password' && (
            <Field
              name="password"
              label={t('form.password')}
              errors={e}
              hint={
                mode === 'edit' ? t('form.passwordKeepHint') : noLogin ? t('form.noLoginHint') : undefined
              }
            >
              <input
                id="password"
                name="password"
                type="password"
                autoComplete="new-password"
                placeholder={unchanged}
                className="input"
                {...invalid('password')}
              />
            </Field>
          )}
          {vendor === 'cisco_ios' && (
            <Field
              name="enableSecret"
              label={t('form.enableSecret')}
              errors={e}
              hint={
                mode === 'edit' && initial.hasEnableSecret
                  ? t('form.enableSecretKeepHint')
                  : t('form.enableSecretHint')
              }
            >
              <input
                id="enableSecret"
                name="enableSecret"
                type="password"
                autoComplete="new-password"
                placeholder={initial.hasEnableSecret ? t('form.unchanged') : ''}
                className="input"
                {...invalid('enableSecret')}
              />
            </Field>
          )}
        </div>
        {authType === 'key' && (
          <>
            <Field
              name="privateKey"
              label={t('form.privateKey')}
              errors={e}
              hint={mode === 'edit' ? t('form.privateKeyKeepHint') : t('form.privateKeyHint')}
            >
              <textarea
                id="privateKey"
                name="privateKey"
                rows={5}
                placeholder={unchanged}
                className="input font-mono text-xs"
                spellCheck={false}
                {...invalid('privateKey')}
              />
            </Field>
            <Field name="passphrase" label={t('form.passphrase')} errors={e}>
              <input
                id="passphrase"
                name="passphrase"
                type="password"
                autoComplete="new-password"
                placeholder={initial.hasPassphrase ? t('form.unchanged') : ''}
                className="input"
                {...invalid('passphrase')}
              />
            </Field>
          </>
        )}
      </fieldset>

      <Field name="notes" label={t('form.notes')} errors={e}>
        <textarea
          id="notes"
          name="notes"
          rows={3}
          defaultValue={v.notes}
          className="input"
          {...invalid('notes')}
        />
      </Field>

      <FieldsEditor initial={fieldRows} error={e?.fields} />

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? t('form.saving') : mode === 'create' ? t('form.submitCreate') : t('form.submitEdit')}
        </button>
        <Link href="/devices" className="btn-secondary">
          {t('form.cancel')}
        </Link>
        {deleteAction && (
          <button
            type="button"
            className="btn-danger ml-auto"
            disabled={deleting}
            onClick={() => {
              if (!confirm(t('form.deleteConfirm', { name: initial.name }))) return;
              startDelete(async () => {
                const r = await deleteAction();
                if (r?.error) setDeleteError(r.error);
              });
            }}
          >
            {deleting ? t('form.deleting') : t('form.deleteDevice')}
          </button>
        )}
      </div>
      {deleteError && <p className="field-error">{deleteError}</p>}
    </form>
  );
}

type Profile = (typeof SSH_PROFILES)[number] | 'custom';
const KINDS = Object.keys(SUPPORTED) as (keyof typeof SUPPORTED)[];
/** What each profile means, under the select (the option names stay short enough to be read). */
const PROFILE_HINTS = {
  modern: 'form.profileModernHint',
  legacy: 'form.profileLegacyHint',
  custom: undefined,
} as const satisfies Record<Profile, string | undefined>;
const CUSTOM_EXAMPLE = '{"kex":["diffie-hellman-group14-sha1"],"cipher":["aes128-cbc"]}';

/**
 * The SSH algorithm profile. Its value always goes with the form, also while telnet hides it, so that
 * trying telnet and going back to SSH does not lose a legacy or custom choice.
 */
function SshAlgorithmsField({
  initial,
  errors,
  invalid,
  shown,
}: {
  initial: string;
  errors?: FieldErrors;
  invalid: Invalid;
  shown: boolean;
}) {
  const named = (SSH_PROFILES as readonly string[]).includes(initial) || initial === '';
  const [profile, setProfile] = useState<Profile>(named ? ((initial || 'modern') as Profile) : 'custom');
  const [custom, setCustom] = useState(named ? '' : initial);
  const t = useTranslations('devices');
  const hint = PROFILE_HINTS[profile];
  return (
    <>
      <input type="hidden" name="sshAlgorithms" value={profile === 'custom' ? custom : profile} />
      {shown && (
        <Field
          name="sshAlgorithms"
          label={t('form.sshAlgorithms')}
          // a custom list's error shows under the list itself
          errors={profile === 'custom' ? undefined : errors}
          hint={hint ? t(hint) : undefined}
        >
          <Select
            id="sshAlgorithms"
            value={profile}
            onChange={(x) => setProfile(x.target.value as Profile)}
            className="input"
            {...(profile === 'custom' ? {} : invalid('sshAlgorithms'))}
          >
            <option value="modern">{t('form.profileModern')}</option>
            <option value="legacy">{t('form.profileLegacy')}</option>
            <option value="custom">{t('form.profileCustom')}</option>
          </Select>
        </Field>
      )}
      {shown && profile === 'custom' && (
        <div className="sm:col-span-2">
          <Field
            name="sshAlgorithms"
            htmlFor="sshAlgorithmsCustom"
            label={t('form.customAlgorithms')}
            errors={errors}
            hint={t('form.customHint', { kinds: KINDS.join(', ') })}
          >
            <textarea
              id="sshAlgorithmsCustom"
              rows={3}
              value={custom}
              onChange={(x) => setCustom(x.target.value)}
              placeholder={CUSTOM_EXAMPLE}
              className="input font-mono text-xs"
              spellCheck={false}
              {...invalid('sshAlgorithms')}
            />
          </Field>
          <details className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            <summary className="cursor-pointer">{t('form.supported')}</summary>
            <dl className="mt-1 space-y-1">
              {KINDS.map((k) => (
                <div key={k}>
                  <dt className="font-mono font-semibold">{k}</dt>
                  <dd className="font-mono break-words">{SUPPORTED[k].join(', ')}</dd>
                </div>
              ))}
            </dl>
          </details>
        </div>
      )}
    </>
  );
}
