import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { LOCALES, negotiateLocale, resolveLocale, resolveTheme } from '../lib/i18n/config';
import { ALL_MESSAGES } from '../messages';

/** "devices.table.status" → message, for every leaf of a messages tree. */
function leaves(tree: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of leaves(value as Record<string, unknown>, path)) out.set(k, v);
    } else out.set(path, value);
  }
  return out;
}

/** The argument names a message uses ({count}, {name}, <link>…</link>), sorted. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (els: MessageFormatElement[]) => {
    for (const el of els) {
      if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
      names.add(el.value);
      if (el.type === TYPE.select || el.type === TYPE.plural) {
        for (const option of Object.values(el.options)) walk(option.value);
      }
      if (el.type === TYPE.tag) walk(el.children);
    }
  };
  walk(parse(message));
  return [...names].sort();
}

const reference = leaves(ALL_MESSAGES.en);

describe('messages', () => {
  it('English has messages in every namespace the UI uses', () => {
    expect(reference.size).toBeGreaterThan(50);
  });

  for (const locale of LOCALES) {
    describe(locale, () => {
      const messages = leaves(ALL_MESSAGES[locale]);

      it('has every key English has, and no key English lacks', () => {
        const missing = [...reference.keys()].filter((k) => !messages.has(k));
        const extra = [...messages.keys()].filter((k) => !reference.has(k));
        expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      });

      it('has only non-empty strings that parse as ICU messages and format', () => {
        for (const [key, message] of messages) {
          expect(typeof message, key).toBe('string');
          expect((message as string).trim(), key).not.toBe('');
          expect(() => new IntlMessageFormat(message as string, locale), key).not.toThrow();
        }
      });

      it('uses the same arguments as English in every message', () => {
        const differ: string[] = [];
        for (const [key, message] of messages) {
          const want = reference.get(key);
          if (typeof want !== 'string' || typeof message !== 'string') continue;
          if (argumentsOf(want).join() !== argumentsOf(message).join()) differ.push(key);
        }
        expect(differ).toEqual([]);
      });
    });
  }
});

describe('choosing a language', () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['de-DE,zh;q=0.5', 'zh-CN'],
    ['fr, en;q=0.1, zh;q=0.2', 'zh-CN'],
    ['de', 'en'],
    ['', 'en'],
    ['en;q=0, zh;q=0', 'en'],
    ['*;q=x,,;', 'en'],
  ])('Accept-Language %j gives %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });

  it('prefers the saved choice, then the cookie, then the browser', () => {
    expect(resolveLocale({ saved: 'zh-CN', cookie: 'en', acceptLanguage: 'en' })).toBe('zh-CN');
    expect(resolveLocale({ saved: '', cookie: 'zh-CN', acceptLanguage: 'en' })).toBe('zh-CN');
    expect(resolveLocale({ saved: 'klingon', cookie: 'xx', acceptLanguage: 'zh' })).toBe('zh-CN');
  });

  it('takes the theme saved per user over the cookie', () => {
    expect(resolveTheme({ saved: 'dark', cookie: 'light' })).toBe('dark');
    expect(resolveTheme({ saved: 'system', cookie: 'light' })).toBe('system');
    expect(resolveTheme({ saved: null, cookie: 'light' })).toBe('light');
    expect(resolveTheme({ saved: null, cookie: 'purple' })).toBe('system');
  });
});
