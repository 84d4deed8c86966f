import { z } from 'zod';
import type { Logger } from 'pino';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';
import type { CliMode } from '../devices/drivers';
import { VENDORS } from '../devices/schema';
import type { EventBus } from '../events/types';
import { isRole, ROLES, type Role } from '../auth/roles';
import type { NotificationFeed } from '../notifications/feed';
import type { SessionGuard, TerminalSession } from '../terminal/session';
import { requestApproval } from './approvals';
import { modeLabel, POLICY_MODES, predictModes } from './cli';
import { BUILTIN_RULES } from './defaults';
import { compilePattern, RULE_PATTERNS_MAX } from './match';
import {
  compileRules,
  decideAll,
  stricter,
  MATCH_KINDS,
  mayRestrict,
  POLICY_ACTIONS,
  type CompiledRule,
  type Decision,
  type PolicyActor,
  type PolicyRule,
  type PolicyTarget,
} from './rules';

/**
 * Guard-rail rules in the database, compiled once per change and held by every node (a change is
 * published on the bus and each node reloads), and the guards that terminal sessions, command mode,
 * tasks and the API ask. The policies page and `/api/v1/policies` call the use cases below.
 */

const SEEDED_KEY = 'policy.builtins.seeded';
export const RULE_NAME_MAX_CHARS = 120;

const list = <T extends z.ZodTypeAny>(item: T) => z.array(item).max(500).default([]);

/** A rule as the form and the API send it; patterns are checked by compiling them. */
export const ruleInputSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the rule a name.').max(RULE_NAME_MAX_CHARS),
    enabled: z.boolean().default(true),
    matchKind: z.enum(MATCH_KINDS).default('words'),
    patterns: z
      .array(z.string().max(1000))
      .transform((ps) => ps.map((p) => p.trim()).filter((p) => p !== ''))
      .pipe(z.array(z.string()).min(1, 'Write at least one command.').max(RULE_PATTERNS_MAX)),
    action: z.enum(POLICY_ACTIONS),
    notify: z.boolean().default(false),
    vendors: list(z.enum(VENDORS)),
    groupIds: list(z.string().min(1).max(64)),
    userIds: list(z.string().min(1).max(64)),
    teamIds: list(z.string().min(1).max(64)),
    roles: list(z.enum(ROLES)),
    modes: list(z.enum(POLICY_MODES)),
  })
  .superRefine((r, ctx) => {
    r.patterns.forEach((p, i) => {
      const c = compilePattern(r.matchKind, p);
      if (!c.ok) ctx.addIssue({ code: 'custom', path: ['patterns', i], message: `«${p}»: ${c.error}` });
    });
  });
export type RuleInput = z.input<typeof ruleInputSchema>;

type Row = Awaited<ReturnType<PrismaClient['commandRule']['findMany']>>[number];

const csv = (items: readonly string[]) => items.join(',');
const uncsv = (text: string) => (text ? text.split(',').filter(Boolean) : []);

function toRule(row: Row): PolicyRule & { position: number } {
  return {
    id: row.id,
    position: row.position,
    name: row.name,
    enabled: row.enabled,
    matchKind: row.matchKind === 'regex' ? 'regex' : 'words',
    patterns: row.patterns.split('\n').filter(Boolean),
    action: (POLICY_ACTIONS as readonly string[]).includes(row.action)
      ? (row.action as PolicyRule['action'])
      : 'deny',
    notify: row.notify,
    vendors: uncsv(row.vendors),
    groupIds: uncsv(row.groupIds),
    userIds: uncsv(row.userIds),
    teamIds: uncsv(row.teamIds),
    roles: uncsv(row.roles).filter(isRole),
    modes: uncsv(row.modes).filter((m): m is CliMode => (POLICY_MODES as readonly string[]).includes(m)),
    builtin: row.builtin,
  };
}

function toData(r: z.output<typeof ruleInputSchema>) {
  return {
    name: r.name,
    enabled: r.enabled,
    matchKind: r.matchKind,
    patterns: r.patterns.join('\n'),
    action: r.action,
    notify: r.notify,
    vendors: csv(r.vendors),
    groupIds: csv(r.groupIds),
    userIds: csv(r.userIds),
    teamIds: csv(r.teamIds),
    roles: csv(r.roles),
    modes: csv(r.modes),
  };
}

