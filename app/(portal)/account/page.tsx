import { getTranslations } from 'next-intl/server';
import { getCurrentPrefs, requireUser } from '@/lib/auth/session';
import { listApiTokens } from '@/lib/auth/tokens';
import { getRuntime } from '@/lib/server/registry';
import { ChangePasswordForm } from './change-password';
import { PreferencesForm } from './preferences-form';
import { SignOutEverywhereForm } from './sign-out-everywhere';
import { CreateTokenForm, TokenList } from './tokens';

export async function generateMetadata() {
  const t = await getTranslations('account');
  return { title: t('title') };
}

export default async function AccountPage() {
  const user = await requireUser();
  const everyone = user.role === 'admin';
  const [tokens, prefs, t, common] = await Promise.all([
    listApiTokens(user, getRuntime(), { everyone }),
    getCurrentPrefs(),
    getTranslations('account'),
    getTranslations('common'),
  ]);
  return (
    <div className="max-w-4xl space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
      <dl className="card grid grid-cols-[7rem_1fr] gap-x-4 gap-y-2 p-4 text-sm">
        <dt className="text-slate-500 dark:text-slate-400">{t('username')}</dt>
        <dd className="font-medium" data-testid="account-username">
          {user.username}
        </dd>
        {user.displayName && (
          <>
            <dt className="text-slate-500 dark:text-slate-400">{t('name')}</dt>
            <dd>{user.displayName}</dd>
          </>
        )}
        <dt className="text-slate-500 dark:text-slate-400">{t('role')}</dt>
        <dd data-testid="account-role">{common(`roles.${user.role}`)}</dd>
      </dl>
      <section className="card space-y-3 p-4" aria-labelledby="preferences">
        <h2 id="preferences" className="text-lg font-semibold">
          {t('prefs.title')}
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('prefs.intro')}</p>
        {prefs && <PreferencesForm prefs={prefs} />}
      </section>
      <section className="card space-y-3 p-4" aria-labelledby="change-password">
        <h2 id="change-password" className="text-lg font-semibold">
          {t('password.title')}
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('password.intro')}</p>
        <ChangePasswordForm />
      </section>
      <section className="card min-w-0 space-y-3 p-4" aria-labelledby="api-tokens">
        <h2 id="api-tokens" className="text-lg font-semibold">
          {t('tokens.title')}
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {t.rich('tokens.intro', {
            link: (chunks) => (
              // eslint-disable-next-line @next/next/no-html-link-for-pages -- a route handler's HTML, not a page
              <a className="text-sky-700 underline dark:text-sky-400" href="/api/docs">
                {chunks}
              </a>
            ),
            code: (chunks) => <code>{chunks}</code>,
            em: (chunks) => <em>{chunks}</em>,
          })}
          {everyone && ` ${t('tokens.adminNote')}`}
        </p>
        <CreateTokenForm />
        <TokenList tokens={tokens} showOwner={everyone} />
      </section>
      <section className="card space-y-3 p-4" aria-labelledby="sign-out-everywhere">
        <h2 id="sign-out-everywhere" className="text-lg font-semibold">
          {t('everywhere.title')}
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('everywhere.intro')}</p>
        <SignOutEverywhereForm />
      </section>
    </div>
  );
}
