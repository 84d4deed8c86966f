import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readMigrations, sqlitePathFromUrl } from '../lib/db/migrate';
import { freshDatabase, prismaSchemaEngine, ROOT } from './helpers';

function prisma(args: string[], env: Record<string, string> = {}) {
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
      timeout: 120_000,
    },
  );
}

describe('database schema and migrations', () => {
  it('the migrations produce exactly the schema (prisma migrate diff --exit-code)', () => {
    // The CLI needs a datasource whose directory exists (a fresh clone has no ./data).
    const scratch = mkdtempSync(path.join(tmpdir(), 'sb-diff-'));
    const r = prisma(
      [
        'migrate',
        'diff',
        '--from-migrations',
        'prisma/migrations',
        '--to-schema',
        'prisma/schema.prisma',
        '--exit-code',
      ],
      { DATABASE_URL: `file:${path.join(scratch, 'diff.db')}` },
    );
    expect(r.stdout + r.stderr).toContain('No difference detected');
    expect(r.status).toBe(0);
  });

  it('the committed generated client was generated from the current schema', () => {
    const schema = readFileSync(path.join(ROOT, 'prisma', 'schema.prisma'), 'utf8');
    const classFile = readFileSync(path.join(ROOT, 'lib', 'db', 'generated', 'internal', 'class.ts'), 'utf8');
    const m = /"inlineSchema": ("(?:[^"\\]|\\.)*")/.exec(classFile);
    expect(m, 'inlineSchema in generated client').not.toBeNull();
    const squash = (text: string) => text.replace(/[ \t]+/g, ' ').trim();
    expect(squash(JSON.parse(m![1]!)), 'run `npm run db:generate` after changing prisma/schema.prisma').toBe(
      squash(schema),
    );
  });

  it('the start-up runner applies every migration once and keeps Prisma’s bookkeeping', async () => {
    const { url, db } = freshDatabase({ kind: 'sqlite' });
    const again = migrate(url, ROOT);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(readMigrations(path.join(ROOT, 'prisma', 'migrations')).length);

    const raw = new Database(sqlitePathFromUrl(url), { readonly: true });
    const rows = raw
      .prepare('SELECT migration_name, checksum, finished_at FROM _prisma_migrations')
      .all() as {
      migration_name: string;
      checksum: string;
      finished_at: number;
    }[];
    raw.close();
    const files = readMigrations(path.join(ROOT, 'prisma', 'migrations'));
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));

    // Prisma's own CLI agrees that nothing is pending.
    const status = prisma(['migrate', 'status'], { DATABASE_URL: url });
    expect(status.stdout + status.stderr).toMatch(/Database schema is up to date/);

    // and the client works against it
    await db.user.create({ data: { username: 'u1', passwordHash: 'x' } });
    expect(await db.user.count()).toBe(1);
    await db.$disconnect();
  });

  it('reports an applied migration whose file changed, without re-running it', () => {
    const { url } = freshDatabase({ kind: 'sqlite' });
    const raw = new Database(sqlitePathFromUrl(url));
    raw.prepare('UPDATE _prisma_migrations SET checksum = ?').run('0'.repeat(64));
    raw.close();
    const r = migrate(url, ROOT);
    expect(r.applied).toEqual([]);
    expect(r.modified.length).toBeGreaterThan(0);
  });

  it('per-device grants from before grant levels migrate unchanged, as operate (the role still caps them)', () => {
    const migrations = readMigrations(path.join(ROOT, 'prisma', 'migrations'));
    const levels = migrations.find((m) => m.name.endsWith('_groups_teams_grant_levels'));
    expect(levels).toBeDefined();
    const root = mkdtempSync(path.join(tmpdir(), 'sb-levels-'));
    const dir = path.join(root, 'prisma', 'migrations');
    cpSync(path.join(ROOT, 'prisma', 'migrations'), dir, { recursive: true });
    for (const later of migrations.filter((x) => x.name >= levels!.name))
      rmSync(path.join(dir, later.name), { recursive: true });
    const url = `file:${path.join(root, 'old.db')}`;
    migrate(url, root);
    const raw = new Database(sqlitePathFromUrl(url));
    raw.exec(`
      INSERT INTO "User" (id, username, passwordHash, role, updatedAt) VALUES ('u1', 'op', 'h', 'operator', CURRENT_TIMESTAMP);
      INSERT INTO "User" (id, username, passwordHash, role, updatedAt) VALUES ('u2', 'vw', 'h', 'viewer', CURRENT_TIMESTAMP);
      INSERT INTO "Device" (id, name, host, vendor, username, authType, secretEnc, updatedAt)
        VALUES ('d1', 'sw1', '10.0.0.1', 'generic', 'u', 'password', 'x', CURRENT_TIMESTAMP);
      INSERT INTO "DeviceGrant" (userId, deviceId) VALUES ('u1', 'd1'), ('u2', 'd1');
    `);
    raw.close();
    cpSync(path.join(ROOT, 'prisma', 'migrations'), dir, { recursive: true });
    expect(migrate(url, root).applied).toContain(levels!.name);
    const after = new Database(sqlitePathFromUrl(url));
    expect(after.prepare('SELECT userId, deviceId, level FROM "DeviceGrant" ORDER BY userId').all()).toEqual([
      { userId: 'u1', deviceId: 'd1', level: 'operate' },
      { userId: 'u2', deviceId: 'd1', level: 'operate' },
    ]);
    after.close();
  });

  it('upgrading a database with data keeps rows that reference a table a migration rebuilds', () => {
    // Every migration that rebuilds the User table (SQLite has no ALTER for most changes) is applied
    // one at a time to a database that already has users, devices, grants, tasks and notifications.
    const migrations = readMigrations(path.join(ROOT, 'prisma', 'migrations'));
    const rebuilds = migrations.filter((m) => /DROP TABLE "(User|Device|Task)"/.test(m.sql));
    expect(rebuilds.length).toBeGreaterThan(0);
    for (const m of rebuilds) {
      const root = mkdtempSync(path.join(tmpdir(), 'sb-upgrade-'));
      const dir = path.join(root, 'prisma', 'migrations');
      cpSync(path.join(ROOT, 'prisma', 'migrations'), dir, { recursive: true });
      for (const later of migrations.filter((x) => x.name >= m.name))
        rmSync(path.join(dir, later.name), { recursive: true });
      const url = `file:${path.join(root, 'old.db')}`;
      migrate(url, root);
      const raw = new Database(sqlitePathFromUrl(url));
      raw.exec(`
        INSERT INTO "User" (id, username, passwordHash, updatedAt) VALUES ('u1', 'alice', 'h', CURRENT_TIMESTAMP);
        INSERT INTO "Device" (id, name, host, vendor, username, authType, secretEnc, updatedAt)
          VALUES ('d1', 'sw1', '10.0.0.1', 'generic', 'u', 'password', 'x', CURRENT_TIMESTAMP);
        INSERT INTO "DeviceGrant" (userId, deviceId) VALUES ('u1', 'd1');
        INSERT INTO "AuditEvent" (id, userId, action) VALUES ('a1', 'u1', 'login');
      `);
      raw.close();
      cpSync(path.join(ROOT, 'prisma', 'migrations'), dir, { recursive: true });
      expect(migrate(url, root).applied).toContain(m.name);
      const after = new Database(sqlitePathFromUrl(url));
      const count = (table: string) =>
        (after.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
      expect({ migration: m.name, grants: count('DeviceGrant'), audit: count('AuditEvent') }).toEqual({
        migration: m.name,
        grants: 1,
        audit: 1,
      });
      expect((after.prepare('SELECT userId FROM "AuditEvent"').get() as { userId: string }).userId).toBe(
        'u1',
      );
      expect(after.pragma('foreign_key_check')).toEqual([]);
      after.close();
    }
  });
});
