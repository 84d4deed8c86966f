import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/session';
import { listApiTokens } from '@/lib/auth/tokens';
import { getRuntime } from '@/lib/server/registry';
import { ChangePasswordForm } from './change-password';
import { SignOutEverywhereForm } from './sign-out-everywhere';
import { CreateTokenForm, TokenList } from './tokens';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const user = await requireUser();
  const everyone = user.role === 'admin';
  const tokens = await listApiTokens(user, getRuntime(), { everyone });
  return (
    <div className="max-w-4xl space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
      <dl className="card grid grid-cols-[7rem_1fr] gap-x-4 gap-y-2 p-4 text-sm">
        <dt className="text-slate-500">Username</dt>
        <dd className="font-medium" data-testid="account-username">
          {user.username}
        </dd>
        {user.displayName && (
          <>
            <dt className="text-slate-500">Name</dt>
            <dd>{user.displayName}</dd>
          </>
        )}
        <dt className="text-slate-500">Role</dt>
        <dd data-testid="account-role">{user.role}</dd>
      </dl>
      <section className="card space-y-3 p-4" aria-labelledby="change-password">
        <h2 id="change-password" className="text-lg font-semibold">
          Change password
        </h2>
        <p className="text-sm text-slate-600">
          Changing it signs you out everywhere, this browser included: sign in again with the new one.
        </p>
        <ChangePasswordForm />
      </section>
      <section className="card space-y-3 p-4" aria-labelledby="api-tokens">
        <h2 id="api-tokens" className="text-lg font-semibold">
          API tokens
        </h2>
        <p className="text-sm text-slate-600">
          Personal access tokens let scripts use the{' '}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a route handler's HTML, not a page */}
          <a className="text-sky-700 underline" href="/api/docs">
            REST API
          </a>{' '}
          and WebSockets as you, with your role and devices: send <code>Authorization: Bearer sb_…</code>. A{' '}
          <em>read</em> token can only look; a <em>write</em> token can change things and open terminals.
          {everyone && ' As an admin you see, and can revoke, everyone’s tokens.'}
        </p>
        <CreateTokenForm />
        <TokenList tokens={tokens} showOwner={everyone} />
      </section>
      <section className="card space-y-3 p-4" aria-labelledby="sign-out-everywhere">
        <h2 id="sign-out-everywhere" className="text-lg font-semibold">
          Sign out everywhere
        </h2>
        <p className="text-sm text-slate-600">
          Ends every session of your account, in every browser, this one included. Open terminals and live
          connections close at once. Use it when you signed in on a computer that is not yours, or think
          someone else may have your session.
        </p>
        <SignOutEverywhereForm />
      </section>
    </div>
  );
}
