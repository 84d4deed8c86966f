import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client';
import { sqlitePathFromUrl } from './migrate';

export type { PrismaClient } from './generated/client';

export function createPrismaClient(url: string): PrismaClient {
  if (!url.startsWith('file:')) {
    throw new Error('PostgreSQL support arrives with the scale-out issue; use a file: DATABASE_URL');
  }
  const adapter = new PrismaBetterSqlite3({ url: `file:${sqlitePathFromUrl(url)}`, timeout: 5000 });
  return new PrismaClient({ adapter });
}
