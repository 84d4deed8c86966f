'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { PALETTE_MAX_RESULTS } from '@/lib/devices/device-list-params';
import { useLive } from './live-provider';
import { StatusDot } from './status-badge';

/** Typing pauses this long before the palette asks the server. */
export const PALETTE_DEBOUNCE_MS = 120;

interface Match {
  id: string;
  name: string;
  host: string;
  vendor: string;
  status: string;
  canOperate: boolean;
}

/** Ctrl+K / ⌘K, except Ctrl+K typed into a terminal: there it belongs to the device's line editor. */
function isPaletteKey(e: KeyboardEvent): boolean {
  if (e.key.toLowerCase() !== 'k' || e.shiftKey || e.altKey) return false;
  if (e.metaKey) return true;
  if (!e.ctrlKey) return false;
  const t = e.target as Element | null;
  return !t?.closest?.('.xterm');
}

/**
 * Quick connect: Ctrl/⌘-K anywhere in the portal (or the header's Search button) opens a search over
 * the devices the user sees, by name, host or group, with live status dots. Enter (or a click) opens
 * a terminal tab on the device when the user may operate it, its page otherwise.
 */
export function CommandPalette() {
  const router = useRouter();
  const live = useLive();
  const t = useTranslations('shell.palette');
  const tc = useTranslations('common');
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [matches, setMatches] = useState<Match[]>([]);
  const [active, setActive] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [mac, setMac] = useState(true);
  const listId = useId();
  const enterPending = useRef(false);
  const chooseLatest = useRef<(m: Match | undefined) => void>(() => {});
  useEffect(() => {
    chooseLatest.current = choose;
  });

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the platform is known only in the browser
    setMac(/Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent));
    const onKey = (e: KeyboardEvent) => {
      if (!isPaletteKey(e)) return;
      e.preventDefault();
      e.stopPropagation();
      setOpen(true);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      input.current?.select();
    }
    if (!open && d.open) d.close();
  }, [open]);

  // search as you type: debounced, and an answer to an older text never replaces a newer one
  useEffect(() => {
    if (!open) return;
    const q = text.trim();
    if (!q) return;
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/palette?q=${encodeURIComponent(q)}`, { signal: ctl.signal, cache: 'no-store' })
        .then(async (res) => {
          if (!res.ok)
            throw new Error(
              res.status === 401 ? tc('errors.sessionEnded') : t('failed', { status: String(res.status) }),
            );
          const body = (await res.json()) as { devices: Match[] };
          setMatches(body.devices);
          setActive(0);
          setError(null);
          setLoading(false);
          if (enterPending.current) {
            enterPending.current = false;
            chooseLatest.current(body.devices[0]);
          }
        })
        .catch((err: unknown) => {
          if ((err as Error).name === 'AbortError') return;
          setError((err as Error).message);
          setLoading(false);
        });
    }, PALETTE_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [text, open, t, tc]);

  function close() {
    enterPending.current = false;
    setOpen(false);
  }

  function choose(m: Match | undefined) {
    if (!m) return;
    close();
    setText('');
    setMatches([]);
    router.push(m.canOperate ? `/terminal?devices=${m.id}` : `/devices/${m.id}`);
  }

  const optionId = (i: number) => `${listId}-opt-${i}`;
  // an emptied box shows nothing, whatever the last answer was
  const shown = text.trim() ? matches : [];

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="flex items-center gap-2 rounded-md border border-slate-700 px-2 py-1 text-sm text-slate-300 hover:border-slate-500 hover:text-white"
        aria-keyshortcuts="Control+K Meta+K"
        aria-label={t('button', { shortcut: mac ? '⌘K' : 'Ctrl+K' })}
        data-testid="palette-button"
      >
        <svg
          viewBox="0 0 20 20"
          className="h-4 w-4"
          fill="none"
          stroke="currentColor"
          strokeWidth={2}
          aria-hidden
        >
          <circle cx="9" cy="9" r="6" />
          <path d="m14 14 4 4" strokeLinecap="round" />
        </svg>
        {/* a phone's header has no room for the word: the magnifier is the button there */}
        <span className="hidden sm:inline">{t('buttonText')}</span>
        <kbd className="hidden rounded bg-slate-800 px-1 font-sans text-xs text-slate-400 sm:inline">
          {mac ? '⌘K' : 'Ctrl K'}
        </kbd>
      </button>
      <dialog
        ref={dialog}
        aria-label={t('dialog')}
        className="mx-auto mt-[10vh] w-[min(36rem,calc(100vw-1.5rem))] rounded-lg bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/50 dark:bg-slate-900 dark:text-slate-100 dark:ring-1 dark:ring-slate-700 dark:backdrop:bg-black/60"
        onClose={close}
        onClick={(e) => {
          // a click on the backdrop (the dialog element itself, outside its content) closes it
          if (e.target === dialog.current) close();
        }}
      >
        {/* nothing inside while closed: a hidden search box must not be found by its label */}
        {open && (
          <>
            <div className="border-b border-slate-200 p-3 dark:border-slate-700">
              <input
                ref={input}
                role="combobox"
                aria-expanded={shown.length > 0}
                aria-controls={listId}
                aria-activedescendant={shown.length > 0 ? optionId(active) : undefined}
                aria-autocomplete="list"
                aria-label={t('input')}
                placeholder={t('placeholder')}
                className="w-full border-0 bg-transparent px-1 py-1 text-base outline-none placeholder:text-slate-500 dark:placeholder:text-slate-400"
                autoComplete="off"
                spellCheck={false}
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setLoading(e.target.value.trim() !== '');
                }}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowDown') {
                    e.preventDefault();
                    setActive((a) => (shown.length ? (a + 1) % shown.length : 0));
                  } else if (e.key === 'ArrowUp') {
                    e.preventDefault();
                    setActive((a) => (shown.length ? (a - 1 + shown.length) % shown.length : 0));
                  } else if (e.key === 'Enter') {
                    e.preventDefault();
                    // Enter typed before the answer to the latest text arrived: take its first match
                    if (loading) enterPending.current = true;
                    else choose(shown[active]);
                  }
                }}
              />
            </div>
            <ul
              id={listId}
              role="listbox"
              aria-label={t('listbox')}
              className="max-h-[60vh] overflow-y-auto py-1"
            >
              {shown.map((m, i) => (
                <li
                  key={m.id}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  data-device={m.name}
                  className={`flex cursor-pointer items-center gap-3 px-4 py-2 text-sm ${i === active ? 'bg-sky-100 dark:bg-sky-900/50' : ''}`}
                  onMouseMove={() => setActive(i)}
                  onClick={() => choose(m)}
                >
                  <StatusDot status={live?.statuses[m.id] ?? m.status} />
                  <span className="min-w-0 flex-1 truncate font-medium">{m.name}</span>
                  <span className="hidden truncate font-mono text-xs text-slate-600 sm:inline dark:text-slate-400">
                    {m.host}
                  </span>
                  <span className="text-xs whitespace-nowrap text-slate-600 dark:text-slate-400">
                    {m.canOperate ? t('connect') : t('openPage')}
                  </span>
                </li>
              ))}
            </ul>
            <p
              className="border-t border-slate-100 px-4 py-2 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400"
              aria-live="polite"
            >
              {error ??
                (!text.trim()
                  ? t('hint')
                  : loading
                    ? t('searching')
                    : shown.length === 0
                      ? t('noMatch')
                      : shown.length === PALETTE_MAX_RESULTS
                        ? t('shownFirst', { count: shown.length, max: PALETTE_MAX_RESULTS })
                        : t('shown', { count: shown.length }))}
            </p>
          </>
        )}
      </dialog>
    </>
  );
}
