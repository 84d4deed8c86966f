'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { ConfirmDialog } from '../../groups/_components/confirm-dialog';
import {
  deleteWebhookAction,
  deliveryStatusAction,
  sendTestAction,
  setWebhookEnabledAction,
  type DeliveryStatusView,
} from '../actions';
import { EditWebhookForm } from '../webhook-forms';

/** How often the page asks where a test delivery stands, and for how long before it says "still pending". */
const TEST_POLL_MS = 750;
const TEST_WAIT_MS = 20_000;

type TestResult =
  | { kind: 'queued' }
  | { kind: 'done'; delivery: DeliveryStatusView }
  | { kind: 'waiting'; delivery: DeliveryStatusView }
  | { kind: 'error'; error: string };

export interface WebhookControlsData {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  allowLocal: boolean;
}

/** Enable or disable, edit, send a test (and follow it until it is delivered or retried), delete. */
export function WebhookControls({
  webhook,
  allEvents,
  deliveries,
}: {
  webhook: WebhookControlsData;
  allEvents: readonly string[];
  deliveries: number;
}) {
  const t = useTranslations('webhooks.detail');
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok?: string; error?: string }>({});
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();
  const [test, setTest] = useState<TestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const polling = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (polling.current) clearTimeout(polling.current);
    },
    [],
  );

  const toggle = () =>
    start(async () => {
      setMessage(await setWebhookEnabledAction(webhook.id, !webhook.enabled));
      router.refresh();
    });

  const sendTest = async () => {
    if (polling.current) clearTimeout(polling.current);
    setTesting(true);
    setTest({ kind: 'queued' });
    const queued = await sendTestAction(webhook.id);
    if (!queued.deliveryId) {
      setTesting(false);
      setTest({ kind: 'error', error: queued.error ?? '' });
      return;
    }
    router.refresh();
    const deliveryId = queued.deliveryId;
    const until = Date.now() + TEST_WAIT_MS;
    const poll = async () => {
      const r = await deliveryStatusAction(webhook.id, deliveryId);
      if (!r.delivery) {
        setTesting(false);
        setTest({ kind: 'error', error: r.error ?? '' });
        return;
      }
      const d = r.delivery;
      // delivered, failed for good, or an attempt that failed and waits for its retry (an attempt
      // in flight is counted before it has an answer: keep waiting for that answer)
      if (d.status !== 'pending' || (d.attempts > 0 && d.error !== null) || Date.now() >= until) {
        setTesting(false);
        setTest(d.status === 'pending' ? { kind: 'waiting', delivery: d } : { kind: 'done', delivery: d });
        router.refresh();
        return;
      }
      polling.current = setTimeout(() => void poll(), TEST_POLL_MS);
    };
    polling.current = setTimeout(() => void poll(), TEST_POLL_MS);
  };

  const confirmDelete = () =>
    start(async () => {
      const r = await deleteWebhookAction(webhook.id);
      if (r.error) setDeleteError(r.error);
      else {
        setConfirming(false);
        router.push('/admin/webhooks');
      }
    });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className="btn-primary"
          disabled={testing}
          onClick={() => void sendTest()}
          data-testid="send-test"
        >
          {testing ? t('testing') : t('test')}
        </button>
        <button type="button" className="btn-secondary" disabled={pending} onClick={toggle}>
          {webhook.enabled ? t('disable') : t('enable')}
        </button>
        <button
          type="button"
          className="btn-secondary"
          aria-expanded={editing}
          onClick={() => setEditing((v) => !v)}
        >
          {t('edit')}
        </button>
        <button
          type="button"
          className="btn-secondary text-red-700 dark:text-red-400"
          onClick={() => setConfirming(true)}
        >
          {t('delete')}
        </button>
      </div>
      {test && <TestOutcome result={test} />}
      {message.error && <p className="field-error">{message.error}</p>}
      {message.ok && !message.error && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {message.ok}
        </p>
      )}
      {editing && (
        <EditWebhookForm
          webhookId={webhook.id}
          events={allEvents}
          current={{
            url: webhook.url,
            description: webhook.description,
            events: webhook.events,
            allowLocal: webhook.allowLocal,
          }}
          onDone={() => {
            setEditing(false);
            router.refresh();
          }}
        />
      )}
      {confirming && (
        <ConfirmDialog
          title={t('deleteTitle', { url: webhook.url })}
          confirmLabel={t('deleteConfirm')}
          pending={pending}
          error={deleteError}
          onConfirm={confirmDelete}
          onCancel={() => {
            setConfirming(false);
            setDeleteError(undefined);
          }}
        >
          <p>{t('deleteBody', { count: deliveries })}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function TestOutcome({ result }: { result: TestResult }) {
  const t = useTranslations('webhooks.detail');
  const box = 'rounded-md border px-3 py-2 text-sm break-words';
  const ok = `${box} border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-200`;
  const warn = `${box} border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200`;
  const bad = `${box} border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200`;
  const neutral = `${box} border-slate-200 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200`;
  let cls = neutral;
  let text: string;
  switch (result.kind) {
    case 'queued':
      text = t('testQueued');
      break;
    case 'error':
      cls = bad;
      text = result.error;
      break;
    case 'waiting':
      cls = warn;
      // a failed attempt waiting for its retry, or one not sent (or answered) yet
      text =
        result.delivery.attempts > 0 && result.delivery.error !== null
          ? t('testRetrying', { error: result.delivery.error })
          : t('testWaiting');
      break;
    case 'done':
      if (result.delivery.status === 'delivered') {
        cls = ok;
        text = t('testDelivered', {
          code: result.delivery.responseCode ?? 0,
          ms: result.delivery.durationMs ?? 0,
        });
      } else {
        cls = bad;
        text = t('testFailed', { error: result.delivery.error ?? t('noAnswer') });
      }
      break;
  }
  return (
    <p role="status" className={cls} data-testid="test-result" data-kind={result.kind}>
      {text}
    </p>
  );
}
