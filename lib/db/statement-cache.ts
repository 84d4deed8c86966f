import type Database from 'better-sqlite3';

/**
 * Prepared statements kept for reuse on the SQLite connection Prisma's better-sqlite3 adapter uses.
 *
 * The adapter prepares every statement it runs afresh (`prepare(sql).bind(args)`, then `run()` or
 * `raw().all()`): SQLite parses and plans the same text again for each of a task's ~190 statements,
 * a sixth of the database's CPU in the batch benchmark (README "statement-cache"). better-sqlite3
 * is built to prepare once and run many times, and Prisma sends the same text for the same query
 * shape (values are parameters). So the connection's `prepare` answers from a cache of the most
 * recently used statements, keyed by SQL text.
 *
 * A better-sqlite3 statement binds its parameters once for good (`bind`), so the cache hands out a
 * view whose `bind(args)` returns the statement with those arguments applied per call instead (and
 * which runs without arguments as it is, as the adapter's `BEGIN` does). A
 * statement is used synchronously from `prepare` to its last row (the adapter never keeps one across
 * an await), so one cached statement serves every caller. SQLite re-prepares a statement by itself
 * when the schema changes under it.
 */

/** The most statements kept (least recently used first out). */
export const STATEMENT_CACHE_MAX = 256;
/** Longer SQL (a bulk insert's VALUES list, an IN list of hundreds) is prepared each time: rarely the same twice. */
export const STATEMENT_CACHE_SQL_MAX = 4096;

/** What the adapter does with a prepared statement (and nothing else). */
export interface BoundStatement {
  readonly reader: boolean;
  run(): Database.RunResult;
  columns(): Database.ColumnDefinition[];
  raw(): { all(): unknown[] };
}

/** A cached statement: run as is (the adapter's `BEGIN`) or with arguments through `bind`. */
export interface ReusableStatement extends BoundStatement {
  bind(args: unknown[]): BoundStatement;
}

function reusable(stmt: Database.Statement): ReusableStatement {
  const reader = stmt.reader;
  if (reader) stmt.raw(true);
  const bound = (args: unknown[]): BoundStatement => {
    // The adapter asks for the columns, then the rows. A kept statement's columns are those of
    // its last run until SQLite runs it again (and re-prepares it after a schema change), so the
    // rows are read first and the columns after them.
    let rows: unknown[] | undefined;
    return {
      reader,
      run: () => stmt.run(args),
      columns: () => {
        if (reader) rows ??= stmt.all(args);
        return stmt.columns();
      },
      raw: () => ({
        all: () => {
          const read = rows ?? stmt.all(args);
          rows = undefined;
          return read;
        },
      }),
    };
  };
  return { ...bound([]), bind: bound };
}

export interface StatementCacheStats {
  size: number;
  hits: number;
  misses: number;
}

const stats = new WeakMap<Database.Database, StatementCacheStats>();
/** Hits and misses over every connection of the process (tests: Prisma's queries go through it). */
const totals = { hits: 0, misses: 0 };

/** The cache's counters on a connection (tests), or undefined when it has none. */
export function statementCacheStats(db: Database.Database): StatementCacheStats | undefined {
  return stats.get(db);
}

export function statementCacheTotals(): { hits: number; misses: number } {
  return { ...totals };
}

/** Make `db.prepare` answer from a cache of reusable statements (once per connection). */
export function keepStatements(db: Database.Database, max = STATEMENT_CACHE_MAX): void {
  if (stats.has(db)) return;
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, ReusableStatement>();
  const counters: StatementCacheStats = { size: 0, hits: 0, misses: 0 };
  stats.set(db, counters);
  const count = (kind: 'hits' | 'misses') => {
    counters[kind]++;
    totals[kind]++;
  };
  const cached = (sql: string): ReusableStatement => {
    const hit = cache.get(sql);
    if (hit) {
      count('hits');
      // most recently used last: Map keeps insertion order
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    count('misses');
    // a statement SQLite refuses to prepare throws here, as before, and is not kept
    const stmt = reusable(prepare(sql));
    if (sql.length > STATEMENT_CACHE_SQL_MAX) return stmt;
    cache.set(sql, stmt);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    counters.size = cache.size;
    return stmt;
  };
  (db as unknown as { prepare: typeof cached }).prepare = cached;
}
