import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

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

export function migrationsDirFor(url: string, root = process.cwd()): string {
  return url.startsWith('file:')
    ? path.join(root, 'prisma', 'migrations')
    : path.join(root, 'prisma', 'postgres', 'migrations');
}

export function migrate(url: string, root = process.cwd()): MigrationResult {
  if (url.startsWith('file:')) return migrateSqlite(url, migrationsDirFor(url, root));
  throw new Error('PostgreSQL support arrives with the scale-out issue; use a file: DATABASE_URL');
}
