import Link from 'next/link';
import type { NotificationFrame } from '@/lib/realtime/protocol';

/** Fresh notifications in the bottom-right corner (the live provider decides which and for how long). */
export function Toasts({ toasts }: { toasts: NotificationFrame[] }) {
  return (
    <div
      className="fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2"
      aria-live="polite"
      data-testid="toasts"
    >
      {toasts.map((t) => (
        <div key={t.id} className="card border-l-4 border-l-sky-600 p-3 text-sm shadow-lg" data-kind={t.kind}>
          <div className="font-medium">{t.title}</div>
          {t.body && <div className="text-xs text-slate-600">{t.body}</div>}
          {t.link && (
            <Link href={t.link} className="text-xs text-sky-700 hover:underline">
              Open
            </Link>
          )}
        </div>
      ))}
    </div>
  );
}
