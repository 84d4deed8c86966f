import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrismaClient, type PrismaClient } from '../lib/db/client';
import { migrate } from '../lib/db/migrate';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** A fresh, migrated SQLite database in its own temp directory. */
export function freshDatabase(): { url: string; dir: string; db: PrismaClient } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-db-'));
  const url = `file:${path.join(dir, 'test.db')}`;
  migrate(url, ROOT);
  return { url, dir, db: createPrismaClient(url) };
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
