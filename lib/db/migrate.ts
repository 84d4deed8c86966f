import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * Applies pending Prisma migrations at start-up, keeping Prisma's own `_prisma_migrations` table
 * (checksum = sha256 hex of migration.sql), so running the portal never needs Prisma's schema
 * engine and `prisma migrate status` agrees with what the app did.
 */
export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
  /** Applied migrations whose file changed afterwards (kept as is; reported, never re-run). */
  modified: string[];
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const CREATE_SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export function sqlitePathFromUrl(url: string): string {
  if (!url.startsWith('file:')) throw new Error(`not a SQLite URL: ${url}`);
  const p = url.slice('file:'.length).split('?')[0]!;
  return path.resolve(p);
}

export function migrateSqlite(url: string, migrationsDir: string): MigrationResult {
  const file = sqlitePathFromUrl(url);
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(CREATE_SQLITE_TABLE);
    const rows = db
      .prepare(
        `SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      )
      .all() as { name: string; checksum: string }[];
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    const result: MigrationResult = { applied: [], alreadyApplied: 0, modified: [] };
    for (const m of readMigrations(migrationsDir)) {
      const prior = done.get(m.name);
      if (prior !== undefined) {
        result.alreadyApplied++;
        if (prior !== m.checksum) result.modified.push(m.name);
        continue;
      }
      // SQLite rebuilds a table to change it (CREATE new_X, copy, DROP X, rename). With foreign keys
      // enforced, DROP TABLE cascades into every row that references X (grants, audit, tasks), and
      // the migration's own `PRAGMA foreign_keys=OFF` is ignored inside a transaction. Prisma's
      // engine turns enforcement off around the transaction and checks afterwards; so do we.
      db.pragma('foreign_keys = OFF');
      try {
        const apply = db.transaction(() => {
          db.exec(m.sql);
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0)
            throw new Error(`migration ${m.name} leaves ${broken.length} rows with a broken foreign key`);
          db.prepare(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
             VALUES (?, ?, ?, ?, ?, 1)`,
          ).run(randomUUID(), m.checksum, Date.now(), m.name, Date.now());
        });
        apply();
      } finally {
        db.pragma('foreign_keys = ON');
      }
      result.applied.push(m.name);
    }
    return result;
  } finally {
    db.close();
  }
}

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

/** Prisma's own `_prisma_migrations` table on PostgreSQL (as `prisma migrate deploy` creates it). */
const CREATE_POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/**
 * The advisory lock key every migrator takes for the whole run: the one `prisma migrate deploy`
 * takes too, so nodes starting at once and an operator's CLI run never migrate side by side.
 */
export const PG_MIGRATION_LOCK_KEY = 72707369;
/** How long a starting node waits for another node's migration run before giving up. */
export const PG_MIGRATION_LOCK_WAIT_MS = 10 * 60_000;

export interface PostgresMigrateOptions {
  lockWaitMs?: number;
  /** Called once the lock is held (tests use it to see who migrated and who waited). */
  onLocked?: () => void | Promise<void>;
}

/**
 * Applies pending PostgreSQL migrations, each in its own transaction with its `_prisma_migrations`
 * row, under a session-level advisory lock held on one connection for the whole run: when several
 * nodes start at once on an empty database, one migrates and the others wait, then find nothing
 * left to do. A node that dies mid-run loses its session and with it the lock; its unfinished
 * migration was rolled back with its transaction.
 */
export async function migratePostgres(
  url: string,
  migrationsDir: string,
  opts: PostgresMigrateOptions = {},
): Promise<MigrationResult> {
  const migrations = readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: url, application_name: 'switchboard-migrate' });
  // a connection the server ends (restart, terminate) also rejects the pending query: no crash here
  client.on('error', () => {});
  await client.connect();
  try {
    // statement_timeout bounds the wait for the lock, not the migrations that follow
    const waitMs = Math.max(1, Math.round(opts.lockWaitMs ?? PG_MIGRATION_LOCK_WAIT_MS));
    await client.query(`SET statement_timeout = ${waitMs}`);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [PG_MIGRATION_LOCK_KEY]);
    } catch (err) {
      throw new Error(
        `another node (or prisma migrate) held the migration lock for over ${waitMs} ms: ${(err as Error).message}`,
        { cause: err },
      );
    }
    try {
      await client.query('SET statement_timeout = 0');
      await opts.onLocked?.();
      await client.query(CREATE_POSTGRES_TABLE);
      const { rows } = await client.query<{ name: string; checksum: string }>(
        `SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const done = new Map(rows.map((r) => [r.name, r.checksum]));
      const result: MigrationResult = { applied: [], alreadyApplied: 0, modified: [] };
      for (const m of migrations) {
        const prior = done.get(m.name);
        if (prior !== undefined) {
          result.alreadyApplied++;
          if (prior !== m.checksum) result.modified.push(m.name);
          continue;
        }
        await client.query('BEGIN');
        try {
          // no parameters: the simple query protocol runs every statement of the file
          await client.query(m.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
             VALUES ($1, $2, now(), $3, now(), 1)`,
            [randomUUID(), m.checksum, m.name],
          );
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
        }
        result.applied.push(m.name);
      }
      return result;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PG_MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

export function migrationsDirFor(url: string, root = process.cwd()): string {
  return url.startsWith('file:')
    ? path.join(root, 'prisma', 'migrations')
    : path.join(root, 'prisma', 'postgres', 'migrations');
}

/** SQLite only (synchronous); `migrateDatabase` serves every URL. */
export function migrate(url: string, root = process.cwd()): MigrationResult {
  if (url.startsWith('file:')) return migrateSqlite(url, migrationsDirFor(url, root));
  throw new Error(`migrate() is for file: URLs; use migrateDatabase() for ${redactUrl(url)}`);
}

/** Applies pending migrations for a `file:` (SQLite) or `postgres(ql)://` URL. */
export async function migrateDatabase(url: string, root = process.cwd()): Promise<MigrationResult> {
  if (url.startsWith('file:')) return migrateSqlite(url, migrationsDirFor(url, root));
  if (isPostgresUrl(url)) return migratePostgres(url, migrationsDirFor(url, root));
  throw new Error(`unsupported DATABASE_URL ${redactUrl(url)}: use file:… (SQLite) or postgresql://…`);
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
}
