import { describe, expect, it } from 'vitest';
import { savePreferences } from '../lib/auth/preferences';
import type { CurrentUser } from '../lib/auth/session';
import { freshDatabase } from './helpers';

async function userIn(db: ReturnType<typeof freshDatabase>['db'], username: string): Promise<CurrentUser> {
  const row = await db.user.create({ data: { username, passwordHash: 'x', role: 'viewer' } });
  return { id: row.id, username, displayName: '', role: 'viewer' };
}

describe('savePreferences', () => {
  it('starts from the defaults: browser language, system theme, dark 14 px terminal', async () => {
    const { db } = freshDatabase();
    const u = await userIn(db, 'fresh');
    const row = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect([row.locale, row.theme, row.terminalTheme, row.terminalFontSize]).toEqual([
      '',
      'system',
      'dark',
      14,
    ]);
  });

  it('saves a partial change and leaves the other fields, for this user only', async () => {
    const { db } = freshDatabase();
    const me = await userIn(db, 'me');
    const other = await userIn(db, 'other');
    const r = await savePreferences(me, { locale: 'zh-CN', terminalFontSize: '18' }, { db });
    expect(r).toEqual({
      ok: true,
      prefs: { locale: 'zh-CN', theme: 'system', terminalTheme: 'dark', terminalFontSize: 18 },
    });
    const r2 = await savePreferences(me, { theme: 'dark', terminalTheme: 'solarized-dark' }, { db });
    expect(r2.ok && r2.prefs).toEqual({
      locale: 'zh-CN',
      theme: 'dark',
      terminalTheme: 'solarized-dark',
      terminalFontSize: 18,
    });
    const untouched = await db.user.findUniqueOrThrow({ where: { id: other.id } });
    expect([untouched.locale, untouched.theme]).toEqual(['', 'system']);
    // back to the browser's language
    const r3 = await savePreferences(me, { locale: '' }, { db });
    expect(r3.ok && r3.prefs.locale).toBe('');
  });

  it.each([
    [{ locale: 'fr' }, 'locale'],
    [{ theme: 'purple' }, 'theme'],
    [{ terminalTheme: '<script>' }, 'terminalTheme'],
    [{ terminalFontSize: 10 }, 'terminalFontSize'],
    [{ terminalFontSize: 25 }, 'terminalFontSize'],
    [{ terminalFontSize: '14.5' }, 'terminalFontSize'],
    [{ terminalFontSize: 'big' }, 'terminalFontSize'],
    [{ role: 'admin' }, 'form'],
    [{ passwordHash: 'x' }, 'form'],
  ])('refuses %j with an error on %s and saves nothing', async (input, field) => {
    const { db } = freshDatabase();
    const me = await userIn(db, 'me');
    const r = await savePreferences(me, input, { db });
    expect(r.ok).toBe(false);
    expect(Object.keys(!r.ok ? r.errors : {})).toContain(field);
    const row = await db.user.findUniqueOrThrow({ where: { id: me.id } });
    expect([row.locale, row.theme, row.terminalTheme, row.terminalFontSize, row.role]).toEqual([
      '',
      'system',
      'dark',
      14,
      'viewer',
    ]);
  });

  it('refuses what is not an object', async () => {
    const { db } = freshDatabase();
    const me = await userIn(db, 'me');
    for (const input of [null, 'zh-CN', 42, ['locale']]) {
      expect((await savePreferences(me, input, { db })).ok).toBe(false);
    }
  });
});
