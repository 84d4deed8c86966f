import { canObserveDevice } from '../auth/session-permissions';
import type { Role } from '../auth/roles';
import type { PrismaClient } from '../db/generated/client';
import type { SessionEntry } from '../realtime/relay';
import type { TerminalManager } from './manager';
import type { TerminalSession } from './session';

/** An open terminal session as the live sessions page shows it. */
export interface LiveSession {
  id: string;
  userId: string;
  username: string;
  deviceId: string;
  deviceName: string;
  node: string;
  since: Date;
  lastActive: Date;
  observers: { name: string; since: Date }[];
  /** The viewer's own session (open it in the terminal) rather than one they may watch. */
  own: boolean;
}

interface Deps {
  db: PrismaClient;
  terminals: TerminalManager;
  nodes: { self: string };
  /** Cluster: the sessions of the other nodes (lib/realtime/relay.ts). */
  relay?: {
    remoteSessions(): Promise<SessionEntry[]>;
    remoteSession(id: string): Promise<SessionEntry | null>;
  };
}

/** A session of this node as the cluster's directory keeps it. */
export function sessionEntry(s: TerminalSession, node: string): SessionEntry {
  return {
    id: s.id,
    node,
    userId: s.userId,
    deviceId: s.deviceId,
    deviceName: s.deviceName,
    since: s.openedAt,
    lastActive: s.lastActive,
    observers: s.observerList().map((o) => ({ name: o.name, since: o.since })),
    guests: s.guestList().map((g) => g.userId),
  };
}

type Viewer = { id: string; role: Role };

/**
 * Whether the viewer may see (and watch) this session: their own, one they are invited to (pairing),
 * or one on a device they may observe.
 */
async function visible(
  deps: Deps,
  viewer: Viewer,
  s: SessionEntry,
  observable: Map<string, Promise<boolean>>,
) {
  if (s.userId === viewer.id || s.guests.includes(viewer.id)) return true;
  let may = observable.get(s.deviceId);
  if (!may) observable.set(s.deviceId, (may = canObserveDevice(deps.db, viewer, s.deviceId)));
  return may;
}

async function describe(deps: Deps, viewer: Viewer, sessions: SessionEntry[]): Promise<LiveSession[]> {
  const users = await deps.db.user.findMany({
    where: { id: { in: [...new Set(sessions.map((s) => s.userId))] } },
    select: { id: true, username: true },
  });
  const names = new Map(users.map((u) => [u.id, u.username]));
  return sessions.map((s) => ({
    id: s.id,
    userId: s.userId,
    username: names.get(s.userId) ?? '—',
    deviceId: s.deviceId,
    deviceName: s.deviceName,
    node: s.node,
    since: new Date(s.since),
    lastActive: new Date(s.lastActive),
    observers: s.observers.map((o) => ({ name: o.name, since: new Date(o.since) })),
    own: s.userId === viewer.id,
  }));
}

/**
 * Every open session of the cluster: this node's as they are now, the other nodes' as their nodes
 * last wrote them (every few seconds). A node that cannot reach Redis lists its own.
 */
async function allSessions(deps: Deps): Promise<SessionEntry[]> {
  const here = deps.terminals.list().map((s) => sessionEntry(s, deps.nodes.self));
  const remote = deps.relay ? await deps.relay.remoteSessions().catch(() => []) : [];
  const seen = new Set(here.map((s) => s.id));
  return [...here, ...remote.filter((s) => !seen.has(s.id))];
}

/** The open sessions of the cluster the viewer may see, longest open first. */
export async function liveSessionsFor(viewer: Viewer, deps: Deps): Promise<LiveSession[]> {
  const observable = new Map<string, Promise<boolean>>();
  const all = await allSessions(deps);
  const shown = await Promise.all(all.map((s) => visible(deps, viewer, s, observable)));
  const mine = all.filter((_, i) => shown[i]).sort((a, b) => a.since - b.since);
  return describe(deps, viewer, mine);
}

/** One open session, if the viewer may see it (else null, whether it exists or not). */
export async function liveSessionFor(id: string, viewer: Viewer, deps: Deps): Promise<LiveSession | null> {
  const local = deps.terminals.get(id);
  const s = local
    ? sessionEntry(local, deps.nodes.self)
    : ((await deps.relay?.remoteSession(id).catch(() => null)) ?? null);
  if (!s || !(await visible(deps, viewer, s, new Map()))) return null;
  return (await describe(deps, viewer, [s]))[0] ?? null;
}