export type PolicyResult<T = { id: string }> =
  | ({ ok: true } & T)
  | { ok: false; code: 'invalid' | 'not_found'; error: string; fields?: Record<string, string> };

export interface PolicyDeps {
  db: PrismaClient;
  bus: EventBus;
  audit: AuditSink;
  feed?: NotificationFeed;
  log?: Pick<Logger, 'warn' | 'error'>;
  /** How long a command waits for approval (default GUARD_APPROVAL_TIMEOUT_MS; tests shorten it). */
  approvalTimeoutMs?: number;
}

/** Who acts, as the policy sees them. */
export interface PolicyUser {
  id: string;
  role: Role;
  name: string;
}

export interface PolicyDevice {
  id: string;
  name: string;
  vendor: string;
}

/** One command of one device that a rule does not simply allow. */
export interface CommandVerdict {
  device: PolicyDevice;
  command: string;
  decision: Decision;
}
export type CommandVerdicts = Record<'deny' | 'confirm' | 'approve', CommandVerdict[]>;

/**
 * What a task's creator types to confirm its guarded commands: the device's name when one device
 * has them, else how many devices (`37 devices`), as a terminal asks for the device name.
 */
export function confirmationPhrase(verdicts: readonly CommandVerdict[]): string {
  const names = [...new Set(verdicts.map((v) => v.device.name))];
  return names.length === 1 ? names[0]! : `${names.length} devices`;
}

export class PolicyService {
  private compiled: CompiledRule[] = [];
  /** The teams and groups the rules name (see mayRestrict); null after a reload. */
  private anyScope: { teamIds: string[]; groupIds: string[] } | null = null;
  private loaded: Promise<void> | null = null;
  private readonly stops: (() => void)[] = [];

  constructor(private readonly deps: PolicyDeps) {}

  private get approvalTimeoutMs(): number | undefined {
    return this.deps.approvalTimeoutMs;
  }

  /** Seed the built-in rules on a new portal, load the rules, and follow changes made on any node. */
  async start(): Promise<void> {
    await this.ensureBuiltins();
    await this.reload();
    this.stops.push(this.deps.bus.subscribe('policy.changed', () => this.reload()));
  }

  stop(): void {
    for (const s of this.stops.splice(0)) s();
  }

  /** The rules every decision uses now (compiled). */
  rules(): readonly CompiledRule[] {
    return this.compiled;
  }

  async reload(): Promise<void> {
    const rows = await this.deps.db.commandRule.findMany({
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
    });
    this.compiled = compileRules(rows.map(toRule));
    this.anyScope = null;
  }

  private async ensureBuiltins(): Promise<void> {
    const { db } = this.deps;
    if (await db.setting.findUnique({ where: { key: SEEDED_KEY } })) return;
    try {
      await db.$transaction(async (tx) => {
        if (await tx.setting.findUnique({ where: { key: SEEDED_KEY } })) return;
        let position = 0;
        for (const b of BUILTIN_RULES) {
          position += 10;
          await tx.commandRule.upsert({
            where: { builtin: b.builtin! },
            update: {},
            create: { ...builtinData(b), position },
          });
        }
        await tx.setting.create({ data: { key: SEEDED_KEY, value: new Date().toISOString() } });
      });
    } catch (err) {
      // nodes of a cluster starting together: another one seeded them first (a unique key says so)
      if ((err as { code?: string }).code !== 'P2002') throw err;
    }
  }

  async list(): Promise<(PolicyRule & { position: number })[]> {
    const rows = await this.deps.db.commandRule.findMany({
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
    });
    return rows.map(toRule);
  }

  async get(id: string): Promise<(PolicyRule & { position: number }) | null> {
    const row = await this.deps.db.commandRule.findUnique({ where: { id } });
    return row ? toRule(row) : null;
  }

  private async changed(actorId: string, action: string, target: string, detail: string): Promise<void> {
    await this.reload();
    await this.deps.audit({ userId: actorId, action, target, detail });
    await this.deps.bus.publish('policy.changed', { at: new Date().toISOString() });
  }

