import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import { createTeam, setTeamMembers, setTeamPermissions } from '../lib/auth/teams';
import { decideApproval, listApprovals } from '../lib/policy/approvals';
import { PolicyService } from '../lib/policy/service';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';

/**
 * Commands held for a second person's approval (issue 19): the Enter waits in the terminal; an
 * approver told by a notification approves (the command runs) or rejects (it is discarded); nobody
 * answering lets it expire; the one who asked cannot approve it.
 */

let portal: Portal;
const APPROVAL_TIMEOUT_MS = 1500;

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(1, LAB_CREDS), approvalTimeoutMs: APPROVAL_TIMEOUT_MS });
  const { policy } = portal.runtime;
  const r = await policy.create(
    portal.users.admin,
    { name: 'Saving needs a second person', patterns: ['save'], action: 'approve', roles: ['operator'] },
    (await policy.list())[0]!.id,
  );
  if (!r.ok) throw new Error(r.error);
});
afterAll(async () => {
  await portal?.close();
});

async function openTerminal(userId: string) {
  const c = await TestClient.open(portal, `/ws/terminal/${await portal.deviceId('lab-vrp-01')}`, userId);
  c.send({ type: 'connect', cols: 120, rows: 30 });
  await c.waitFrame('terminal_connected');
  await c.waitOutput(/<lab-vrp-01>$/);
  return c;
}

const admin = () => ({ id: portal.users.admin, username: 'admin', role: 'admin' as const });

/** The request this user's `save` made, once stored. */
async function pendingOf(userId: string) {
  return vi.waitFor(async () => {
    const row = await portal.db.commandApproval.findFirst({
      where: { requesterId: userId, status: 'pending' },
      orderBy: { createdAt: 'desc' },
    });
    if (!row) throw new Error('no pending request yet');
    return row;
  });
}

