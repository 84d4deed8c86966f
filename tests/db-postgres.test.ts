/**
 * PostgreSQL at run time: the start-up runner (lib/db/migrate.ts) against the machine's PostgreSQL
 * (TEST_PG_URL, 127.0.0.1:5432 by default), each test on a database of its own: the migrations make
 * exactly the schema, Prisma's bookkeeping is kept, nodes starting at once migrate once (advisory
 * lock), and createPrismaClient serves postgresql:// URLs.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '../lib/db/client';
import {
  migrate,
  migrateDatabase,
  migratePostgres,
  migrationsDirFor,
  PG_MIGRATION_LOCK_KEY,
  readMigrations,
  redactUrl,
  type MigrationResult,
} from '../lib/db/migrate';
import { dropPostgresDatabases, pgUrlFor, prismaSchemaEngine, ROOT, TEST_PG_URL } from './helpers';

const PG_MIGRATIONS = path.join(ROOT, 'prisma', 'postgres', 'migrations');
const made: string[] = [];

/** An empty database of this test's own (dropped after the file). */
async function emptyDatabase(): Promise<string> {
  const name = `sb_test_${process.pid}_${Math.random().toString(16).slice(2, 10)}`;
  await withClient(TEST_PG_URL, (c) => c.query(`CREATE DATABASE "${name}"`));
  made.push(name);
  return pgUrlFor(name);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

type Row = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  applied_steps_count: number;
};
const bookkeeping = (url: string) =>
  withClient(
    url,
    async (c) => (await c.query<Row>('SELECT * FROM "_prisma_migrations" ORDER BY migration_name')).rows,
  );

/** Tables, columns, indexes and constraints: what two databases must share to have "the same schema". */
const schemaOf = (url: string) =>
  withClient(url, async (c) => {
    const cols = await c.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' ORDER BY table_name, column_name`,
    );
    const idx = await c.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`,
    );
    const cons = await c.query(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE connamespace = 'public'::regnamespace ORDER BY conname`,
    );
    return { cols: cols.rows, idx: idx.rows, cons: cons.rows };
  });

function prisma(args: string[], env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: prismaSchemaEngine(),
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        ...env,
      },
      timeout: 180_000,
    },
  );
}

afterAll(() => dropPostgresDatabases(made));

