import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { sameOriginPath } from '@/lib/auth/redirect';
import { getCurrentUser } from '@/lib/auth/session';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; passwordChanged?: string }>;
}) {
  if (await getCurrentUser()) redirect('/');
  const { callbackUrl, passwordChanged } = await searchParams;
  // Only a path on this origin, as the browser will resolve it ("/\\host" and "/<tab>/host" are
  // other hosts): never redirect to another origin after sign-in.
  const target = sameOriginPath(callbackUrl);
  return (
    <div className="card w-full max-w-sm p-8">
      <h1 className="text-2xl font-semibold tracking-tight">Switchboard</h1>
      <p className="mt-1 mb-6 text-sm text-slate-500">Sign in to your network operations portal.</p>
      {passwordChanged && (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Your password was changed. Sign in with the new one.
        </p>
      )}
      <LoginForm callbackUrl={target} />
    </div>
  );
}