  /** Add a rule at the end, or before the rule at `before`. */
  async create(actorId: string, input: unknown, before?: string): Promise<PolicyResult> {
    const parsed = ruleInputSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const { db } = this.deps;
    const last = await db.commandRule.findFirst({
      orderBy: { position: 'desc' },
      select: { position: true },
    });
    let position = (last?.position ?? 0) + 10;
    if (before) {
      const at = await db.commandRule.findUnique({ where: { id: before }, select: { position: true } });
      if (!at) return { ok: false, code: 'not_found', error: 'The rule to insert before no longer exists.' };
      position = at.position;
      await db.commandRule.updateMany({
        where: { position: { gte: position } },
        data: { position: { increment: 10 } },
      });
    }
    const row = await db.commandRule.create({ data: { ...toData(parsed.data), position } });
    await this.changed(actorId, 'policy.create', row.name, describeRule(toRule(row)));
    return { ok: true, id: row.id };
  }

  async update(actorId: string, id: string, input: unknown): Promise<PolicyResult> {
    const parsed = ruleInputSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const existing = await this.deps.db.commandRule.findUnique({ where: { id } });
    if (!existing) return { ok: false, code: 'not_found', error: 'No such rule.' };
    const row = await this.deps.db.commandRule.update({ where: { id }, data: toData(parsed.data) });
    await this.changed(actorId, 'policy.update', row.name, describeRule(toRule(row)));
    return { ok: true, id };
  }

  async remove(actorId: string, id: string): Promise<PolicyResult> {
    const existing = await this.deps.db.commandRule.findUnique({ where: { id } });
    if (!existing) return { ok: false, code: 'not_found', error: 'No such rule.' };
    await this.deps.db.commandRule.delete({ where: { id } });
    await this.changed(actorId, 'policy.delete', existing.name, describeRule(toRule(existing)));
    return { ok: true, id };
  }

