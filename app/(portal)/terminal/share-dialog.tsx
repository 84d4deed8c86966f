'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';

export interface Guest {
  name: string;
  control: boolean;
}

/**
 * Pairing, for the session's owner: invite a teammate who may see the device (they watch from
 * Sessions), hand one the keyboard (if they may operate it) and take it back, withdraw an invitation.
 * A modal <dialog>: Esc closes it. What the server refuses comes back as `error`.
 */
export function ShareDialog({
  device,
  guests,
  error,
  onInvite,
  onUninvite,
  onHandOver,
  onClose,
}: {
  device: string;
  guests: Guest[];
  error: string | null;
  onInvite(username: string): void;
  onUninvite(username: string): void;
  onHandOver(username: string | null): void;
  onClose(): void;
}) {
  const t = useTranslations('sessions.share');
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState('');
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  const holder = guests.find((g) => g.control);
  return (
    <dialog
      ref={dialog}
      className="card m-auto w-[30rem] max-w-[calc(100vw-2rem)] p-4 text-slate-900 backdrop:bg-slate-900/40 dark:text-slate-100 dark:backdrop:bg-slate-950/70"
      aria-labelledby="share-title"
      onClose={onClose}
    >
      <h2 id="share-title" className="text-base font-semibold break-words">
        {t('title', { device })}
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t('intro')}</p>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) onInvite(name.trim());
          setName('');
        }}
      >
        <label className="min-w-0 flex-1 space-y-1 text-sm">
          <span className="font-medium">{t('username')}</span>
          <input
            className="input w-full"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
          />
        </label>
        <button type="submit" className="btn-primary">
          {t('invite')}
        </button>
      </form>
      {error && (
        <p className="field-error mt-2" role="alert">
          {error}
        </p>
      )}
      {guests.length > 0 && (
        <ul className="mt-4 space-y-2 text-sm" aria-label={t('guests')}>
          {guests.map((g) => (
            <li
              key={g.name}
              className="space-y-1 rounded-md border border-slate-200 p-2 dark:border-slate-700"
              data-guest={g.name}
            >
              <div className="font-medium break-all">
                {g.name}
                {g.control && (
                  <span className="ml-2 font-normal text-amber-700 dark:text-amber-400">
                    {t('hasControl')}
                  </span>
                )}
              </div>
              <div className="flex flex-wrap gap-2">
                {g.control ? (
                  <button type="button" className="btn-secondary" onClick={() => onHandOver(null)}>
                    {t('takeBack')}
                  </button>
                ) : (
                  <button type="button" className="btn-secondary" onClick={() => onHandOver(g.name)}>
                    {t('handOver', { name: g.name })}
                  </button>
                )}
                <button type="button" className="btn-secondary" onClick={() => onUninvite(g.name)}>
                  {t('remove', { name: g.name })}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {holder && <p className="mt-3 text-sm">{t('waiting', { name: holder.name })}</p>}
      <div className="mt-4 flex justify-end">
        <button type="button" className="btn-secondary" onClick={() => dialog.current?.close()}>
          {t('close')}
        </button>
      </div>
    </dialog>
  );
}
