import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPrismaClient, type PrismaClient } from '../lib/db/client';
import { migrate, migrationsDirFor } from '../lib/db/migrate';

export const ROOT = path.resolve(import.meta.dirname, '..');

export type TestDatabaseKind = 'sqlite' | 'postgres';
/** `TEST_DATABASE=postgres` runs every integration test on a fresh PostgreSQL database; SQLite otherwise. */
export const TEST_DATABASE: TestDatabaseKind =
  process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
/** The PostgreSQL server tests create their databases on (this machine's, trust auth, by default). */
export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
/** Every database a test makes is named with this prefix and the creating process's id. */
export const PG_TEST_DB_PREFIX = 'sb_test_';

/**
 * A fresh, migrated database: SQLite in its own temp directory, or (TEST_DATABASE=postgres, or
 * `kind: 'postgres'`) a new PostgreSQL database migrated by the start-up runner, dropped when the
 * test process exits. Tests that poke at SQLite itself pass `kind: 'sqlite'`.
 */
export function freshDatabase(opts: { kind?: TestDatabaseKind } = {}): {
  url: string;
  dir: string;
  db: PrismaClient;
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-db-'));
  if ((opts.kind ?? TEST_DATABASE) === 'postgres') {
    const url = createPostgresDatabase();
    return { url, dir, db: createPrismaClient(url) };
  }
  const url = `file:${path.join(dir, 'test.db')}`;
  migrate(url, ROOT);
  return { url, dir, db: createPrismaClient(url) };
}

/** The URL of database `name` on the test server. */
export function pgUrlFor(name: string): string {
  const u = new URL(TEST_PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

const createdPgDatabases: string[] = [];
let pgCleanupRegistered = false;
let pgStaleSwept = false;

/**
 * Runs `body` (an ES module's code, with `pg`, `admin` (a connected client on the test server's
 * admin database) and `args` in scope) in a child process and waits for it: freshDatabase is
 * synchronous (dozens of tests call it outside async code), PostgreSQL is not.
 */
function pgAdminSync(body: string, args: unknown, withTsx = false): string {
  const script = `import pg from 'pg';
const args = JSON.parse(process.env.SB_PG_ARGS);
const admin = new pg.Client({ connectionString: process.env.SB_PG_ADMIN });
await admin.connect();
try { ${body} } finally { await admin.end(); }`;
  return execFileSync(
    process.execPath,
    [...(withTsx ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, SB_PG_ARGS: JSON.stringify(args), SB_PG_ADMIN: TEST_PG_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    },
  );
}

/** Databases a test process left behind (killed before its exit hook ran), on this machine only. */
const SWEEP_STALE = `
const { rows } = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [args.prefix + '%']);
for (const { datname } of rows) {
  const pid = Number(datname.slice(args.prefix.length).split('_')[0]);
  let alive = true;
  try { process.kill(pid, 0); } catch (e) { alive = e.code !== 'ESRCH'; }
  if (!alive) await admin.query('DROP DATABASE IF EXISTS "' + datname + '" WITH (FORCE)').catch(() => {});
}`;

/**
 * Creates `sb_test_<pid>_<random>` and applies prisma/postgres/migrations with lib/db/migrate.ts
 * (`migrate: false`: left empty, for tests of nodes migrating it at start-up).
 */
export function createPostgresDatabase(opts: { migrate?: boolean } = {}): string {
  const name = `${PG_TEST_DB_PREFIX}${process.pid}_${randomBytes(6).toString('hex')}`;
  const url = pgUrlFor(name);
  // sweep once per process, and only a local server (a process id means nothing elsewhere)
  const sweep = !pgStaleSwept && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(TEST_PG_URL).hostname);
  pgAdminSync(
    `${sweep ? SWEEP_STALE : ''}
await admin.query('CREATE DATABASE "' + args.name + '"');
if (args.migrate) {
  const { migratePostgres } = await import(args.migrateModule);
  await migratePostgres(args.url, args.migrationsDir);
}`,
    {
      name,
      migrate: opts.migrate ?? true,
      url,
      prefix: PG_TEST_DB_PREFIX,
      migrateModule: pathToFileURL(path.join(ROOT, 'lib', 'db', 'migrate.ts')).href,
      migrationsDir: migrationsDirFor(url, ROOT),
    },
    true,
  );
  pgStaleSwept = true;
  createdPgDatabases.push(name);
  if (!pgCleanupRegistered) {
    pgCleanupRegistered = true;
    // the process's clients may still be connected: FORCE ends their sessions. Vitest ends its
    // workers with SIGTERM (no 'exit' event): drop, then die of the signal as before.
    const drop = () => dropPostgresDatabases(createdPgDatabases.splice(0));
    process.once('exit', drop);
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      drop();
      process.kill(process.pid, signal);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return url;
}

/** Drops test databases now (also done for every database this process made when it exits). */
export function dropPostgresDatabases(names: string[]): void {
  if (names.length === 0) return;
  try {
    pgAdminSync(
      `for (const n of args.names) await admin.query('DROP DATABASE IF EXISTS "' + n + '" WITH (FORCE)');`,
      { names },
    );
  } catch {
    /* the next run's sweep drops what is left */
  }
}

/** The Prisma CLI works offline only through the schema-engine stand-in (see ENVIRONMENT.md). */
export function prismaSchemaEngine(): string {
  if (process.env.PRISMA_SCHEMA_ENGINE_BINARY) return process.env.PRISMA_SCHEMA_ENGINE_BINARY;
  const setup = path.resolve(ROOT, '..', 'shared', 'tools', 'prisma-offline', 'setup.sh');
  return execFileSync('bash', [setup], { encoding: 'utf8' }).trim();
}

/** Every route.ts below `dir` (App Router route handlers). */
export function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? routeFiles(path.join(dir, e.name))
      : e.name === 'route.ts'
        ? [path.join(dir, e.name)]
        : [],
  );
}
