import { describe, expect, it } from 'vitest';
import { LOCALE_COOKIE, resolveLocale } from '@/lib/i18n/config';
import { localeCookie } from './locale-cookie';

describe('localeCookie', () => {
  it('is site-wide, lasts a year and is Lax (Secure over https)', () => {
    expect(localeCookie(LOCALE_COOKIE, 'zh-CN', false)).toBe(
      'sb-locale=zh-CN; path=/; max-age=31536000; SameSite=Lax',
    );
    expect(localeCookie(LOCALE_COOKIE, 'en', true)).toBe(
      'sb-locale=en; path=/; max-age=31536000; SameSite=Lax; Secure',
    );
  });

  it('holds a value the server reads back as that locale, over the browser language', () => {
    const value = decodeURIComponent(
      localeCookie(LOCALE_COOKIE, 'zh-CN', false).split(';')[0]!.split('=')[1]!,
    );
    expect(resolveLocale({ cookie: value, acceptLanguage: 'en-US,en;q=0.9' })).toBe('zh-CN');
  });
});
