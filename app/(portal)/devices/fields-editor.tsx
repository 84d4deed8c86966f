'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import {
  DEVICE_FIELD_KEY_MAX_CHARS,
  DEVICE_FIELD_VALUE_MAX_CHARS,
  DEVICE_FIELDS_MAX,
  fieldKeyProblem,
  fieldValueProblem,
  FIELD_ERRORS,
  type DeviceFields,
} from '@/lib/devices/fields';
import { fieldErrorKey } from './_list/field-errors';

interface Row {
  /** Stable across removals (React keys, focus after Add). */
  id: number;
  key: string;
  value: string;
}

/** The rows a saved JSON of pairs (the form echoed back after an error) or stored fields give. */
export function initialFieldRows(fields: DeviceFields | undefined, echoed: string | undefined): Row[] {
  let pairs: [string, string][] = Object.entries(fields ?? {});
  if (echoed) {
    try {
      const parsed = JSON.parse(echoed) as unknown;
      if (Array.isArray(parsed)) pairs = parsed.filter((p): p is [string, string] => Array.isArray(p));
    } catch {
      // keep the stored ones
    }
  }
  return pairs.map(([key, value], i) => ({ id: i, key, value }));
}

/**
 * The device's custom fields as rows of key and value, with Add and Remove (large targets, for a
 * finger as well as a mouse). The rows go with the form as one hidden `fields` input: JSON of
 * [key, value] pairs, so the server sees the order and a repeated key; a row left wholly empty is
 * dropped. Each row says what is wrong with it as it is typed (the server checks the same).
 */
export function FieldsEditor({ initial, error }: { initial: Row[]; error?: string }) {
  const t = useTranslations('devices');
  const [rows, setRows] = useState<Row[]>(initial);
  const [touched, setTouched] = useState<ReadonlySet<number>>(new Set());
  const nextId = useRef(initial.length);
  const list = useRef<HTMLUListElement>(null);
  const filled = rows.filter((r) => r.key.trim() !== '' || r.value.trim() !== '');
  const json = JSON.stringify(filled.map((r) => [r.key, r.value]));
  const counts = new Map<string, number>();
  for (const r of filled) counts.set(r.key.trim(), (counts.get(r.key.trim()) ?? 0) + 1);
  const say = (message: string | null) => {
    if (!message) return null;
    const known = fieldErrorKey(message);
    return known ? t(`errors.${known}`) : message;
  };
  // a row's problem shows once it was left (or the server refused the form), never while empty
  const problemOf = (r: Row): string | null => {
    const key = r.key.trim();
    const value = r.value.trim();
    if (key === '' && value === '') return null;
    if (!touched.has(r.id) && !error) return null;
    const p = fieldKeyProblem(key) ?? fieldValueProblem(value);
    if (p) return p;
    return (counts.get(key) ?? 0) > 1 ? FIELD_ERRORS.duplicate : null;
  };
  const update = (id: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const add = () => {
    const id = nextId.current++;
    setRows((rs) => [...rs, { id, key: '', value: '' }]);
    // the new row's key, once it is rendered
    requestAnimationFrame(() =>
      list.current?.querySelector<HTMLInputElement>(`[data-field-row="${id}"] input`)?.focus(),
    );
  };
  const remove = (id: number) => setRows((rs) => rs.filter((r) => r.id !== id));
  const full = rows.length >= DEVICE_FIELDS_MAX;

  return (
    <fieldset className="space-y-2" aria-describedby="fields-hint" data-testid="fields-editor">
      <legend className="text-sm font-semibold text-slate-800 dark:text-slate-100">{t('form.fields')}</legend>
      <input type="hidden" name="fields" value={json} />
      <p id="fields-hint" className="text-xs text-slate-600 dark:text-slate-400">
        {t('form.fieldsHint', { example: '{{field.site}}' })}
      </p>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('form.fieldsNone')}</p>
      ) : (
        <>
          <div
            className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_2.75rem] gap-2 text-xs font-medium text-slate-600 dark:text-slate-400"
            aria-hidden="true"
          >
            <span>{t('form.fieldKey')}</span>
            <span>{t('form.fieldValue')}</span>
          </div>
          <ul ref={list} className="space-y-2">
            {rows.map((r, i) => {
              const problem = problemOf(r);
              const errorId = `field-${r.id}-error`;
              const invalid = problem ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {};
              return (
                <li key={r.id} data-field-row={r.id}>
                  <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_2.75rem] items-center gap-2">
                    <input
                      className="input mt-0 font-mono"
                      value={r.key}
                      onChange={(e) => update(r.id, { key: e.target.value })}
                      onBlur={() => setTouched((s) => new Set(s).add(r.id))}
                      aria-label={t('form.fieldKeyN', { n: i + 1 })}
                      placeholder={i === 0 ? 'site' : undefined}
                      maxLength={DEVICE_FIELD_KEY_MAX_CHARS + 8}
                      autoCapitalize="none"
                      autoCorrect="off"
                      autoComplete="off"
                      spellCheck={false}
                      {...invalid}
                    />
                    <input
                      className="input mt-0"
                      value={r.value}
                      onChange={(e) => update(r.id, { value: e.target.value })}
                      onBlur={() => setTouched((s) => new Set(s).add(r.id))}
                      aria-label={t('form.fieldValueN', { n: i + 1 })}
                      placeholder={i === 0 ? 'dc1' : undefined}
                      maxLength={DEVICE_FIELD_VALUE_MAX_CHARS + 8}
                      autoComplete="off"
                      {...invalid}
                    />
                    <button
                      type="button"
                      className="btn-secondary h-11 w-11 p-0 text-lg leading-none"
                      onClick={() => remove(r.id)}
                      aria-label={t('form.removeField', { n: i + 1 })}
                      title={t('form.removeField', { n: i + 1 })}
                    >
                      <span aria-hidden="true">×</span>
                    </button>
                  </div>
                  {problem && (
                    <p className="field-error" id={errorId}>
                      {say(problem)}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-secondary min-h-11" onClick={add} disabled={full}>
          <span aria-hidden="true">+</span> {t('form.addField')}
        </button>
        {full && (
          <span className="text-xs text-slate-600 dark:text-slate-400">
            {t('form.fieldsMax', { max: DEVICE_FIELDS_MAX })}
          </span>
        )}
      </div>
      {error && (
        <p className="field-error" id="fields-error" role="alert">
          {say(error)}
        </p>
      )}
    </fieldset>
  );
}
