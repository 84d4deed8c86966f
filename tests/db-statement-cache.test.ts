/**
 * SQLite statements prepared once (lib/db/statement-cache.ts): the same text is served by the same
 * statement, each use with its own arguments, least recently used out first, long SQL never kept,
 * a bad statement refused as before; and Prisma's queries on a SQLite client go through it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '../lib/db/client';
import { migrate } from '../lib/db/migrate';
import {
  keepStatements,
  STATEMENT_CACHE_SQL_MAX,
  statementCacheStats,
  statementCacheTotals,
  type ReusableStatement,
} from '../lib/db/statement-cache';
import { ROOT } from './helpers';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function memory(max?: number) {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (a INTEGER, b TEXT)');
  keepStatements(db, max);
  const prepare = (sql: string) => db.prepare(sql) as unknown as ReusableStatement;
  return { db, prepare };
}

describe('keepStatements', () => {
  it('serves the same text from one statement; each bind applies its own arguments', () => {
    const { db, prepare } = memory();
    const insert = prepare('INSERT INTO t (a, b) VALUES (?, ?)');
    expect(insert.reader).toBe(false);
    expect(insert.bind([1, 'one']).run().changes).toBe(1);
    expect(prepare('INSERT INTO t (a, b) VALUES (?, ?)')).toBe(insert);
    insert.bind([2, 'two']).run();
    const select = prepare('SELECT a, b FROM t WHERE a >= ? ORDER BY a');
    expect(select.reader).toBe(true);
    // the adapter reads rows as arrays with their column names beside
    expect(select.bind([1]).raw().all()).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect(select.bind([2]).raw().all()).toEqual([[2, 'two']]);
    expect(
      select
        .bind([2])
        .columns()
        .map((c) => c.name),
    ).toEqual(['a', 'b']);
    // run as it is, without arguments (the adapter's BEGIN)
    prepare('BEGIN').run();
    prepare('COMMIT').run();
    expect(statementCacheStats(db)).toMatchObject({ size: 4, hits: 1, misses: 4 });
  });

  it('keeps the most recently used statements, up to the limit', () => {
    const { db, prepare } = memory(2);
    const a = prepare('SELECT 1');
    const b = prepare('SELECT 2');
    expect(prepare('SELECT 1')).toBe(a); // a is now the most recent
    prepare('SELECT 3'); // b goes
    expect(prepare('SELECT 1')).toBe(a);
    expect(prepare('SELECT 2')).not.toBe(b);
    expect(statementCacheStats(db)!.size).toBe(2);
  });

  it('prepares long SQL each time and keeps none of it', () => {
    const { db, prepare } = memory();
    const values = Array.from({ length: 1000 }, (_, i) => `(${i}, 'x')`).join(', ');
    const sql = `INSERT INTO t (a, b) VALUES ${values}`;
    expect(sql.length).toBeGreaterThan(STATEMENT_CACHE_SQL_MAX);
    expect(prepare(sql).run().changes).toBe(1000);
    expect(prepare(sql).run().changes).toBe(1000);
    expect(statementCacheStats(db)).toMatchObject({ size: 0, hits: 0, misses: 2 });
  });

  it('refuses a bad statement as before and keeps nothing of it; a schema change is picked up', () => {
    const { db, prepare } = memory();
    expect(() => prepare('SELECT nope FROM t')).toThrow(/no such column/);
    expect(() => prepare('SELECT nope FROM t')).toThrow(/no such column/);
    expect(statementCacheStats(db)!.size).toBe(0);
    const all = prepare('SELECT * FROM t');
    all.bind([]).raw().all();
    expect(
      all
        .bind([])
        .columns()
        .map((c) => c.name),
    ).toEqual(['a', 'b']);
    db.exec("ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'new'");
    prepare('INSERT INTO t (a, b) VALUES (?, ?)').bind([7, 'seven']).run();
    expect(prepare('SELECT * FROM t')).toBe(all);
    // in the adapter's order, columns then rows: both of the new schema
    const view = all.bind([]);
    expect(view.columns().map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(view.raw().all()).toEqual([[7, 'seven', 'new']]);
  });

  it("Prisma's queries on a SQLite client go through the cache", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-stmt-'));
    dirs.push(dir);
    const url = `file:${path.join(dir, 'test.db')}`;
    migrate(url, ROOT);
    const db = createPrismaClient(url);
    try {
      await db.user.create({ data: { username: 'ada', passwordHash: 'x', role: 'admin' } });
      await db.user.findUnique({ where: { username: 'ada' } });
      const before = statementCacheTotals();
      for (let i = 0; i < 5; i++) {
        expect((await db.user.findUnique({ where: { username: 'ada' } }))?.role).toBe('admin');
      }
      const after = statementCacheTotals();
      // the five reads were served by a prepared statement
      expect(after.hits - before.hits).toBeGreaterThanOrEqual(5);
      // and a transaction's BEGIN, COMMIT and statement, the second time
      await db.$transaction(async (tx) => tx.user.count());
      const once = statementCacheTotals();
      await db.$transaction(async (tx) => tx.user.count());
      expect(statementCacheTotals().hits - once.hits).toBeGreaterThanOrEqual(3);
    } finally {
      await db.$disconnect();
    }
  });
});
