'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { deleteScheduleAction, deleteTemplateAction } from '../actions';

export function DeleteTemplateButton({ id, name }: { id: string; name: string }) {
  const t = useTranslations('automation.page');
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="btn-danger"
        disabled={pending}
        onClick={() => {
          if (!window.confirm(t('deleteConfirm', { name }))) return;
          start(async () => setError((await deleteTemplateAction(id))?.error ?? null));
        }}
      >
        {t('delete')}
      </button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </>
  );
}

export function DeleteScheduleButton({ templateId, id }: { templateId: string; id: string }) {
  const t = useTranslations('automation.schedules');
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      className="ml-auto text-xs text-red-700 hover:underline disabled:opacity-50 dark:text-red-400"
      disabled={pending}
      onClick={() => start(async () => void (await deleteScheduleAction(templateId, id)))}
    >
      {t('delete')}
    </button>
  );
}
