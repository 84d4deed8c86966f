import type { AppLocale } from '../i18n/config';

const UNITS: Record<AppLocale, { d: string; h: string; min: string; s: string; sep: string }> = {
  en: { d: 'd', h: 'h', min: 'min', s: 's', sep: ' ' },
  'zh-CN': { d: '天', h: '小时', min: '分钟', s: '秒', sep: '' },
};

/**
 * A span of time as an engineer reads it in a notification: "38 s", "4 min 12 s", "2 h 5 min",
 * "3 d 4 h" (zh-CN: "4分钟12秒"). Two units at most: an outage of "1 d 2 h 3 min 4 s" says no more
 * than "1 d 2 h".
 */
export function formatDuration(ms: number, locale: AppLocale = 'en'): string {
  const u = UNITS[locale] ?? UNITS.en;
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const total = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const one = (v: number, unit: string) => `${n.format(v)}${u.sep}${unit}`;
  const pair = (a: number, ua: string, b: number, ub: string) =>
    b > 0 ? `${one(a, ua)}${u.sep}${one(b, ub)}` : one(a, ua);
  if (d > 0) return pair(d, u.d, h, u.h);
  if (h > 0) return pair(h, u.h, m, u.min);
  if (m > 0) return pair(m, u.min, s, u.s);
  return one(s, u.s);
}
