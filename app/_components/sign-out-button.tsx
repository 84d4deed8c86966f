'use client';

import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';

export function SignOutButton() {
  const t = useTranslations('common.nav');
  return (
    <button
      type="button"
      className="text-sm text-slate-300 hover:text-white"
      onClick={() => signOut({ callbackUrl: '/login' })}
    >
      {t('signOut')}
    </button>
  );
}
