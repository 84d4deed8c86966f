'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef } from 'react';
import { SHORTCUTS } from './shortcuts';

/** The `?` overlay: a modal <dialog>, so Esc closes it (the browser's cancel) and focus goes back. */
export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  const t = useTranslations('terminal.help');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="card m-auto w-[28rem] max-w-[calc(100vw-2rem)] p-4 text-slate-900 backdrop:bg-slate-900/40 dark:text-slate-100 dark:backdrop:bg-slate-950/70"
      aria-labelledby="shortcuts-title"
      onClose={onClose}
    >
      <h2 id="shortcuts-title" className="text-base font-semibold">
        {t('title')}
      </h2>
      <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{t('intro')}</p>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {SHORTCUTS.map((k) => (
          <div key={k.what} className="contents">
            <dt>
              <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs whitespace-nowrap dark:border-slate-600 dark:bg-slate-800">
                {'typed' in k.keys ? k.keys.typed : t(k.keys.described)}
              </kbd>
            </dt>
            <dd className="text-slate-700 dark:text-slate-300">{t(k.what)}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-4 flex justify-end">
        <button type="button" className="btn-secondary" autoFocus onClick={() => dialog.current?.close()}>
          {t('close')}
        </button>
      </div>
    </dialog>
  );
}
