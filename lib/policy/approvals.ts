import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';
import type { EventBus } from '../events/types';
import { usersSeeingDeviceWhere } from '../devices/visibility';
import type { NotificationFeed } from '../notifications/feed';
import type { Role } from '../auth/roles';
import type { Decision } from './rules';
import { guardText, type Refusal } from './guard-text';

/**
 * Commands a guard-rail rule holds for a second person's approval (action `approve`). The terminal's
 * Enter waits while the request is pending; approvers (admins, and members of a team with the
 * `approve` permission who may see the device, never the requester) are notified and decide on the
 * Approvals page; the decision reaches the waiting session on whatever node holds it over the bus. A
 * request nobody decides expires after GUARD_APPROVAL_TIMEOUT_MS and the command is discarded; Ctrl+C
 * in the terminal (or the session closing) withdraws it. Every step is audited.
 */

/** The default of the GUARD_APPROVAL_TIMEOUT_MS tunable (lib/config). */
export const GUARD_APPROVAL_TIMEOUT_MS = 5 * 60_000;
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'withdrawn'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface ApprovalDeps {
  db: PrismaClient;
  bus: EventBus;
  audit: AuditSink;
  feed?: NotificationFeed;
}

/**
 * How a request ended. A refusal says why in English (`reason`, for the audit trail and the API) and
 * by `code` (with who rejected it, or how long nobody answered) for text in the user's language.
 */
export type ApprovalAnswer =
  | { approved: true; by: string }
  | {
      approved: false;
      reason: string;
      code: 'rejected' | 'expired' | 'withdrawn' | 'no_approver';
      by?: string;
      /** What the approver wrote when rejecting it. */
      note?: string;
      timeoutMs?: number;
    };

/** A refusal with its reason in English, from the same messages the terminal shows in any language. */
function refused(r: Refusal): ApprovalAnswer {
  return { approved: false, ...r, reason: guardText().refusal(r) };
}

/** Users who may decide a request on this device: admins, and `approve` teams' members who see it. */
export async function approversOf(
  db: PrismaClient,
  deviceId: string,
  requesterId: string,
): Promise<string[]> {
  const users = await db.user.findMany({
    where: {
      disabled: false,
      id: { not: requesterId },
      OR: [
        { role: 'admin' },
        {
          AND: [
            { teams: { some: { team: { permissions: { contains: 'approve' } } } } },
            usersSeeingDeviceWhere(deviceId),
          ],
        },
      ],
    },
    select: { id: true, role: true, teams: { select: { team: { select: { permissions: true } } } } },
  });
  // `contains` matched the text; the permission itself must be in the list
  return users
    .filter(
      (u) => u.role === 'admin' || u.teams.some((t) => t.team.permissions.split(',').includes('approve')),
    )
    .map((u) => u.id);
}

/**
 * Ask for approval and wait for the answer (approved, rejected, expired or withdrawn). The request is
 * stored first, so an approver on any node sees it; `signal` withdraws it.
 */
export async function requestApproval(
  deps: ApprovalDeps,
  req: {
    requester: { id: string; name: string };
    device: { id: string; name: string };
    command: string;
    decision: Decision;
    sessionId: string | null;
  },
  signal: AbortSignal,
  timeoutMs = GUARD_APPROVAL_TIMEOUT_MS,
): Promise<ApprovalAnswer> {
  const { db, bus } = deps;
  const row = await db.commandApproval.create({
    data: {
      requesterId: req.requester.id,
      requester: req.requester.name,
      deviceId: req.device.id,
      deviceName: req.device.name,
      command: req.command.slice(0, 1000),
      ruleId: req.decision.rule?.id ?? null,
      ruleName: req.decision.rule?.name ?? '',
      sessionId: req.sessionId,
      expiresAt: new Date(Date.now() + timeoutMs),
    },
  });
  await deps.audit({
    userId: req.requester.id,
    action: 'guard.approval_requested',
    target: req.device.name,
    detail: `${row.command} — rule «${row.ruleName}» (request ${row.id.slice(0, 8)})`,
  });
  // subscribe before anyone can decide (the notification goes out after)
  let settle: (a: ApprovalAnswer) => void = () => {};
  const answered = new Promise<ApprovalAnswer>((resolve) => (settle = resolve));
  const stop = bus.subscribe('approval.decided', (e) => {
    if (e.approvalId !== row.id) return;
    if (e.status === 'approved') settle({ approved: true, by: e.by ?? 'an approver' });
    else if (e.status === 'rejected')
      settle(refused({ code: 'rejected', by: e.by ?? undefined, ...(e.note && { note: e.note }) }));
  });
  const timer = setTimeout(() => {
    void finish(row.id, 'expired', null, deps).then((won) => {
      if (won) settle(refused({ code: 'expired', timeoutMs }));
    });
  }, timeoutMs);
  timer.unref();
  const onAbort = () => {
    void finish(row.id, 'withdrawn', null, deps).then((won) => {
      if (won) settle(refused({ code: 'withdrawn' }));
    });
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const approvers = await approversOf(db, req.device.id, req.requester.id);
    if (approvers.length === 0) {
      await finish(row.id, 'rejected', null, deps, 'nobody may approve it');
      return refused({ code: 'no_approver' });
    }
    await deps.feed
      ?.notify(approvers, {
        kind: 'approval_requested',
        title: `${req.requester.name} asks to run «${row.command.slice(0, 80)}» on ${req.device.name}`,
        body: req.decision.reason,
        params: {
          device: req.device.name,
          command: row.command.slice(0, 200),
          requester: req.requester.name,
          ...(req.decision.rule && { rule: req.decision.rule.name }),
        },
        link: `/approvals#${row.id}`,
        eventKey: `approval:${row.id}`,
      })
      .catch(() => 0);
    if (signal.aborted) onAbort();
    return await answered;
  } finally {
    clearTimeout(timer);
    stop();
    signal.removeEventListener('abort', onAbort);
  }
}

