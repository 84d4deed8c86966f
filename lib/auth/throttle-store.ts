import type { PrismaClient } from '../db/client';
import type { ThrottleState, ThrottleStore } from './throttle';

const MAX_CONFLICTS = 1000;

/**
 * Throttle state in the LoginFailure table, so a restart does not clear it. Each update is a
 * compare-and-swap (write only if the row is still what was read, retry otherwise): the same on
 * SQLite and PostgreSQL, and parallel attempts cannot both take the last free failure.
 */
export class DatabaseThrottleStore implements ThrottleStore {
  constructor(private readonly db: PrismaClient) {}

  async update<T>(
    key: string,
    change: (current: ThrottleState | undefined) => { next: ThrottleState | undefined | 'keep'; result: T },
  ): Promise<T> {
    for (let i = 0; i < MAX_CONFLICTS; i++) {
      const row = await this.db.loginFailure.findUnique({ where: { key } });
      const { next, result } = change(
        row
          ? {
              failures: row.failures,
              lastFailureAt: row.lastFailureAt.getTime(),
              blockedUntil: row.blockedUntil.getTime(),
            }
          : undefined,
      );
      if (next === 'keep') return result;
      const data = next && {
        failures: next.failures,
        lastFailureAt: new Date(next.lastFailureAt),
        blockedUntil: new Date(next.blockedUntil),
      };
      if (!row) {
        if (!data) return result;
        try {
          await this.db.loginFailure.create({ data: { key, ...data } });
          return result;
        } catch (err) {
          if ((err as { code?: unknown }).code === 'P2002') continue; // created meanwhile
          throw err;
        }
      }
      const unchanged = {
        key,
        failures: row.failures,
        lastFailureAt: row.lastFailureAt,
        blockedUntil: row.blockedUntil,
      };
      const { count } = data
        ? await this.db.loginFailure.updateMany({ where: unchanged, data })
        : await this.db.loginFailure.deleteMany({ where: unchanged });
      if (count === 1) return result;
    }
    throw new Error(`sign-in throttle: too much contention on ${key}`);
  }

  async prune(lastFailureBefore: number, now: number): Promise<void> {
    await this.db.loginFailure.deleteMany({
      where: { lastFailureAt: { lt: new Date(lastFailureBefore) }, blockedUntil: { lte: new Date(now) } },
    });
  }
}
