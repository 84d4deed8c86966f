'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { VENDOR_LABELS, VENDORS, type Vendor } from '@/lib/devices/schema';
import { describedBy } from './described-by';
import type { VendorCoverage } from './vendor-coverage';

/** What the user typed per vendor, and which vendors have a list open (in the order of VENDORS). */
export interface VendorDrafts {
  open: Vendor[];
  /** Kept when a list is removed, so adding it again brings the text back. */
  text: Partial<Record<Vendor, string>>;
}

export const NO_VENDOR_DRAFTS: VendorDrafts = { open: [], text: {} };

/** The open lists' text, as the form field `vendorCommands` takes it (JSON; '' when every list is blank). */
export function vendorCommandsJson(d: VendorDrafts): string {
  const lists = d.open.flatMap((v) => ((d.text[v] ?? '').trim() ? [[v, d.text[v]!] as const] : []));
  return lists.length ? JSON.stringify(Object.fromEntries(lists)) : '';
}

/** The open lists' text by vendor (for the coverage counts and the per-command options). */
export function openVendorTexts(d: VendorDrafts): Partial<Record<Vendor, string>> {
  return Object.fromEntries(d.open.map((v) => [v, d.text[v] ?? '']));
}

const textareaId = (v: Vendor) => `vendor-commands-${v}`;
const addId = (v: Vendor) => `add-vendor-${v}`;

/**
 * Per-vendor command lists beside the common one: a button per vendor adds its list, each list is a
 * textarea with how many selected devices run it, removable. The textareas are React state outside
 * the form (`form` names no form); what is sent is the hidden `vendorCommands` JSON.
 */
export function VendorCommands({
  drafts,
  onChange,
  coverage,
  errors,
  error,
  noForm,
}: {
  drafts: VendorDrafts;
  onChange: (d: VendorDrafts) => void;
  coverage: VendorCoverage;
  /** An error in one list, by vendor (shown under its textarea). */
  errors?: Partial<Record<Vendor, string>>;
  /** An error about the lists as a whole. */
  error?: string;
  noForm: string;
}) {
  const t = useTranslations('tasks.new');
  // after a list is removed, its "add" button comes back and takes the focus (it was on "Remove")
  const focusAdd = useRef<string | null>(null);
  // a list just added takes the focus (autoFocus acts when its textarea mounts)
  const [justAdded, setJustAdded] = useState<Vendor | null>(null);
  const open = VENDORS.filter((v) => drafts.open.includes(v));
  const closed = VENDORS.filter((v) => !drafts.open.includes(v));
  const add = (v: Vendor) => {
    setJustAdded(v);
    onChange({ ...drafts, open: [...drafts.open, v] });
  };
  const remove = (v: Vendor) => {
    focusAdd.current = addId(v);
    onChange({ ...drafts, open: drafts.open.filter((x) => x !== v) });
  };

  return (
    <fieldset className="space-y-2" aria-describedby="per-vendor-help" data-testid="per-vendor">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t('perVendor')}</legend>
      <p id="per-vendor-help" className="text-xs text-slate-600 dark:text-slate-400">
        {t('perVendorHelp')}
      </p>
      {error && (
        <p id="vendorCommands-error" className="field-error [overflow-wrap:anywhere]">
          {error}
        </p>
      )}
      {open.map((v) => {
        const label = VENDOR_LABELS[v];
        const text = drafts.text[v] ?? '';
        const runsOn = coverage.perVendor[v] ?? 0;
        const err = errors?.[v];
        return (
          <div
            key={v}
            className="rounded-md border border-slate-200 bg-slate-50/60 p-2 dark:border-slate-700 dark:bg-slate-800/40"
            data-vendor={v}
          >
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <label htmlFor={textareaId(v)}>{t('vendorCommands', { vendor: label })}</label>
              <span
                id={`${textareaId(v)}-coverage`}
                className="text-xs text-slate-600 dark:text-slate-400"
                data-testid={`vendor-coverage-${v}`}
              >
                {text.trim() === '' ? t('vendorEmpty') : t('vendorCoverage', { count: runsOn })}
              </span>
              <button
                type="button"
                className="ml-auto rounded px-2 py-1 text-xs font-medium text-slate-600 hover:bg-red-50 hover:text-red-700 dark:text-slate-400 dark:hover:bg-red-950/40 dark:hover:text-red-300"
                aria-label={t('removeVendorFor', { vendor: label })}
                onClick={() => remove(v)}
              >
                {t('removeVendor')}
              </button>
            </div>
            <textarea
              id={textareaId(v)}
              form={noForm}
              rows={4}
              className="input font-mono text-xs"
              spellCheck={false}
              autoFocus={justAdded === v}
              value={text}
              onChange={(x) => onChange({ ...drafts, text: { ...drafts.text, [v]: x.target.value } })}
              aria-invalid={!!err}
              aria-describedby={describedBy(err && `${textareaId(v)}-error`, `${textareaId(v)}-coverage`)}
            />
            {err && (
              <p id={`${textareaId(v)}-error`} className="field-error [overflow-wrap:anywhere]">
                {err}
              </p>
            )}
          </div>
        );
      })}
      {closed.length > 0 && (
        <div role="group" aria-labelledby="add-vendor-label" className="flex flex-wrap items-center gap-2">
          <span id="add-vendor-label" className="text-xs text-slate-600 dark:text-slate-400">
            {t('addVendorList')}
          </span>
          {closed.map((v) => {
            const selected = coverage.selectedByVendor[v] ?? 0;
            return (
              <button
                key={v}
                id={addId(v)}
                ref={(el) => {
                  if (el && focusAdd.current === el.id) {
                    focusAdd.current = null;
                    el.focus();
                  }
                }}
                type="button"
                className={`btn-secondary px-2 py-1 text-xs ${
                  selected > 0 ? 'border-sky-600 dark:border-sky-500' : ''
                }`}
                aria-label={
                  selected > 0
                    ? t('addVendorSelected', { vendor: VENDOR_LABELS[v], count: selected })
                    : t('addVendor', { vendor: VENDOR_LABELS[v] })
                }
                data-add-vendor={v}
                onClick={() => add(v)}
              >
                <span aria-hidden="true">+</span>
                {VENDOR_LABELS[v]}
                {selected > 0 && (
                  <span className="rounded-full bg-sky-100 px-1.5 text-[11px] font-semibold text-sky-800 dark:bg-sky-900 dark:text-sky-100">
                    {selected}
                  </span>
                )}
              </button>
            );
          })}
        </div>
      )}
    </fieldset>
  );
}
