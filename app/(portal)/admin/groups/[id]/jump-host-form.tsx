'use client';

import { useActionState } from 'react';
import { setGroupJumpHostAction, type JumpHostState } from '../actions';

/** The group's SSH jump host: its devices without a jump host of their own are reached through it. */
export function JumpHostForm({
  groupId,
  current,
  suggestions,
}: {
  groupId: string;
  current: string | null;
  suggestions: string[];
}) {
  const [state, action, pending] = useActionState<JumpHostState, FormData>(
    setGroupJumpHostAction.bind(null, groupId),
    {},
  );
  return (
    <form action={action} className="space-y-2" noValidate aria-label="Jump host">
      <label htmlFor="group-jump-host">Jump host (SSH device)</label>
      <div className="flex flex-wrap gap-2">
        <input
          id="group-jump-host"
          name="jumpHost"
          className="input mt-0 max-w-sm flex-1"
          list="group-jump-host-names"
          placeholder="none"
          defaultValue={state.value ?? current ?? ''}
          aria-invalid={Boolean(state.error)}
          aria-describedby="group-jump-host-help"
        />
        <datalist id="group-jump-host-names">
          {suggestions.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <button type="submit" className="btn-secondary" disabled={pending}>
          {pending ? 'Saving…' : 'Save jump host'}
        </button>
      </div>
      <p id="group-jump-host-help" className="text-xs text-slate-500">
        Devices of this group that have no jump host of their own are reached through it (a device in two
        groups with different jump hosts is refused until one is chosen). Empty: none.
      </p>
      {state.error && (
        <p className="field-error" role="alert">
          {state.error}
        </p>
      )}
      {state.ok && (
        <p className="text-sm text-emerald-700" role="status">
          {state.ok}
        </p>
      )}
    </form>
  );
}
