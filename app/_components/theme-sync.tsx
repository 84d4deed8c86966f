'use client';

import { useEffect } from 'react';
import { applyThemePreference } from '@/lib/i18n/theme-script';

/**
 * Keeps <html> in the user's theme after React takes over the page. The inline script in the root
 * layout sets it before the first paint; a page React renders on the client (a not-found boundary,
 * for one) does not run that script, so the theme is applied again here, and follows the system's
 * dark mode while the preference is "system".
 */
export function ThemeSync() {
  useEffect(() => {
    const html = document.documentElement;
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => applyThemePreference(html.dataset.themePref ?? 'system');
    apply();
    media.addEventListener('change', apply);
    // the header's switch changes data-theme-pref: follow it
    const observer = new MutationObserver(apply);
    observer.observe(html, { attributes: true, attributeFilter: ['data-theme-pref'] });
    return () => {
      media.removeEventListener('change', apply);
      observer.disconnect();
    };
  }, []);
  return null;
}