  /** Move a rule one place up or down (rules decide in order). */
  async move(actorId: string, id: string, direction: 'up' | 'down'): Promise<PolicyResult> {
    const rules = await this.list();
    const i = rules.findIndex((r) => r.id === id);
    if (i < 0) return { ok: false, code: 'not_found', error: 'No such rule.' };
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= rules.length) return { ok: true, id };
    const order = [...rules];
    [order[i], order[j]] = [order[j]!, order[i]!];
    await this.deps.db.$transaction(
      order.map((r, k) =>
        this.deps.db.commandRule.update({ where: { id: r.id }, data: { position: (k + 1) * 10 } }),
      ),
    );
    await this.changed(
      actorId,
      'policy.move',
      rules[i]!.name,
      `${direction} to place ${j + 1} of ${rules.length}`,
    );
    return { ok: true, id };
  }

  /** Put the built-in rules back as shipped (those deleted return at the top, in their order). */
  async restoreBuiltins(actorId: string): Promise<PolicyResult<{ restored: number }>> {
    const { db } = this.deps;
    let restored = 0;
    await db.$transaction(async (tx) => {
      const first = await tx.commandRule.findFirst({
        orderBy: { position: 'asc' },
        select: { position: true },
      });
      let position = Math.min(first?.position ?? 10, 10) - BUILTIN_RULES.length * 10;
      for (const b of BUILTIN_RULES) {
        position += 10;
        const data = builtinData(b);
        const had = await tx.commandRule.findUnique({ where: { builtin: b.builtin! }, select: { id: true } });
        if (had) await tx.commandRule.update({ where: { id: had.id }, data });
        else await tx.commandRule.create({ data: { ...data, position } });
        restored++;
      }
    });
    await this.changed(actorId, 'policy.restore', 'built-in rules', `${restored} rules restored`);
    return { ok: true, restored };
  }

  /** The user's teams and the device's groups, as the rules' scope reads them. */
  async scopeOf(
    user: PolicyUser,
    device: PolicyDevice,
  ): Promise<{ actor: PolicyActor; target: PolicyTarget }> {
    const [teams, groups] = await Promise.all([
      this.deps.db.teamMember.findMany({ where: { userId: user.id }, select: { teamId: true } }),
      this.deps.db.deviceGroupMember.findMany({ where: { deviceId: device.id }, select: { groupId: true } }),
    ]);
    return {
      actor: { userId: user.id, role: user.role, teamIds: teams.map((t) => t.teamId) },
      target: { vendor: device.vendor, groupIds: groups.map((g) => g.groupId) },
    };
  }

  /** The decision on a line (lines: several readings of it, the strictest wins). */
  async judge(
    user: PolicyUser,
    device: PolicyDevice,
    lines: string[],
    mode: CliMode | null,
  ): Promise<Decision> {
    const { actor, target } = await this.scopeOf(user, device);
    return decideAll(this.compiled, lines, actor, target, mode);
  }

  /**
   * Whether lines of this user on this device need judging at all. Teams and groups are taken as any
   * (they may change while a session is open): a rule scoped to one makes lines judged, and the
   * judgement itself reads them fresh.
   */
  mayRestrict(user: PolicyUser, device: PolicyDevice): boolean {
    // every team and group any rule names, gathered once per set of rules (read at every keystroke)
    this.anyScope ??= {
      teamIds: [...new Set(this.compiled.flatMap((r) => r.teamIds))],
      groupIds: [...new Set(this.compiled.flatMap((r) => r.groupIds))],
    };
    return mayRestrict(
      this.compiled,
      { userId: user.id, role: user.role, teamIds: this.anyScope.teamIds },
      { vendor: device.vendor, groupIds: this.anyScope.groupIds },
    );
  }

  /**
   * Every command of a task (or an API call) on every device, judged in the mode each will run in
   * (predicted from the commands before it): what is refused, what needs confirming, what needs
   * approval. Two queries whatever the number of devices.
   */
  async judgeCommands(
    user: PolicyUser,
    devices: readonly (PolicyDevice & { commands: readonly string[] })[],
  ): Promise<CommandVerdicts> {
    const teams = await this.deps.db.teamMember.findMany({
      where: { userId: user.id },
      select: { teamId: true },
    });
    const actor: PolicyActor = { userId: user.id, role: user.role, teamIds: teams.map((t) => t.teamId) };
    const groupsOf = new Map<string, string[]>();
    const ids = devices.map((d) => d.id);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.deps.db.deviceGroupMember.findMany({
        where: { deviceId: { in: ids.slice(i, i + 500) } },
        select: { deviceId: true, groupId: true },
      });
      for (const r of rows) groupsOf.set(r.deviceId, [...(groupsOf.get(r.deviceId) ?? []), r.groupId]);
    }
    const verdicts: CommandVerdicts = { deny: [], confirm: [], approve: [] };
    // Devices alike (vendor, groups, commands) get the same decisions: each kind is judged once, so
    // a task on 500 switches of one model judges its commands once, not 500 times (it did, twice per
    // task: at creation and when it starts, 10 to 40 ms each before the first device could start).
    const judged = new Map<string, (Decision | null)[]>();
    for (const d of devices) {
      const groupIds = groupsOf.get(d.id) ?? [];
      // the groups' order means nothing to a rule (it asks whether they overlap): sorted for the key
      const kind = JSON.stringify([d.vendor, [...groupIds].sort(), d.commands]);
      let decisions = judged.get(kind);
      if (!decisions) {
        const target: PolicyTarget = { vendor: d.vendor, groupIds };
        const modes = predictModes(d.vendor, [...d.commands]);
        decisions = d.commands.map((command, i) => {
          const decision = decideAll(this.compiled, [command], actor, target, modes[i] ?? null);
          return decision.action === 'allow' ? null : decision;
        });
        judged.set(kind, decisions);
      }
      decisions.forEach((decision, i) => {
        if (decision && decision.action !== 'allow')
          verdicts[decision.action].push({ device: d, command: d.commands[i]!, decision });
      });
    }
    return verdicts;
  }

  /** Audit a refusal of commands outside a terminal (a task, the API). */
  async refused(
    userId: string,
    device: PolicyDevice,
    command: string,
    decision: Decision,
    where: string,
  ): Promise<void> {
    await this.record(null, device, { decision, line: command, outcome: 'denied', by: userId }, where);
  }

  /** The guard of one terminal session. */
  guardFor(user: PolicyUser, device: PolicyDevice): SessionGuard {
    const mayRestrict = () => this.mayRestrict(user, device);
    return {
      get active() {
        return mayRestrict();
      },
      judge: async (candidates, mode, by) => {
        const own = await this.judge(user, device, candidates, mode);
        if (!by || by === user.id) return own;
        // a pairing guest types: the rules that hold them apply as well as the owner's
        const guest = await this.deps.db.user.findUnique({
          where: { id: by },
          select: { role: true, username: true },
        });
        const role = guest && isRole(guest.role) ? guest.role : 'viewer';
        const theirs = await this.judge(
          { id: by, role, name: guest?.username ?? by },
          device,
          candidates,
          mode,
        );
        return stricter(own, theirs);
      },
      decided: (session, entry) => void this.record(session, device, entry),
      approval: async (session, request, signal) => {
        const name =
          request.by === user.id
            ? user.name
            : ((await this.deps.db.user.findUnique({ where: { id: request.by }, select: { username: true } }))
                ?.username ?? request.by);
        return requestApproval(
          this.deps,
          {
            requester: { id: request.by, name },
            device,
            command: request.line,
            decision: request.decision,
            sessionId: session.id,
          },
          signal,
          this.approvalTimeoutMs,
        );
      },
    };
  }

  /** Audit a decision other than a plain allow and, when its rule says so, tell the admins. */
  private async record(
    session: TerminalSession | null,
    device: PolicyDevice,
    entry: Parameters<SessionGuard['decided']>[1],
    where = '',
  ): Promise<void> {
    const { decision } = entry;
    const rule = decision.rule ? `rule «${decision.rule.name}»` : 'no rule (the default)';
    const mode = decision.mode ? `, ${modeLabel(device.vendor, decision.mode)}` : '';
    await this.deps.audit({
      userId: entry.by,
      action: `guard.${entry.outcome}`,
      target: device.name,
      detail: `${entry.line} — ${decision.action} by ${rule}${mode}${entry.approver ? `, approved by ${entry.approver}` : ''}${session ? ` (session ${session.id.slice(0, 8)})` : where ? ` (${where})` : ''}`,
    });
    if (!decision.rule?.notify || !this.deps.feed) return;
    try {
      const admins = await this.deps.db.user.findMany({
        where: { role: 'admin', disabled: false },
        select: { id: true },
      });
      await this.deps.feed.notify(
        admins.map((a) => a.id),
        {
          kind: 'command_guarded',
          title: `${entry.outcome.replace('_', ' ')}: ${entry.line.slice(0, 80)} on ${device.name}`,
          body: decision.reason,
          params: {
            device: device.name,
            command: entry.line.slice(0, 200),
            outcome: entry.outcome,
            rule: decision.rule.name,
          },
          link: '/admin/audit',
        },
      );
    } catch (err) {
      this.deps.log?.warn({ err }, 'guard-rail notification failed');
    }
  }
}

