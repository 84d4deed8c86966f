import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from './generated/client';
import { PrismaClient as PostgresPrismaClient } from './generated-pg/client';
import { isPostgresUrl, redactUrl, sqlitePathFromUrl } from './migrate';
import { keepStatements } from './statement-cache';

export type { PrismaClient } from './generated/client';

/**
 * How long node-postgres waits for a new connection to be set up (TCP, startup, authentication),
 * and for a free one from a full pool. A healthy server answers in milliseconds; without a limit a
 * connect to a hung server waits for ever (a SIGSTOPped server's kernel still accepts the TCP
 * connection, and the startup is never answered), and to a host that drops packets as long as TCP
 * retries, minutes. Long enough not to fail a burst of work queued behind a busy pool (the task
 * executor's writes take milliseconds each).
 */
export const PG_CONNECT_TIMEOUT_MS = 5_000;

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

/**
 * Prisma's better-sqlite3 adapter with its connection's statements prepared once (statement-cache.ts).
 * The adapter keeps its better-sqlite3 connection in a `client` field of what `connect` returns; a
 * version without it is refused here, at the first query, rather than run slower unnoticed
 * (tests/db-statement-cache.test.ts).
 */
class SqliteAdapterFactory extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client?: Parameters<typeof keepStatements>[0] }).client;
    if (typeof client?.prepare !== 'function') {
      throw new Error(
        '@prisma/adapter-better-sqlite3 no longer exposes its connection: update lib/db/client.ts',
      );
    }
    keepStatements(client);
    return adapter;
  }
}

export function createPrismaClient(url: string, extras: PrismaClientExtras = {}): PrismaClient {
  const options = extras.log ? { log: extras.log } : {};
  if (url.startsWith('file:')) {
    const adapter = new SqliteAdapterFactory({ url: `file:${sqlitePathFromUrl(url)}`, timeout: 5000 });
    return new PrismaClient({ adapter, ...options });
  }
  if (isPostgresUrl(url)) {
    // No query_timeout and no statement_timeout: both would also cut legitimate long statements (an
    // import's bulk inserts, the output purge), and a statement_timeout is the server's own, which a
    // hung server never enforces. node-postgres's query_timeout, besides, gives up on the query but
    // keeps the connection, and a transaction's connection goes back to the pool without an error
    // (@prisma/adapter-pg releases it plainly): a later request could run inside the abandoned
    // transaction. A request instead asks the database whether it answers when it has waited a
    // while (lib/db/unavailable.ts), and is answered 503 when it does not.
    const adapter = new PrismaPg({ connectionString: url, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
    // The one cast between the two generated clients: their models, fields and query API are
    // identical (tests/db-postgres-schema.test.ts); only provider-specific extras differ (e.g.
    // `mode: 'insensitive'` exists on PostgreSQL only), which the shared code does not use.
    return new PostgresPrismaClient({ adapter, ...options }) as unknown as PrismaClient;
  }
  throw new Error(`unsupported DATABASE_URL ${redactUrl(url)}: use file:… (SQLite) or postgresql://…`);
}