describe('approval', () => {
  it('approved by an admin told by a notification: the held line runs', async () => {
    const c = await openTerminal(portal.users.operator);
    c.send({ type: 'input', data: 'save\r' });
    await c.waitOutput(/needs approval for «save»\..*Waiting for approval; Ctrl\+C withdraws the request\./);
    const req = await pendingOf(portal.users.operator);
    // the admin was told, with a link to the request
    await vi.waitFor(async () => {
      const n = await portal.db.notification.findFirst({
        where: { userId: portal.users.admin, kind: 'approval_requested' },
        orderBy: { seq: 'desc' },
      });
      expect(n).toMatchObject({ link: `/approvals#${req.id}` });
    });
    // the one who asked cannot approve it
    expect(
      await decideApproval(
        portal.runtime,
        { id: portal.users.operator, username: 'op', role: 'operator' },
        req.id,
        true,
      ),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await decideApproval(portal.runtime, admin(), req.id, true)).toEqual({ ok: true });
    await c.waitOutput(/Approved by admin: running «save»\.[\s\S]*\[Y\/N\]:?\s*$/);
    c.send({ type: 'input', data: 'n\r' });
    await c.waitOutput(/<lab-vrp-01>$/);
    // decided once: a second decision is refused
    expect(await decideApproval(portal.runtime, admin(), req.id, false)).toMatchObject({
      ok: false,
      code: 'decided',
    });
    // audited: who asked, for what, on which device, under which rule, and who approved it
    const audit = async (action: string, userId: string) =>
      (await portal.db.auditEvent.findMany({ where: { action, userId } })).map(
        (e) => `${e.target}: ${e.detail}`,
      );
    expect(await audit('guard.approval_requested', portal.users.operator)).toContainEqual(
      `lab-vrp-01: save — rule «Saving needs a second person» (request ${req.id.slice(0, 8)})`,
    );
    expect(await audit('guard.approval_approved', portal.users.admin)).toContainEqual(
      'lab-vrp-01: save — requested by op',
    );
    await vi.waitFor(async () =>
      expect(await audit('guard.approved', portal.users.operator)).toContainEqual(
        expect.stringMatching(
          /^lab-vrp-01: save — approve by rule «Saving needs a second person», user view, approved by admin \(session /,
        ),
      ),
    );
    await c.close();
  });

  it('rejected: the line is discarded and the terminal says by whom and why (one line, no escapes)', async () => {
    const c = await openTerminal(portal.users.operator2);
    c.send({ type: 'input', data: 'save\r' });
    const req = await pendingOf(portal.users.operator2);
    const note = 'not during\r\nbusiness hours\x1b[2J';
    expect(await decideApproval(portal.runtime, admin(), req.id, false, note)).toEqual({ ok: true });
    await c.waitOutput(/Not sent: Rejected by admin: «not during business hours \[2J»\.[\s\S]*<lab-vrp-01>$/);
    expect(c.output).not.toMatch(/\[Y\/N\]/);
    expect(c.output).not.toContain('\x1b[2J');
    await c.close();
  });

  it('rejected without a note: the terminal says by whom', async () => {
    const c = await openTerminal(portal.users.operator2);
    c.send({ type: 'input', data: 'save\r' });
    const req = await pendingOf(portal.users.operator2);
    expect(await decideApproval(portal.runtime, admin(), req.id, false)).toEqual({ ok: true });
    await c.waitOutput(/Not sent: Rejected by admin\.[\s\S]*<lab-vrp-01>$/);
    await c.close();
  });

  it('nobody answers: it expires, is discarded, and the list says expired', async () => {
    const c = await openTerminal(portal.users.operator);
    const mark = c.outputTotal;
    c.send({ type: 'input', data: 'save\r' });
    await c.waitUntil(
      () =>
        /No one approved it within 2 s; it was discarded\.[\s\S]*<lab-vrp-01>$/.test(
          c.output.slice(-(c.outputTotal - mark)),
        ),
      'the request to expire',
      APPROVAL_TIMEOUT_MS + 5000,
    );
    const list = await listApprovals(portal.db, { id: portal.users.admin, role: 'admin' });
    expect(list.some((a) => a.status === 'expired' && a.command === 'save')).toBe(true);
    await c.close();
  });

  it('a member of a team with the approve permission may decide; Ctrl+C withdraws the request', async () => {
    const approver = await portal.db.user.create({
      data: { username: 'approver', passwordHash: 'x', role: 'viewer' },
    });
    await portal.db.deviceGrant.create({
      data: { userId: approver.id, deviceId: await portal.deviceId('lab-vrp-01'), level: 'view' },
    });
    const team = await createTeam(admin() as never, { name: 'change board' }, portal.runtime);
    if (!team.ok) throw new Error(team.error);
    await setTeamMembers(admin() as never, team.id, [approver.id], portal.runtime);
    await setTeamPermissions(admin() as never, team.id, ['approve'], portal.runtime);
    const c = await openTerminal(portal.users.operator);
    c.send({ type: 'input', data: 'save\r' });
    const req = await pendingOf(portal.users.operator);
    const theirs = await listApprovals(portal.db, { id: approver.id, role: 'viewer' });
    expect(theirs.find((a) => a.id === req.id)).toMatchObject({ canDecide: true });
    c.send({ type: 'input', data: '\x03' });
    await c.waitOutput(/Not sent: The request was withdrawn\.[\s\S]*<lab-vrp-01>$/);
    expect(
      await decideApproval(
        portal.runtime,
        { id: approver.id, username: 'approver', role: 'viewer' },
        req.id,
        true,
      ),
    ).toMatchObject({
      ok: false,
      code: 'decided',
    });
    await c.close();
  });
});

describe('rules on every node', () => {
  it('a rule changed through one node’s service is in force on another’s at once (bus `policy.changed`)', async () => {
    // a second node's policy service: the same database and bus
    const other = new PolicyService({ db: portal.db, bus: portal.bus, audit: async () => {} });
    await other.start();
    try {
      const r = await portal.runtime.policy.create(portal.users.admin, {
        name: 'cross-node test',
        patterns: ['display clock'],
        action: 'deny',
        roles: ['admin'],
      });
      if (!r.ok) throw new Error(r.error);
      await vi.waitFor(() => expect(other.rules().some((x) => x.id === r.id)).toBe(true));
      await portal.runtime.policy.remove(portal.users.admin, r.id);
      await vi.waitFor(() => expect(other.rules().some((x) => x.id === r.id)).toBe(false));
    } finally {
      other.stop();
    }
  });
});
