'use client';

import Link from 'next/link';
import { useActionState, useState, useTransition } from 'react';
import { ENCODINGS, VENDOR_LABELS, VENDORS, type FieldErrors } from '@/lib/devices/schema';
import type { DeviceFormState } from './actions';

export interface DeviceFormInitial {
  name: string;
  host: string;
  port: number;
  vendor: string;
  encoding: string;
  username: string;
  authType: string;
  notes: string;
  hasPassphrase?: boolean;
  hasEnableSecret?: boolean;
}

type Action = (prev: DeviceFormState, fd: FormData) => Promise<DeviceFormState>;

function Field({
  name,
  label,
  errors,
  children,
  hint,
}: {
  name: keyof FieldErrors;
  label: string;
  errors?: FieldErrors;
  children: React.ReactNode;
  hint?: string;
}) {
  return (
    <div>
      <label htmlFor={name}>{label}</label>
      {children}
      {hint && !errors?.[name] && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
      {errors?.[name] && (
        <p className="field-error" id={`${name}-error`} role="alert">
          {errors[name]}
        </p>
      )}
    </div>
  );
}

export function DeviceForm({
  action,
  initial,
  mode,
  deleteAction,
}: {
  action: Action;
  initial: DeviceFormInitial;
  mode: 'create' | 'edit';
  deleteAction?: () => Promise<{ error?: string }>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const v = {
    ...Object.fromEntries(Object.entries(initial).map(([k, x]) => [k, String(x ?? '')])),
    ...state.values,
  };
  const [authType, setAuthType] = useState(v.authType || 'password');
  const [vendor, setVendor] = useState(v.vendor || 'huawei_vrp');
  const [deleting, startDelete] = useTransition();
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const e = state.errors;
  const invalid = (k: keyof FieldErrors) =>
    e?.[k] ? { 'aria-invalid': true, 'aria-describedby': `${k}-error` } : {};
  const unchanged = mode === 'edit' ? 'unchanged' : '';

  return (
    <form action={formAction} className="card max-w-3xl space-y-5 p-6" noValidate>
      {e?.form && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {e.form}
        </p>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="name" label="Name" errors={e}>
          <input
            id="name"
            name="name"
            defaultValue={v.name}
            className="input"
            required
            {...invalid('name')}
          />
        </Field>
        <Field name="vendor" label="Vendor" errors={e}>
          <select
            id="vendor"
            name="vendor"
            value={vendor}
            onChange={(x) => setVendor(x.target.value)}
            className="input"
            {...invalid('vendor')}
          >
            {VENDORS.map((x) => (
              <option key={x} value={x}>
                {VENDOR_LABELS[x]}
              </option>
            ))}
          </select>
        </Field>
        <Field name="host" label="Host" errors={e} hint="Hostname or IP address">
          <input
            id="host"
            name="host"
            defaultValue={v.host}
            className="input"
            required
            {...invalid('host')}
          />
        </Field>
        <Field name="port" label="SSH port" errors={e}>
          <input
            id="port"
            name="port"
            defaultValue={v.port || '22'}
            inputMode="numeric"
            className="input"
            {...invalid('port')}
          />
        </Field>
        <Field name="encoding" label="Character encoding" errors={e}>
          <select
            id="encoding"
            name="encoding"
            defaultValue={v.encoding || 'utf-8'}
            className="input"
            {...invalid('encoding')}
          >
            {ENCODINGS.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </Field>
        <Field name="username" label="SSH username" errors={e}>
          <input
            id="username"
            name="username"
            defaultValue={v.username}
            autoComplete="off"
            className="input"
            {...invalid('username')}
          />
        </Field>
      </div>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-slate-700">Authentication</legend>
        <div className="flex gap-4 text-sm">
          {(['password', 'key'] as const).map((t) => (
            <label key={t} className="flex items-center gap-1.5 font-normal">
              <input
                type="radio"
                name="authType"
                value={t}
                checked={authType === t}
                onChange={() => setAuthType(t)}
              />
              {t === 'password' ? 'Password' : 'Private key'}
            </label>
          ))}
        </div>
        {authType === 'password' ? (
          <Field
            name="password"
            label="Password"
            errors={e}
            hint={
              mode === 'edit'
                ? 'Leave empty to keep the stored password; a new host, port or username needs it again.'
                : undefined
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
        ) : (
          <>
            <Field
              name="privateKey"
              label="Private key"
              errors={e}
              hint={
                mode === 'edit'
                  ? 'Leave empty to keep the stored key; a new host, port or username needs it again.'
                  : 'OpenSSH or PEM format'
              }
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
            <Field name="passphrase" label="Key passphrase (optional)" errors={e}>
              <input
                id="passphrase"
                name="passphrase"
                type="password"
                autoComplete="new-password"
                placeholder={initial.hasPassphrase ? 'unchanged' : ''}
                className="input"
                {...invalid('passphrase')}
              />
            </Field>
          </>
        )}
        {vendor === 'cisco_ios' && (
          <Field
            name="enableSecret"
            label="Enable secret (optional)"
            errors={e}
            hint={
              mode === 'edit' && initial.hasEnableSecret
                ? 'Used to enter privileged EXEC mode. Leave empty to keep it; a new host or port needs it again.'
                : 'Used to enter privileged EXEC mode.'
            }
          >
            <input
              id="enableSecret"
              name="enableSecret"
              type="password"
              autoComplete="new-password"
              placeholder={initial.hasEnableSecret ? 'unchanged' : ''}
              className="input"
              {...invalid('enableSecret')}
            />
          </Field>
        )}
      </fieldset>

      <Field name="notes" label="Notes" errors={e}>
        <textarea
          id="notes"
          name="notes"
          rows={3}
          defaultValue={v.notes}
          className="input"
          {...invalid('notes')}
        />
      </Field>

      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? 'Saving…' : mode === 'create' ? 'Add device' : 'Save changes'}
        </button>
        <Link href="/devices" className="btn-secondary">
          Cancel
        </Link>
        {deleteAction && (
          <button
            type="button"
            className="btn-danger ml-auto"
            disabled={deleting}
            onClick={() => {
              if (!confirm(`Delete ${initial.name}? This cannot be undone.`)) return;
              startDelete(async () => {
                const r = await deleteAction();
                if (r?.error) setDeleteError(r.error);
              });
            }}
          >
            {deleting ? 'Deleting…' : 'Delete device'}
          </button>
        )}
      </div>
      {deleteError && <p className="field-error">{deleteError}</p>}
    </form>
  );
}