describe('PostgreSQL migrations', () => {
  it('applying every PostgreSQL migration to an empty database yields exactly the schema (migrate diff --exit-code)', async () => {
    const url = await emptyDatabase();
    await migratePostgres(url, PG_MIGRATIONS);
    const r = prisma(
      [
        'migrate',
        'diff',
        '--config',
        'prisma/postgres/prisma.config.ts',
        '--from-config-datasource',
        '--to-schema',
        'prisma/postgres/schema.prisma',
        '--exit-code',
      ],
      { DATABASE_URL: url },
    );
    expect(
      r.stdout + r.stderr,
      'prisma/postgres/schema.prisma changed without a PostgreSQL migration (README, "Database migrations")',
    ).toContain('No difference detected');
    expect(r.status).toBe(0);
  }, 240_000);

  it('the runner applies each migration once, keeping Prisma’s bookkeeping (sha256 checksums)', async () => {
    const url = await emptyDatabase();
    const files = readMigrations(PG_MIGRATIONS);
    expect(files.length).toBeGreaterThan(0);
    const first = await migrateDatabase(url, ROOT);
    expect(first).toEqual({ applied: files.map((f) => f.name), alreadyApplied: 0, modified: [] });
    const again = await migrateDatabase(url, ROOT);
    expect(again).toEqual({ applied: [], alreadyApplied: files.length, modified: [] });
    const rows = await bookkeeping(url);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(files[i]!.checksum);
      expect(row.checksum).toBe(createHash('sha256').update(files[i]!.sql).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('a new migration is applied on the next start; a changed applied one is reported, not re-run', async () => {
    const url = await emptyDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-pg-mig-'));
    cpSync(PG_MIGRATIONS, dir, { recursive: true });
    await migratePostgres(url, dir);
    const added = path.join(dir, '29991231000000_extra');
    mkdirSync(added);
    writeFileSync(
      path.join(added, 'migration.sql'),
      'CREATE TABLE "Extra" ("id" TEXT NOT NULL PRIMARY KEY);\n',
    );
    const r = await migratePostgres(url, dir);
    expect(r.applied).toEqual(['29991231000000_extra']);
    writeFileSync(path.join(added, 'migration.sql'), '-- edited\nCREATE TABLE "Extra" ("id" TEXT);\n');
    const after = await migratePostgres(url, dir);
    expect(after.applied).toEqual([]);
    expect(after.modified).toEqual(['29991231000000_extra']);
  });

  it('a failing migration is rolled back whole and not recorded; the next start tries it again', async () => {
    const url = await emptyDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-pg-mig-'));
    cpSync(PG_MIGRATIONS, dir, { recursive: true });
    const bad = path.join(dir, '29991231000000_bad');
    mkdirSync(bad);
    writeFileSync(
      path.join(bad, 'migration.sql'),
      'CREATE TABLE "HalfDone" ("id" TEXT);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" TEXT;\n',
    );
    await expect(migratePostgres(url, dir)).rejects.toThrow(
      /migration 29991231000000_bad failed: .*NoSuchTable/,
    );
    const rows = await bookkeeping(url);
    expect(rows.map((r) => r.migration_name)).not.toContain('29991231000000_bad');
    expect(rows.length).toBe(readMigrations(PG_MIGRATIONS).length);
    const halfDone = await withClient(url, (c) => c.query(`SELECT to_regclass('public."HalfDone"') AS t`));
    expect(halfDone.rows[0].t).toBeNull();
    // the lock went with the failed run: a fixed migration goes through
    writeFileSync(path.join(bad, 'migration.sql'), 'CREATE TABLE "HalfDone" ("id" TEXT);\n');
    expect((await migratePostgres(url, dir)).applied).toEqual(['29991231000000_bad']);
  });

  it('two nodes starting at once on an empty database: one migrates, the other waits, one set of rows', async () => {
    const url = await emptyDatabase();
    const names = readMigrations(PG_MIGRATIONS).map((m) => m.name);
    /** Who got the lock, in order, and how many migrations were recorded at that moment. */
    const locked: { who: string; rowsAtLock: number }[] = [];
    const recorded = () =>
      withClient(url, async (c) => {
        const t = await c.query(`SELECT to_regclass('public."_prisma_migrations"') AS t`);
        if (t.rows[0].t === null) return 0;
        return (await c.query('SELECT count(*)::int AS n FROM "_prisma_migrations"')).rows[0].n as number;
      });
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => (releaseFirst = r));
    const run = (who: string): Promise<MigrationResult> =>
      migratePostgres(url, PG_MIGRATIONS, {
        onLocked: async () => {
          locked.push({ who, rowsAtLock: await recorded() });
          // the first holder keeps the lock until the other is seen waiting for it
          if (locked.length === 1) await firstHolds;
        },
      });
    const a = run('a');
    const b = run('b');
    // one migrator holds the lock (in onLocked) while the other is blocked in pg_advisory_lock,
    // as the server sees it
    const waiting = () =>
      withClient(
        url,
        async (c) =>
          (
            await c.query(
              `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
               AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
              [PG_MIGRATION_LOCK_KEY],
            )
          ).rows[0].n as number,
      );
    await expect
      .poll(async () => `${locked.length} holding, ${await waiting()} waiting`, { timeout: 10_000 })
      .toBe('1 holding, 1 waiting');
    releaseFirst();
    const results = await Promise.all([a, b]);
    // the waiter got the lock only once the first run had committed every migration
    expect(locked.map((l) => l.rowsAtLock)).toEqual([0, names.length]);
    const [winner, waiter] = locked[0]!.who === 'a' ? results : [results[1]!, results[0]!];
    expect(winner).toEqual({ applied: names, alreadyApplied: 0, modified: [] });
    expect(waiter).toEqual({ applied: [], alreadyApplied: names.length, modified: [] });
    expect((await bookkeeping(url)).map((r) => r.migration_name)).toEqual(names);
    // the same schema as a database one node migrated alone
    const alone = await emptyDatabase();
    await migratePostgres(alone, PG_MIGRATIONS);
    expect(await schemaOf(url)).toEqual(await schemaOf(alone));
  }, 60_000);

  it('two migrator processes started at once end with one migration run', async () => {
    const url = await emptyDatabase();
    const script = `const { migratePostgres } = await import(process.env.SB_MIGRATE);
console.log(JSON.stringify(await migratePostgres(process.env.SB_URL, process.env.SB_DIR)));`;
    const { spawn } = await import('node:child_process');
    const start = () =>
      new Promise<MigrationResult>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: ROOT,
          env: {
            ...process.env,
            SB_MIGRATE: new URL(`file://${path.join(ROOT, 'lib', 'db', 'migrate.ts')}`).href,
            SB_URL: url,
            SB_DIR: PG_MIGRATIONS,
          },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) =>
          code === 0 ? resolve(JSON.parse(out) as MigrationResult) : reject(new Error(err)),
        );
      });
    const results = await Promise.all([start(), start()]);
    const names = readMigrations(PG_MIGRATIONS).map((m) => m.name);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, names.length]);
    expect((await bookkeeping(url)).map((r) => r.migration_name)).toEqual(names);
  }, 60_000);

  it('a node waits a bounded time for the lock, then says why it gave up', async () => {
    const url = await emptyDatabase();
    await withClient(url, async (holder) => {
      await holder.query('SELECT pg_advisory_lock($1)', [PG_MIGRATION_LOCK_KEY]);
      await expect(migratePostgres(url, PG_MIGRATIONS, { lockWaitMs: 300 })).rejects.toThrow(
        /held the migration lock for over 300 ms/,
      );
    });
    // nothing was applied while it waited
    expect(
      await withClient(
        url,
        async (c) => (await c.query(`SELECT to_regclass('public."User"') AS t`)).rows[0].t,
      ),
    ).toBeNull();
  });
});