/** Move a pending request to a final state (once: false when it was no longer pending). */
async function finish(
  id: string,
  status: Exclude<ApprovalStatus, 'pending'>,
  by: { id: string; name: string } | null,
  deps: ApprovalDeps,
  reason = '',
): Promise<boolean> {
  const r = await deps.db.commandApproval.updateMany({
    where: { id, status: 'pending' },
    data: { status, decidedById: by?.id ?? null, decidedBy: by?.name ?? null, decidedAt: new Date(), reason },
  });
  if (r.count === 0) return false;
  const row = await deps.db.commandApproval.findUnique({ where: { id } });
  await deps.audit({
    userId: by?.id ?? row?.requesterId ?? null,
    action: `guard.approval_${status}`,
    target: row?.deviceName ?? null,
    detail: `${row?.command ?? ''} — requested by ${row?.requester ?? '?'}${reason ? `: ${reason}` : ''}`,
  });
  // the note goes into the requester's terminal: one line of text, no escape sequences
  const note = reason.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ').trim();
  await deps.bus.publish('approval.decided', {
    approvalId: id,
    status,
    by: by?.name ?? null,
    ...(note && { note }),
  });
  return true;
}

export type DecideResult =
  { ok: true } | { ok: false; code: 'not_found' | 'forbidden' | 'decided'; error: string };

/** An approver approves or rejects a pending request. */
export async function decideApproval(
  deps: ApprovalDeps,
  actor: { id: string; username: string; role: Role },
  id: string,
  approve: boolean,
  reason = '',
): Promise<DecideResult> {
  const row = await deps.db.commandApproval.findUnique({ where: { id } });
  if (!row) return { ok: false, code: 'not_found', error: 'No such request.' };
  if (row.requesterId === actor.id)
    return { ok: false, code: 'forbidden', error: 'A second person must decide: you asked for this one.' };
  const may = (await approversOf(deps.db, row.deviceId, row.requesterId)).includes(actor.id);
  if (!may) return { ok: false, code: 'forbidden', error: 'You may not approve commands on this device.' };
  if (row.status !== 'pending' || row.expiresAt.getTime() <= Date.now())
    return {
      ok: false,
      code: 'decided',
      error: `This request is no longer pending (${row.status === 'pending' ? 'expired' : row.status}).`,
    };
  const won = await finish(
    id,
    approve ? 'approved' : 'rejected',
    { id: actor.id, name: actor.username },
    deps,
    reason.trim().slice(0, 500),
  );
  return won ? { ok: true } : { ok: false, code: 'decided', error: 'Someone else decided it first.' };
}

export interface ApprovalView {
  id: string;
  requester: string;
  deviceName: string;
  command: string;
  ruleName: string;
  status: ApprovalStatus;
  decidedBy: string | null;
  reason: string;
  createdAt: Date;
  expiresAt: Date;
  decidedAt: Date | null;
  /** The viewer may decide it (pending, not theirs, an approver). */
  canDecide: boolean;
}

/** Requests the user may decide (pending first), and their own; admins see all. The latest 100. */
export async function listApprovals(
  db: PrismaClient,
  actor: { id: string; role: Role },
): Promise<ApprovalView[]> {
  const rows = await db.commandApproval.findMany({ orderBy: { createdAt: 'desc' }, take: 200 });
  const out: ApprovalView[] = [];
  const approverCache = new Map<string, string[]>();
  for (const r of rows) {
    const key = `${r.deviceId}\n${r.requesterId}`;
    let approvers = approverCache.get(key);
    if (!approvers) approverCache.set(key, (approvers = await approversOf(db, r.deviceId, r.requesterId)));
    const mine = r.requesterId === actor.id;
    const approver = approvers.includes(actor.id);
    if (!mine && !approver && actor.role !== 'admin') continue;
    const live = r.status === 'pending' && r.expiresAt.getTime() > Date.now();
    out.push({
      id: r.id,
      requester: r.requester,
      deviceName: r.deviceName,
      command: r.command,
      ruleName: r.ruleName,
      status: r.status === 'pending' && !live ? 'expired' : (r.status as ApprovalStatus),
      decidedBy: r.decidedBy,
      reason: r.reason,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      decidedAt: r.decidedAt,
      canDecide: live && approver && !mine,
    });
    if (out.length >= 100) break;
  }
  return out.sort((a, b) => Number(b.canDecide) - Number(a.canDecide));
}
