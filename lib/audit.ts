// No 'server-only' marker: server.ts (plain Node) writes audit events too.
import { getDb } from './db/client';
import { getLogger } from './log';

export interface AuditEntry {
  userId?: string | null;
  action: string;
  target?: string | null;
  detail?: string;
  ip?: string | null;
}

/** Audit trail: logins, user and device changes, terminal sessions, commands, tasks. Never throws. */
export async function audit(entry: AuditEntry): Promise<void> {
  try {
    await getDb().auditEvent.create({
      data: {
        userId: entry.userId ?? null,
        action: entry.action,
        target: entry.target ?? null,
        detail: entry.detail ?? '',
        ip: entry.ip ?? null,
      },
    });
  } catch (err) {
    getLogger().error({ err, action: entry.action }, 'audit write failed');
  }
}
