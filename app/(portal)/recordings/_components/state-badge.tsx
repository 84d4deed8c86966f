import { useTranslations } from 'next-intl';
import type { RecordingState } from '@/lib/recordings/recorder';

const STYLES: Record<RecordingState, string> = {
  recording: 'bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-200',
  complete: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200',
  capped: 'bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200',
  failed: 'bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200',
  interrupted: 'bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200',
};

/** A recording's state as a small pill; `data-state` keeps the raw value. */
export function RecordingStateBadge({ state }: { state: RecordingState }) {
  const t = useTranslations('terminal.recordings.states');
  return (
    <span
      className={`inline-block rounded px-2 py-0.5 text-xs font-medium whitespace-nowrap ${STYLES[state]}`}
      data-state={state}
    >
      {t(state)}
    </span>
  );
}

/**
 * Why a recording is incomplete, in the reader's language (nothing for a complete one). The stored
 * note (the server's own words: the cap, the store's error) is on hover.
 */
export function RecordingStateNote({
  state,
  note,
  className = '',
}: {
  state: RecordingState;
  note: string;
  className?: string;
}) {
  const t = useTranslations('terminal.recordings.stateNotes');
  if (state === 'complete') return null;
  return (
    <span className={className} title={note || undefined} data-testid="recording-note">
      {t(state)}
    </span>
  );
}
