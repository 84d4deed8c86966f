'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal confirmation (the browser's <dialog>: Esc cancels, focus returns to the opener). Rendered
 * only while open, so its content is always what the caller just looked up.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  error?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useTranslations('admin.dialog');
  const tc = useTranslations('common');
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="card m-auto w-[30rem] max-w-[calc(100vw-2rem)] p-4 text-slate-900 backdrop:bg-slate-900/40 dark:text-slate-100 dark:backdrop:bg-black/60"
      aria-modal="true"
      aria-labelledby={titleId}
      onClose={onCancel}
    >
      <h2 id={titleId} className="text-base font-semibold break-words">
        {title}
      </h2>
      <div className="mt-2 space-y-2 text-sm text-slate-700 dark:text-slate-300">{children}</div>
      {error && <p className="field-error">{error}</p>}
      <div className="mt-4 flex flex-wrap justify-end gap-2">
        <button type="button" className="btn-secondary" onClick={() => ref.current?.close()}>
          {tc('actions.cancel')}
        </button>
        <button type="button" className="btn-danger" disabled={pending} onClick={onConfirm}>
          {pending ? t('working') : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