describe('PostgreSQL at run time', () => {
  it('createPrismaClient serves postgresql:// and postgres:// URLs with the same client API', async () => {
    const url = await emptyDatabase();
    await migrateDatabase(url, ROOT);
    for (const u of [url, url.replace(/^postgresql:/, 'postgres:')]) {
      const db = createPrismaClient(u);
      try {
        const user = await db.user.create({ data: { username: `u-${Math.random()}`, passwordHash: 'x' } });
        const device = await db.device.create({
          data: {
            name: `d-${Math.random()}`,
            host: '10.0.0.1',
            vendor: 'cisco_ios',
            username: 'n',
            authType: 'password',
            secretEnc: 's',
          },
        });
        await db.deviceGrant.create({ data: { userId: user.id, deviceId: device.id } });
        const found = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { grants: true } });
        expect(found.grants).toHaveLength(1);
        expect(found.createdAt).toBeInstanceOf(Date);
        // interactive transactions and raw queries work through the adapter too
        const n = await db.$transaction(async (tx) => {
          await tx.user.update({ where: { id: user.id }, data: { notificationSeq: { increment: 1 } } });
          return (await tx.user.findUniqueOrThrow({ where: { id: user.id } })).notificationSeq;
        });
        expect(n).toBe(1);
        expect(await db.$queryRawUnsafe('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      } finally {
        await db.$disconnect();
      }
    }
  });

  it('migrationsDirFor picks the folder by URL; migrate() stays synchronous SQLite-only; other URLs are refused', async () => {
    expect(migrationsDirFor('file:./x.db', ROOT)).toBe(path.join(ROOT, 'prisma', 'migrations'));
    expect(migrationsDirFor('postgresql://h/db', ROOT)).toBe(PG_MIGRATIONS);
    expect(() => migrate('postgresql://u:secret@h/db', ROOT)).toThrow(/migrateDatabase/);
    expect(() => migrate('postgresql://u:secret@h/db', ROOT)).not.toThrow(/secret/);
    await expect(migrateDatabase('mysql://u:secret@h/db', ROOT)).rejects.toThrow(
      /unsupported DATABASE_URL mysql:\/\/u:\*\*\*@h\/db/,
    );
    expect(() => createPrismaClient('mysql://h/db')).toThrow(/unsupported DATABASE_URL/);
    expect(redactUrl('postgresql://user:pw@host:5432/db')).toBe('postgresql://user:***@host:5432/db');
  });
});