function builtinData(b: (typeof BUILTIN_RULES)[number]) {
  return {
    name: b.name,
    enabled: true,
    matchKind: b.matchKind,
    patterns: b.patterns.join('\n'),
    action: b.action,
    notify: b.notify,
    vendors: csv(b.vendors),
    groupIds: '',
    userIds: '',
    teamIds: '',
    roles: csv(b.roles),
    modes: csv(b.modes),
    builtin: b.builtin,
  };
}

function describeRule(r: PolicyRule): string {
  const scope = [
    r.vendors.length ? `vendors ${r.vendors.join(', ')}` : '',
    r.roles.length ? `roles ${r.roles.join(', ')}` : '',
    r.groupIds.length ? `${r.groupIds.length} groups` : '',
    r.teamIds.length ? `${r.teamIds.length} teams` : '',
    r.userIds.length ? `${r.userIds.length} users` : '',
    r.modes.length ? `modes ${r.modes.join(', ')}` : '',
  ].filter(Boolean);
  return `${r.action}${r.enabled ? '' : ' (disabled)'}: ${r.patterns.join(' | ').slice(0, 300)}${scope.length ? ` — ${scope.join('; ')}` : ''}`;
}

function invalid(error: z.ZodError): PolicyResult<never> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    fields[key] ??= issue.message;
  }
  return { ok: false, code: 'invalid', error: Object.values(fields)[0] ?? 'Invalid rule.', fields };
}
