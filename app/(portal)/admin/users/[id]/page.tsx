import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { GrantsForm } from './grants-form';
import { SignOutUserEverywhere } from './sign-out-user';
import { getRuntime } from '@/lib/server/registry';

export const metadata: Metadata = { title: 'Device grants' };

export default async function UserGrantsPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requireUser();
  if (!can(me.role, 'grants:manage')) return <NoAccess what="manage device grants" />;
  const { id } = await params;
  const { db } = getRuntime();
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, username: true, role: true, grants: { select: { deviceId: true } } },
  });
  if (!user) notFound();
  const devices = await db.device.findMany({
    orderBy: { name: 'asc' },
    select: { id: true, name: true, host: true, vendor: true },
  });
  return (
    <div className="space-y-4">
      <Link href="/admin/users" className="text-sm text-sky-700 hover:underline">
        ← Users
      </Link>
      <h1 className="text-2xl font-semibold tracking-tight">Devices {user.username} can see</h1>
      {user.role === 'admin' && (
        <p className="text-sm text-slate-500">Admins see every device; grants apply if the role changes.</p>
      )}
      <GrantsForm userId={user.id} devices={devices} granted={user.grants.map((g) => g.deviceId)} />
      {can(me.role, 'users:manage') && (
        <section className="card space-y-2 p-4" aria-labelledby="user-sessions">
          <h2 id="user-sessions" className="text-lg font-semibold">
            Sessions
          </h2>
          <p className="text-sm text-slate-600">
            Sign {user.username} out of every browser. Their open terminals and live connections close at
            once; they can sign in again with their password.
          </p>
          <SignOutUserEverywhere userId={user.id} username={user.username} />
        </section>
      )}
    </div>
  );
}
