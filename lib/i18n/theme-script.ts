import type { ThemePreference } from './config';

/**
 * Runs in <head> before the page paints: with the "system" preference, follow the operating system's
 * dark mode (and its changes while the page is open); an explicit choice is already on <html>.
 */
export function themeScript(pref: ThemePreference): string {
  return `(function(){var d=document.documentElement;var p=${JSON.stringify(pref)};if(p!=='system')return;var m=window.matchMedia('(prefers-color-scheme: dark)');function a(){d.classList.toggle('dark',m.matches);d.style.colorScheme=m.matches?'dark':'light';}a();m.addEventListener('change',a);})();`;
}
