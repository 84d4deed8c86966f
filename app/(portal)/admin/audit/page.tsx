import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { Time } from '@/app/_components/time';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getRuntime } from '@/lib/server/registry';

export const metadata: Metadata = { title: 'Audit' };

const PAGE_SIZE = 200;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<{ action?: string; user?: string; target?: string }>;
}) {
  const me = await requireUser();
  if (!can(me.role, 'audit:view')) return <NoAccess what="read the audit log" />;
  const { action, user, target } = await searchParams;
  const events = await getRuntime().db.auditEvent.findMany({
    where: {
      ...(action ? { action: { startsWith: action.slice(0, 64) } } : {}),
      ...(user ? { user: { username: user.slice(0, 64) } } : {}),
      ...(target ? { target: { contains: target.slice(0, 64) } } : {}),
    },
    orderBy: { at: 'desc' },
    take: PAGE_SIZE,
    include: { user: { select: { username: true } } },
  });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
      <form className="card flex flex-wrap items-end gap-3 p-3" role="search">
        <div>
          <label htmlFor="action">Action starts with</label>
          <input
            id="action"
            name="action"
            defaultValue={action}
            placeholder="login, terminal., device."
            className="input"
          />
        </div>
        <div>
          <label htmlFor="user">User</label>
          <input id="user" name="user" defaultValue={user} className="input" />
        </div>
        <div>
          <label htmlFor="target">Device or target</label>
          <input id="target" name="target" defaultValue={target} className="input" />
        </div>
        <button type="submit" className="btn-secondary">
          Filter
        </button>
      </form>
      <div className="card overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="audit-table">
          <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-4 py-2">Time</th>
              <th className="px-4 py-2">User</th>
              <th className="px-4 py-2">Action</th>
              <th className="px-4 py-2">Target</th>
              <th className="px-4 py-2">Detail</th>
              <th className="px-4 py-2">Address</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {events.map((e) => (
              <tr key={e.id}>
                <td className="px-4 py-1.5 font-mono text-xs whitespace-nowrap">
                  <Time iso={e.at} />
                </td>
                <td className="px-4 py-1.5">{e.user?.username ?? '—'}</td>
                <td className="px-4 py-1.5 font-mono text-xs">{e.action}</td>
                <td className="px-4 py-1.5">{e.target}</td>
                <td className="px-4 py-1.5 text-slate-600">{e.detail}</td>
                <td className="px-4 py-1.5 font-mono text-xs">{e.ip}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {events.length === 0 && <p className="p-6 text-center text-sm text-slate-500">No events.</p>}
      </div>
    </div>
  );
}
