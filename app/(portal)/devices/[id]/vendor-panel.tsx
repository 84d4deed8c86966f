'use client';

import { useTranslations } from 'next-intl';
import { useId, useState, useSyncExternalStore, useTransition } from 'react';
import { VENDOR_LABELS, type Vendor } from '@/lib/devices/schema';
import { detectVendorAction, setDeviceVendorAction, type DetectVendorResult } from '../actions';

type Detection = Extract<DetectVendorResult, { ok: true }>;

const labelOf = (vendor: string) => VENDOR_LABELS[vendor as Vendor] ?? vendor;
const noop = () => () => {};

export function VendorPanel({ deviceId, vendor }: { deviceId: string; vendor: string }) {
  const t = useTranslations('device.vendor');
  const headingId = useId();
  const [detecting, startDetect] = useTransition();
  const [saving, startSave] = useTransition();
  const [detection, setDetection] = useState<Detection | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Until hydrated, a click would do nothing: the button stays disabled instead.
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );

  const detect = () => {
    // a new attempt replaces what the last one said
    setDetection(null);
    setSaved(null);
    setError(null);
    startDetect(async () => {
      const r = await detectVendorAction(deviceId);
      if (r.ok) setDetection(r);
      else setError(r.error);
    });
  };
  const use = (detected: Vendor) => {
    setError(null);
    startSave(async () => {
      const r = await setDeviceVendorAction(deviceId, detected);
      // the action's notice is English ("Vendor set to …"): say it in the reader's language
      setSaved(r.ok ? t('saved', { vendor: labelOf(detected) }) : null);
      setError(r.error ?? null);
    });
  };
  const proposed = detection?.detected?.vendor;

  return (
    <section className="card max-w-3xl min-w-0 space-y-3 p-4" aria-labelledby={headingId}>
      <h2 id={headingId} className="text-sm font-semibold">
        {t('heading')}
      </h2>
      <p className="text-sm">
        {t.rich('stored', { strong: () => <strong data-testid="stored-vendor">{labelOf(vendor)}</strong> })}
      </p>
      <p className="text-xs text-slate-500 dark:text-slate-400">{t('intro')}</p>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className="btn-secondary"
          disabled={!hydrated || detecting || saving}
          aria-busy={detecting}
          onClick={detect}
        >
          {detecting ? t('detecting') : t('detect')}
        </button>
        {proposed && proposed !== vendor && (
          <button
            type="button"
            className="btn-primary"
            disabled={detecting || saving}
            onClick={() => use(proposed)}
          >
            {saving ? t('saving') : t('use', { vendor: labelOf(proposed) })}
          </button>
        )}
      </div>
      {error && (
        <div
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm break-words text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-300"
        >
          {error}
        </div>
      )}
      {saved && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
          {saved}
        </p>
      )}
      {detection && <DetectionResult detection={detection} stored={vendor} />}
    </section>
  );
}

function DetectionResult({ detection, stored }: { detection: Detection; stored: string }) {
  const t = useTranslations('device.vendor');
  const { detected, prompt, serverIdent, versionCommand, versionExcerpt } = detection;
  return (
    <div className="min-w-0 space-y-2 text-sm" data-testid="vendor-detection">
      {detected ? (
        <p className="break-words">
          {t.rich('detected', {
            strong: (c) => <strong>{c}</strong>,
            vendor: labelOf(detected.vendor),
            confidence: t(`confidence.${detected.confidence}`),
            reason: detected.reason,
          })}
          {detected.vendor === stored && (
            <span className="text-slate-500 dark:text-slate-400">{t('matches')}</span>
          )}
        </p>
      ) : (
        <p>{t('noneDetected')}</p>
      )}
      <dl className="grid grid-cols-[6rem_minmax(0,1fr)] gap-x-3 gap-y-1 text-xs">
        <dt className="text-slate-500 dark:text-slate-400">{t('prompt')}</dt>
        <dd>
          <code className="font-mono break-all">{prompt || t('none')}</code>
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">{t('sshIdent')}</dt>
        <dd>
          <code className="font-mono break-all">{serverIdent || t('none')}</code>
        </dd>
      </dl>
      {versionCommand ? (
        <details className="rounded-md border border-slate-200 dark:border-slate-700">
          <summary className="cursor-pointer px-2 py-1 text-xs">
            {t.rich('firstLines', { code: () => <code className="font-mono">{versionCommand}</code> })}
          </summary>
          <pre className="max-h-60 overflow-auto bg-slate-50 p-2 font-mono text-xs whitespace-pre dark:bg-slate-950 dark:text-slate-200">
            {versionExcerpt}
          </pre>
        </details>
      ) : (
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {t.rich('refused', { code: (c) => <code>{c}</code> })}
        </p>
      )}
    </div>
  );
}
