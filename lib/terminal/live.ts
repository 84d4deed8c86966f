import { canObserveDevice } from '../auth/session-permissions';
import type { Role } from '../auth/roles';
import type { PrismaClient } from '../db/generated/client';
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
}

type Viewer = { id: string; role: Role };

/**
 * Whether the viewer may see (and watch) this session: their own, one they are invited to (pairing),
 * or one on a device they may observe.
 */
async function visible(
  deps: Deps,
  viewer: Viewer,
  s: TerminalSession,
  observable: Map<string, Promise<boolean>>,
) {
  if (s.userId === viewer.id || s.isGuest(viewer.id)) return true;
  let may = observable.get(s.deviceId);
  if (!may) observable.set(s.deviceId, (may = canObserveDevice(deps.db, viewer, s.deviceId)));
  return may;
}

async function describe(deps: Deps, viewer: Viewer, sessions: TerminalSession[]): Promise<LiveSession[]> {
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
    node: deps.nodes.self,
    since: new Date(s.openedAt),
    lastActive: new Date(s.lastActive),
    observers: s.observerList().map((o) => ({ name: o.name, since: new Date(o.since) })),
    own: s.userId === viewer.id,
  }));
}

/**
 * The open sessions of this node the viewer may see, longest open first. (A cluster's other nodes
 * keep their own sessions until sessions are relayed between nodes: each node lists its own.)
 */
export async function liveSessionsFor(viewer: Viewer, deps: Deps): Promise<LiveSession[]> {
  const observable = new Map<string, Promise<boolean>>();
  const all = deps.terminals.list();
  const shown = await Promise.all(all.map((s) => visible(deps, viewer, s, observable)));
  const mine = all.filter((_, i) => shown[i]).sort((a, b) => a.openedAt - b.openedAt);
  return describe(deps, viewer, mine);
}

/** One open session, if the viewer may see it (else null, whether it exists or not). */
export async function liveSessionFor(id: string, viewer: Viewer, deps: Deps): Promise<LiveSession | null> {
  const s = deps.terminals.get(id);
  if (!s || !(await visible(deps, viewer, s, new Map()))) return null;
  return (await describe(deps, viewer, [s]))[0] ?? null;
}
