import type { Prisma, PrismaClient } from './generated/client';

/**
 * What differs between the two databases for code that shares one client type (lib/db/client.ts):
 * text matching and raw SQL placeholders. Everything else goes through Prisma's query API, which
 * means the same on both.
 */
export type DbProvider = 'sqlite' | 'postgresql';
type AnyClient = PrismaClient | Prisma.TransactionClient;

/** The provider behind a client or a transaction client (Prisma keeps it on both). */
export function providerOf(db: AnyClient): DbProvider {
  const p = (db as unknown as { _activeProvider?: string })._activeProvider;
  return p === 'postgresql' ? 'postgresql' : 'sqlite';
}

export function isPostgres(db: AnyClient): boolean {
  return providerOf(db) === 'postgresql';
}

/**
 * A case-insensitive "contains" filter on either database: SQLite's LIKE already ignores ASCII
 * case; PostgreSQL's is case-sensitive, so it gets `mode: 'insensitive'` (ILIKE), which the SQLite
 * client's types (and its query validator) do not know, hence the plain return type.
 */
export function containsText(db: AnyClient, text: string): { contains: string } {
  return isPostgres(db)
    ? ({ contains: text, mode: 'insensitive' } as { contains: string })
    : { contains: text };
}

/** `startsWith`, case-insensitive on both databases (see containsText). */
export function startsWithText(db: AnyClient, text: string): { startsWith: string } {
  return isPostgres(db)
    ? ({ startsWith: text, mode: 'insensitive' } as { startsWith: string })
    : { startsWith: text };
}

/**
 * The bind placeholder of the n-th (1-based) parameter in `$queryRawUnsafe`/`$executeRawUnsafe`
 * SQL: `?` on SQLite, `$n` on PostgreSQL. (Tagged `$queryRaw`/`Prisma.sql` picks it by itself.)
 */
export function placeholder(db: AnyClient, n: number): string {
  return isPostgres(db) ? `$${n}` : '?';
}
