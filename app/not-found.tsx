import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-sm text-slate-600">This page or device does not exist, or you cannot see it.</p>
      <Link href="/" className="text-sky-700 hover:underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
