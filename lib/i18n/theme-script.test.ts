import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { ThemePreference } from './config';
import { applyThemePreference, themeScript } from './theme-script';

/** Runs the <head> script in a bare page (nothing of this module in scope) and reads <html> back. */
function runScript(pref: ThemePreference, osDark: boolean) {
  const classes = new Set<string>();
  const html = {
    classList: { toggle: (c: string, on: boolean) => (on ? classes.add(c) : classes.delete(c)) },
    style: { colorScheme: '' },
    dataset: {} as Record<string, string>,
  };
  runInNewContext(themeScript(pref), {
    document: { documentElement: html },
    window: { matchMedia: (q: string) => ({ matches: q === '(prefers-color-scheme: dark)' && osDark }) },
  });
  return { dark: classes.has('dark'), colorScheme: html.style.colorScheme, pref: html.dataset.themePref };
}

describe('the theme script in <head>', () => {
  it('follows the system when asked to, and an explicit choice otherwise', () => {
    expect(runScript('system', true)).toEqual({ dark: true, colorScheme: 'dark', pref: 'system' });
    expect(runScript('system', false)).toEqual({ dark: false, colorScheme: 'light', pref: 'system' });
    expect(runScript('light', true)).toEqual({ dark: false, colorScheme: 'light', pref: 'light' });
    expect(runScript('dark', false)).toEqual({ dark: true, colorScheme: 'dark', pref: 'dark' });
  });

  it('cannot be broken out of by the value it embeds', () => {
    const hostile = '</script><script>alert(1)</script>"); throw new Error("x"); ("' as ThemePreference;
    expect(themeScript(hostile)).not.toMatch(/<\/script/i);
    expect(runScript(hostile, false).pref).toBe(hostile);
  });
});

describe('applyThemePreference', () => {
  it('leaves data-theme-pref alone when it already holds the preference (ThemeSync observes it)', () => {
    let writes = 0;
    let pref = 'dark';
    const dataset = {
      get themePref() {
        return pref;
      },
      set themePref(v: string) {
        writes++;
        pref = v;
      },
    };
    const html = { classList: { toggle: () => true }, style: { colorScheme: '' }, dataset };
    const g = globalThis as unknown as Record<string, unknown>;
    g.document = { documentElement: html };
    g.window = { matchMedia: () => ({ matches: false }) };
    try {
      applyThemePreference('dark');
      expect(writes).toBe(0);
      applyThemePreference('light');
      expect(writes).toBe(1);
      expect(html.style.colorScheme).toBe('light');
    } finally {
      delete g.document;
      delete g.window;
    }
  });
});
