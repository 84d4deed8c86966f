import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { Time } from '@/app/_components/time';
import { getCurrentPrefs, requireUser } from '@/lib/auth/session';
import { getRuntime } from '@/lib/server/registry';
import { liveSessionFor } from '@/lib/terminal/live';
import { clampFontSize, terminalThemeName } from '@/lib/terminal/themes';
import { ObserverView } from './observer-view';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('sessions.observe');
  return { title: t('title') };
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Watch one live session, read-only; an admin may end it with a reason. */
export default async function ObserveSessionPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const runtime = getRuntime();
  const [session, t, prefs] = await Promise.all([
    ID.test(id) ? liveSessionFor(id, user, runtime) : null,
    getTranslations('sessions.observe'),
    getCurrentPrefs(),
  ]);
  const back = (
    <p className="text-sm">
      <Link href="/sessions" className="text-sky-700 underline dark:text-sky-400">
        {t('back')}
      </Link>
    </p>
  );
  if (!session) {
    return (
      <div className="space-y-4">
        {back}
        <p className="card p-6 text-sm" data-testid="session-gone">
          {t('gone')}
        </p>
      </div>
    );
  }
  const recording = await runtime.db.recording.findUnique({
    where: { sessionId: session.id },
    select: { id: true },
  });
  return (
    <div className="flex min-w-0 flex-col gap-3">
      <header className="space-y-2">
        {back}
        <h1 className="text-2xl font-semibold tracking-tight break-words">
          {t('heading', { user: session.username, device: session.deviceName })}
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {t('readOnly', { user: session.username })} {t('since')}: <Time iso={session.since} /> · {t('node')}
          : {session.node}
          {recording && (
            <>
              {' · '}
              <Link href={`/recordings/${recording.id}`} className="text-sky-700 underline dark:text-sky-400">
                {t('recording')}
              </Link>
            </>
          )}
        </p>
      </header>
      <ObserverView
        sessionId={session.id}
        owner={session.username}
        device={session.deviceName}
        canEnd={user.role === 'admin'}
        theme={terminalThemeName(prefs?.terminalTheme)}
        fontSize={clampFontSize(prefs?.terminalFontSize)}
      />
    </div>
  );
}
