import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from './generated/client';
import { PrismaClient as PostgresPrismaClient } from './generated-pg/client';
import { isPostgresUrl, redactUrl, sqlitePathFromUrl } from './migrate';

export type { PrismaClient } from './generated/client';

/**
 * The database client for DATABASE_URL: SQLite (`file:`, better-sqlite3) or PostgreSQL
 * (`postgres://` / `postgresql://`, node-postgres). Both clients are generated from schemas with the
 * same models (prisma/postgres/schema.prisma is derived from prisma/schema.prisma, a test fails when
 * they drift), so the rest of the code uses one type: the SQLite client's.
 */
export interface PrismaClientExtras {
  /** Prisma's log option (tests count the SQL statements a query costs with `{ emit: 'event', level: 'query' }`). */
  log?: Prisma.LogDefinition[];
}

export function createPrismaClient(url: string, extras: PrismaClientExtras = {}): PrismaClient {
  const options = extras.log ? { log: extras.log } : {};
  if (url.startsWith('file:')) {
    const adapter = new PrismaBetterSqlite3({ url: `file:${sqlitePathFromUrl(url)}`, timeout: 5000 });
    return new PrismaClient({ adapter, ...options });
  }
  if (isPostgresUrl(url)) {
    const adapter = new PrismaPg({ connectionString: url });
    // The one cast between the two generated clients: their models, fields and query API are
    // identical (tests/db-postgres-schema.test.ts); only provider-specific extras differ (e.g.
    // `mode: 'insensitive'` exists on PostgreSQL only), which the shared code does not use.
    return new PostgresPrismaClient({ adapter, ...options }) as unknown as PrismaClient;
  }
  throw new Error(`unsupported DATABASE_URL ${redactUrl(url)}: use file:… (SQLite) or postgresql://…`);
}
