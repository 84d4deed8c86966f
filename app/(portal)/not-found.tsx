import Link from 'next/link';

/**
 * Not found inside the portal (an unknown address, a task or user that does not exist): rendered in
 * the portal layout, so the header and its navigation stay and the way on is one click.
 */
export default function PortalNotFound() {
  return (
    <div className="card mx-auto mt-8 max-w-lg space-y-3 p-6 text-center" data-testid="not-found">
      <p className="text-sm font-semibold text-slate-400">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">Not found</h1>
      <p className="text-sm text-slate-600">
        This page, device or task does not exist, or you cannot see it.
      </p>
      <div className="flex flex-wrap justify-center gap-3 text-sm">
        <Link href="/" className="btn-primary">
          Dashboard
        </Link>
        <Link href="/devices" className="btn-secondary">
          Devices
        </Link>
        <Link href="/tasks" className="btn-secondary">
          Tasks
        </Link>
      </div>
    </div>
  );
}
