'use client';

import { useActionState } from 'react';
import { NOTIFICATION_KIND_LABELS, NOTIFICATION_KINDS } from '@/lib/notifications/feed';
import { savePreferencesAction } from './actions';

export function Preferences({ enabled }: { enabled: string[] }) {
  const [state, action, pending] = useActionState(savePreferencesAction, {});
  return (
    <form action={action} className="card space-y-2 p-4" aria-label="Notification preferences">
      <h2 className="text-sm font-semibold">Tell me when…</h2>
      {NOTIFICATION_KINDS.map((k) => (
        <label key={k} className="flex items-center gap-2 font-normal">
          <input type="checkbox" name="kind" value={k} defaultChecked={enabled.includes(k)} />
          {NOTIFICATION_KIND_LABELS[k]}
        </label>
      ))}
      <button type="submit" className="btn-primary" disabled={pending}>
        Save
      </button>
      {state.ok && (
        <p role="status" className="text-sm text-emerald-700">
          {state.ok}
        </p>
      )}
      {state.error && <p className="field-error">{state.error}</p>}
    </form>
  );
}
