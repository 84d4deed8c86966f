import type { RevocationScope } from '../../events/types';
import type { TerminalManager } from '../../terminal/manager';
import type { ScreenPort, TerminalSession } from '../../terminal/session';
import type { AuditSink } from '../../terminal/manager';
import type { ChannelHandler, Connection, Revocation } from '../connections';
import { MSG } from '../protocol';
import { OBSERVE_MSG, observeClientMessage, type ObserveClientMessage } from '../protocol-observe';
import type { RelayLink, SocketRelay } from '../relay';
import type { Identity } from '../upgrade';

/** The socket closes with this code when the watched session ends or access is revoked. */
const WS_CLOSE_NORMAL = 1000;
const WS_CLOSE_POLICY = 1008;

export interface ObserveChannelDeps {
  manager: TerminalManager;
  /**
   * Whether this user, as they are now (current role, not disabled), may watch other people's sessions
   * on the device (lib/auth/session-permissions.ts).
   */
  canObserve(userId: string, deviceId: string): Promise<boolean>;
  /** The owner's user name, for the observer's header and the audit trail. */
  usernameOf(userId: string): Promise<string>;
  audit: AuditSink;
  /** Cluster: a session held by another node is watched from there (lib/realtime/relay.ts). */
  relay?: Pick<SocketRelay, 'locate' | 'open'>;
}

interface Watch {
  conn: Connection;
  session: TerminalSession;
  port: ScreenPort;
  since: number;
}

/** The observer's port: the same output frames as the owner's, plus the whole screen and resizes. */
function observerPort(conn: Connection): ScreenPort {
  return {
    output: (data, onWritten) => conn.send({ type: MSG.output, data }, onWritten),
    screen: (data, cols, rows) => conn.send({ type: OBSERVE_MSG.screen, data, cols, rows }),
    resized: (cols, rows) => conn.send({ type: OBSERVE_MSG.resized, cols, rows }),
    control: (yours) => conn.send({ type: OBSERVE_MSG.control, yours }),
    closed: (reason) => {
      conn.send({ type: MSG.terminalClosed, reason });
      conn.close(WS_CLOSE_NORMAL, 'The session ended.');
    },
    notice: () => {},
    bufferedAmount: () => conn.bufferedAmount(),
  };
}

/**
 * /ws/observe/:sessionId — watch a live terminal session read-only: admins, users whose team holds
 * `observe` on the device's group, and the owner (from another window). Observers never type; an
 * admin may end the session with a reason the owner sees. Joining, leaving and ending are audited.
 */
