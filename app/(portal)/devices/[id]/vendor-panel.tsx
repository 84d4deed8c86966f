'use client';

import { useState, useSyncExternalStore, useTransition } from 'react';
import { VENDOR_LABELS, type Vendor } from '@/lib/devices/schema';
import { detectVendorAction, setDeviceVendorAction, type DetectVendorResult } from '../actions';

type Detection = Extract<DetectVendorResult, { ok: true }>;

const labelOf = (vendor: string) => VENDOR_LABELS[vendor as Vendor] ?? vendor;
const noop = () => () => {};

export function VendorPanel({ deviceId, vendor }: { deviceId: string; vendor: string }) {
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
      setSaved(r.ok ?? null);
      setError(r.error ?? null);
    });
  };
  const proposed = detection?.detected?.vendor;

  return (
    <section className="card max-w-3xl space-y-3 p-4" aria-label="Vendor">
      <h2 className="text-sm font-semibold">Vendor</h2>
      <p className="text-sm">
        Stored: <strong data-testid="stored-vendor">{labelOf(vendor)}</strong>
      </p>
      <p className="text-xs text-slate-500">
        Detection logs in to the device as you and runs its version command; it changes nothing on the device.
      </p>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className="btn-secondary"
          disabled={!hydrated || detecting || saving}
          aria-busy={detecting}
          onClick={detect}
        >
          {detecting ? 'Logging in…' : 'Detect vendor'}
        </button>
        {proposed && proposed !== vendor && (
          <button
            type="button"
            className="btn-primary"
            disabled={detecting || saving}
            onClick={() => use(proposed)}
          >
            {saving ? 'Saving…' : `Use ${labelOf(proposed)}`}
          </button>
        )}
      </div>
      {error && (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {error}
        </div>
      )}
      {saved && (
        <p role="status" className="text-sm text-emerald-700">
          {saved}
        </p>
      )}
      {detection && <DetectionResult detection={detection} stored={vendor} />}
    </section>
  );
}

function DetectionResult({ detection, stored }: { detection: Detection; stored: string }) {
  const { detected, prompt, serverIdent, versionCommand, versionExcerpt } = detection;
  return (
    <div className="space-y-2 text-sm" data-testid="vendor-detection">
      {detected ? (
        <p>
          Detected: <strong>{labelOf(detected.vendor)}</strong> ({detected.confidence} confidence) —{' '}
          {detected.reason}
          {detected.vendor === stored && <span className="text-slate-500">; the stored vendor matches.</span>}
        </p>
      ) : (
        <p>No vendor detected: nothing the device showed matches a known platform. What it showed:</p>
      )}
      <dl className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-1 text-xs">
        <dt className="text-slate-500">Prompt</dt>
        <dd>
          <code className="font-mono break-all">{prompt || '(none)'}</code>
        </dd>
        <dt className="text-slate-500">SSH ident</dt>
        <dd>
          <code className="font-mono break-all">{serverIdent || '(none)'}</code>
        </dd>
      </dl>
      {versionCommand ? (
        <details className="rounded-md border border-slate-200">
          <summary className="cursor-pointer px-2 py-1 text-xs">
            First lines of <code className="font-mono">{versionCommand}</code>
          </summary>
          <pre className="max-h-60 overflow-auto bg-slate-50 p-2 font-mono text-xs whitespace-pre">
            {versionExcerpt}
          </pre>
        </details>
      ) : (
        <p className="text-xs text-slate-500">
          The device refused both <code>show version</code> and <code>display version</code>.
        </p>
      )}
    </div>
  );
}
