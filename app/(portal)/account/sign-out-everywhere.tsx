'use client';

import { useActionState } from 'react';
import { signOutEverywhereAction, type SignOutEverywhereState } from './actions';

export function SignOutEverywhereForm() {
  const [state, action, pending] = useActionState<SignOutEverywhereState, FormData>(
    signOutEverywhereAction,
    {},
  );
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? 'Signing out…' : 'Sign out everywhere'}
      </button>
      {state.error && (
        <p role="alert" className="field-error">
          {state.error}
        </p>
      )}
    </form>
  );
}