export function observeChannel(deps: ObserveChannelDeps): ChannelHandler<ObserveClientMessage> & {
  /** Access may have changed (a team lost `observe`): close the watches that no longer hold. */
  recheck(userIds?: readonly string[]): Promise<number>;
  revokeUser(userId: string, scope: RevocationScope, reason: string): void;
} {
  const watches = new Map<string, Watch>();
  /** Sockets watching a session on another node: that node serves them (and checks their access). */
  const relayed = new Map<string, RelayLink>();
  const sessionOf = (conn: Connection) =>
    conn.route.channel === 'observe' ? deps.manager.get(conn.route.sessionId) : null;

  async function allowed(identity: Identity, session: TerminalSession): Promise<boolean> {
    return (
      identity.userId === session.userId ||
      session.isGuest(identity.userId) ||
      (await deps.canObserve(identity.userId, session.deviceId))
    );
  }

  /** Close the watch (onClose leaves the session and audits it). */
  function stop(conn: Connection, reason: string): void {
    conn.send({ type: MSG.terminalClosed, reason });
    conn.close(WS_CLOSE_POLICY, reason);
  }

  async function recheck(userIds?: readonly string[]): Promise<number> {
    const checked = [...watches.values()].filter((w) => !userIds || userIds.includes(w.conn.identity.userId));
    let closed = 0;
    await Promise.all(
      checked.map(async (w) => {
        if (await allowed(w.conn.identity, w.session)) return;
        stop(w.conn, 'Your permission to observe this session was removed.');
        closed++;
      }),
    );
    return closed;
  }

  return {
    channel: 'observe',
    inbound: observeClientMessage,
    inboundTypes: observeClientMessage.options.map((o) => o.shape.type.value),
    recheck,

    async authorise(identity, route) {
      const session = route.channel === 'observe' ? deps.manager.get(route.sessionId) : null;
      // held by a live node elsewhere: that node answers (the same checks, after the handshake)
      if (!session && route.channel === 'observe' && deps.relay) {
        const where = await deps.relay.locate(route.sessionId).catch(() => null);
        if (where?.kind === 'remote') return { ok: true };
      }
      // one answer for "ended" and "not yours to see": ids are not probed
      if (!session) return { ok: false, status: 404, message: 'No such live session.' };
      if (!(await allowed(identity, session)))
        return { ok: false, status: 404, message: 'No such live session.' };
      return { ok: true };
    },

    async onOpen(conn) {
      const session = sessionOf(conn);
      if (!session && deps.relay && conn.route.channel === 'observe') {
        const where = await deps.relay.locate(conn.route.sessionId).catch(() => null);
        if (where?.kind === 'remote') {
          const link = deps.relay.open(conn, where.node, null, (node) => {
            relayed.delete(conn.id);
            stop(conn, `The node holding this session (${node}) stopped, and the session with it.`);
          });
          relayed.set(conn.id, link);
          return;
        }
      }
      if (!session) return stop(conn, 'The session has ended.');
      const port = observerPort(conn);
      const owner = await deps.usernameOf(session.userId);
      if (session.isClosed || conn.route.channel !== 'observe') return stop(conn, 'The session has ended.');
      watches.set(conn.id, { conn, session, port, since: Date.now() });
      conn.send({
        type: OBSERVE_MSG.started,
        session_id: session.id,
        device_id: session.deviceId,
        device: session.deviceName,
        owner,
        ...session.size,
        can_end: conn.identity.role === 'admin',
      });
      void deps.audit({
        userId: conn.identity.userId,
        action: 'terminal.observe',
        target: session.deviceName,
        detail: `session ${session.id.slice(0, 8)} of ${owner}`,
      });
      await session.observe(port, { userId: conn.identity.userId, name: conn.identity.username });
    },

    async onMessage(conn, msg) {
      const link = relayed.get(conn.id);
      if (link) return link.forward(msg);
      switch (msg.type) {
        case 'ping':
          return conn.send({ type: MSG.pong, ts: msg.ts });
        case 'input': {
          // a pairing guest's keys, while the owner has handed them the keyboard
          const w = watches.get(conn.id);
          const r = w
            ? w.session.input(msg.data, conn.identity.userId)
            : { ok: false as const, error: 'This socket watches no session.' };
          if (!r.ok) conn.sendError('not_in_control', r.error);
          return;
        }
        case 'end': {
          const w = watches.get(conn.id);
          if (!w) return conn.sendError('not_allowed', 'This socket watches no session.');
          if (conn.identity.role !== 'admin')
            return conn.sendError('not_allowed', 'Only an admin can end someone else’s session.');
          await deps.manager.end(
            w.session.id,
            { userId: conn.identity.userId, name: conn.identity.username },
            msg.reason,
          );
          return;
        }
      }
    },

    async verify(conns) {
      // what no longer holds is closed here: a revocation scope names devices, and would close the
      // user's own terminals on them too
      const gone = await Promise.all(
        conns.map(async (conn) => {
          const w = watches.get(conn.id);
          return w && !(await allowed(conn.identity, w.session)) ? conn : null;
        }),
      );
      for (const conn of gone) if (conn) stop(conn, 'Your permission to observe this session was removed.');
      return [] as Revocation[];
    },

    revokeUser(userId: string, scope: RevocationScope, reason: string) {
      for (const w of [...watches.values()]) {
        if (w.conn.identity.userId !== userId) continue;
        const covered =
          scope === 'all' ||
          ('tokenId' in scope
            ? w.conn.identity.tokenId === scope.tokenId
            : scope.deviceIds.includes(w.session.deviceId));
        if (!covered) continue;
        w.session.uninvite(userId);
        stop(w.conn, reason);
      }
      // a narrower change (a device left a group) may still have taken `observe` away
      void recheck([userId]);
    },

    onClose(conn) {
      relayed.get(conn.id)?.detach();
      relayed.delete(conn.id);
      const w = watches.get(conn.id);
      if (!w) return;
      watches.delete(conn.id);
      w.session.unobserve(w.port);
      void deps.audit({
        userId: conn.identity.userId,
        action: 'terminal.observe_end',
        target: w.session.deviceName,
        detail: `session ${w.session.id.slice(0, 8)} after ${Math.round((Date.now() - w.since) / 1000)} s`,
      });
    },
  };
}
