// No 'server-only' marker: server.ts (plain Node) writes audit events too.
import type { Logger } from 'pino';
import type { PrismaClient } from './db/client';

export interface AuditEntry {
  userId?: string | null;
  action: string;
  target?: string | null;
  detail?: string;
  ip?: string | null;
}

/** Audit trail: logins, user and device changes, terminal sessions, commands, tasks. Never throws. */
export type AuditSink = (entry: AuditEntry) => Promise<void>;

export function createAudit(db: PrismaClient, log: Logger): AuditSink {
  return async (entry) => {
    try {
      await db.auditEvent.create({
        data: {
          userId: entry.userId ?? null,
          action: entry.action,
          target: entry.target ?? null,
          detail: entry.detail ?? '',
          ip: entry.ip ?? null,
        },
      });
    } catch (err) {
      log.error({ err, action: entry.action }, 'audit write failed');
    }
  };
}
