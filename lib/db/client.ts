import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client';
import { getConfig } from '../config';
import { sqlitePathFromUrl } from './migrate';

export type { PrismaClient } from './generated/client';

export function createPrismaClient(url: string): PrismaClient {
  if (!url.startsWith('file:')) {
    throw new Error('PostgreSQL support arrives with the scale-out issue; use a file: DATABASE_URL');
  }
  const adapter = new PrismaBetterSqlite3({ url: `file:${sqlitePathFromUrl(url)}`, timeout: 5000 });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { __switchboardDb?: PrismaClient };

/** One Prisma client per process, shared by server.ts and Next's bundles through globalThis. */
export function getDb(): PrismaClient {
  if (!globalForDb.__switchboardDb) {
    globalForDb.__switchboardDb = createPrismaClient(getConfig().DATABASE_URL);
  }
  return globalForDb.__switchboardDb;
}

export async function closeDb(): Promise<void> {
  const db = globalForDb.__switchboardDb;
  globalForDb.__switchboardDb = undefined;
  await db?.$disconnect();
}
