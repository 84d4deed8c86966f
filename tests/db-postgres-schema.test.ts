/**
 * The PostgreSQL schema is derived from the SQLite one (scripts/pg-schema.ts), never edited by hand:
 * these checks fail when it drifts, when the two stop holding the same models and fields, or when a
 * generated client is stale. (No database needed; tests/db-postgres.test.ts runs the migrations.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POSTGRES_SCHEMA, postgresSchemaFrom, SQLITE_SCHEMA } from '../scripts/pg-schema';
import { ROOT } from './helpers';

const read = (p: string) => readFileSync(p, 'utf8');

/** model name → field lines (name, type and attributes, comments and spacing dropped). */
function modelsOf(schema: string): Map<string, string[]> {
  const models = new Map<string, string[]>();
  for (const m of schema.matchAll(/^model\s+(\w+)\s*\{([^}]*)\}/gm)) {
    const fields = m[2]!
      .split('\n')
      .map((l) => l.replace(/\/\/.*$/, '').trim())
      .filter((l) => l.length > 0)
      .map((l) => l.replace(/\s+/g, ' '))
      .sort();
    models.set(m[1]!, fields);
  }
  return models;
}

function generatedClass(folder: string): string {
  return read(path.join(ROOT, 'lib', 'db', folder, 'internal', 'class.ts'));
}

function jsonStringField(source: string, key: string): string {
  const m = new RegExp(`"${key}": ("(?:[^"\\\\]|\\\\.)*")`).exec(source);
  expect(m, `${key} in the generated client`).not.toBeNull();
  return JSON.parse(m![1]!) as string;
}

describe('PostgreSQL schema', () => {
  it('prisma/postgres/schema.prisma is what scripts/pg-schema.ts makes of prisma/schema.prisma', () => {
    expect(
      read(POSTGRES_SCHEMA) === postgresSchemaFrom(read(SQLITE_SCHEMA)),
      'prisma/postgres/schema.prisma drifted: run `npm run db:pg-schema` (never edit it by hand)',
    ).toBe(true);
  });

  it('both schemas hold the same models with the same fields; only the datasource and output differ', () => {
    const sqlite = modelsOf(read(SQLITE_SCHEMA));
    const postgres = modelsOf(read(POSTGRES_SCHEMA));
    expect(sqlite.size).toBeGreaterThan(20);
    expect([...postgres.keys()].sort()).toEqual([...sqlite.keys()].sort());
    for (const [name, fields] of sqlite) expect(postgres.get(name), `model ${name}`).toEqual(fields);
    expect(read(POSTGRES_SCHEMA)).toMatch(/datasource db \{\s*provider = "postgresql"\s*\}/);
    expect(read(POSTGRES_SCHEMA)).toContain('output       = "../../lib/db/generated-pg"');
  });

  it('the script refuses a schema it does not understand instead of writing a wrong one', () => {
    const sqlite = read(SQLITE_SCHEMA);
    expect(() => postgresSchemaFrom(sqlite.replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(
      /datasource db/,
    );
    expect(() => postgresSchemaFrom(sqlite.replace(/^\s*output\s*=.*$/m, ''))).toThrow(/generator client/);
  });

  it('the committed PostgreSQL client was generated from the current PostgreSQL schema', () => {
    const squash = (text: string) => text.replace(/[ \t]+/g, ' ').trim();
    expect(
      squash(jsonStringField(generatedClass('generated-pg'), 'inlineSchema')),
      'run `npx prisma generate --config prisma/postgres/prisma.config.ts`',
    ).toBe(squash(read(POSTGRES_SCHEMA)));
    expect(generatedClass('generated-pg')).toContain('"activeProvider": "postgresql"');
  });

  it('both generated clients carry the same data model (the one cast in lib/db/client.ts relies on it)', () => {
    const model = (folder: string) => {
      const m = /config\.runtimeDataModel = JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(generatedClass(folder));
      expect(m, `runtimeDataModel in lib/db/${folder}`).not.toBeNull();
      return JSON.parse(JSON.parse(m![1]!) as string) as unknown;
    };
    expect(model('generated-pg')).toEqual(model('generated'));
  });

  it('the PostgreSQL migrations folder is locked to postgresql', () => {
    expect(read(path.join(ROOT, 'prisma', 'postgres', 'migrations', 'migration_lock.toml'))).toContain(
      'provider = "postgresql"',
    );
  });
});
