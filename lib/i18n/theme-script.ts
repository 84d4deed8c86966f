import type { ThemePreference } from './config';

/**
 * The one place a theme preference becomes the page's colours: the `dark` class Tailwind's dark
 * variant keys on, the browser's `color-scheme`, and `data-theme-pref` (what ThemeSync follows).
 * "system" follows the operating system's dark mode. It must stay self-contained: the <head> script
 * is this function's own source, run before the page paints. The attribute is written only when it
 * changes: ThemeSync observes it and calls this again, so an unconditional write would loop forever.
 */
export function applyThemePreference(pref: string): void {
  const html = document.documentElement;
  const dark =
    pref === 'dark' || (pref === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  html.classList.toggle('dark', dark);
  html.style.colorScheme = dark ? 'dark' : 'light';
  if (html.dataset.themePref !== pref) html.dataset.themePref = pref;
}

/** The inline <head> script: applyThemePreference with the user's preference, before the first paint. */
export function themeScript(pref: ThemePreference): string {
  // `<` escaped: nothing in the value can close the <script> element it is written into
  return `(${applyThemePreference.toString()})(${JSON.stringify(pref).replace(/</g, '\\u003c')});`;
}
