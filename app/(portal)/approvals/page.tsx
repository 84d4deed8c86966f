import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireUser } from '@/lib/auth/session';
import { listApprovals } from '@/lib/policy/approvals';
import { getRuntime } from '@/lib/server/registry';
import { ApprovalList } from './approval-list';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('terminal.approvals');
  return { title: t('title') };
}

/** Commands the guard rails hold for a second person: the ones this user may decide, and their own. */
export default async function ApprovalsPage() {
  const user = await requireUser();
  const t = await getTranslations('terminal.approvals');
  const items = await listApprovals(getRuntime().db, user);
  return (
    <div className="min-w-0 space-y-4">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t('heading')}</h1>
        <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-300">{t('intro')}</p>
      </header>
      <ApprovalList
        items={items.map((a) => ({
          ...a,
          createdAt: a.createdAt.toISOString(),
          expiresAt: a.expiresAt.toISOString(),
          decidedAt: a.decidedAt?.toISOString() ?? null,
        }))}
      />
    </div>
  );
}
