'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { followTemplateAction } from '../actions';

/** "Follow": be told when a run of this template finds output that changed since the last run. */
export function FollowButton({ id, following }: { id: string; following: boolean }) {
  const t = useTranslations('automation.page');
  const [on, setOn] = useState(following);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col">
      <button
        type="button"
        className="btn-secondary"
        aria-pressed={on}
        disabled={pending}
        title={t('followHint')}
        onClick={() =>
          start(async () => {
            const r = await followTemplateAction(id, !on);
            setError(r.error ?? null);
            if (r.following !== undefined) setOn(r.following);
          })
        }
      >
        {on ? t('following') : t('follow')}
      </button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
