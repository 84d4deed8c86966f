import { randomUUID } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { atLeast } from '../../auth/roles';
import type { DeviceLoginRequest } from '../../devices/connect';
import { ASK_USER_TIMEOUT_MS } from '../../devices/ssh';
import type { TerminalManager } from '../../terminal/manager';
import type { TerminalOutput } from '../../terminal/output';
import type { TerminalSession } from '../../terminal/session';
import {
  compressOutput,
  OUTPUT_UNCOMPRESSED,
  type ChannelHandler,
  type Connection,
  type Revocation,
} from '../connections';
import {
  encodeOutputFrame,
  ERROR_CODES,
  MSG,
  terminalClientMessage,
  type TerminalClientMessage,
} from '../protocol';
import { OBSERVE_MSG } from '../protocol-observe';
import type { RelayLink, SocketRelay } from '../relay';
import type { Identity } from '../upgrade';

export const DEFAULT_COLS = 80;
export const DEFAULT_ROWS = 24;

export interface TerminalChannelDeps {
  manager: TerminalManager;
  /** The user's level on the device (lib/devices/visibility.ts), null when it is not theirs to see. */
  deviceLevel(identity: Identity, deviceId: string): Promise<'view' | 'operate' | null>;
  /** Pairing: a teammate by user name (active accounts only). */
  findUser?(username: string): Promise<{ id: string; username: string; role: Identity['role'] } | null>;
  /** Cluster: a session held by another node is served from there (lib/realtime/relay.ts). */
  relay?: Pick<SocketRelay, 'locate' | 'open'>;
}

/** What the tab shows when the node holding its session is gone. */
export function ownerGoneReason(node: string): string {
  return `The node holding this session (${node}) stopped, and the session with it. Reconnect to open a new session.`;
}

/** Output for a reader whose link is behind: level 1, the session's speed comes first. */
const deflate = (utf8: Uint8Array) => deflateRawSync(utf8, { level: 1 });

/**
 * The session's output port for one browser socket: every terminal output frame is built here, binary
 * or JSON as the socket asked (protocol.ts), compressed only while the reader's link is behind.
 */
function socketOutput(conn: Connection): TerminalOutput {
  const binary = conn.outputFraming === 'binary';
  let compression = OUTPUT_UNCOMPRESSED;
  return {
    output: (data, onWritten) => {
      const decision = compressOutput(compression, data.length, conn.bufferedAmount(), Date.now());
      compression = decision.state;
      // a binary socket has no permessage-deflate: its frames are compressed here, when they are
      if (binary) {
        conn.sendFrame(encodeOutputFrame(data, decision.compress ? deflate : undefined), false, onWritten);
      } else conn.sendFrame(JSON.stringify({ type: MSG.output, data }), decision.compress, onWritten);
    },
    closed: (reason) => conn.send({ type: MSG.terminalClosed, reason }),
    notice: (message) => conn.send({ type: MSG.terminalNotice, message }),
    inputFlow: (paused) => conn.send({ type: MSG.inputFlow, paused }),
    bufferedAmount: () => conn.bufferedAmount(),
    guests: (list) =>
      conn.send({
        type: OBSERVE_MSG.guests,
        guests: list.map((g) => ({ name: g.name, control: g.control })),
      }),
    observers: (list) =>
      conn.send({
        type: OBSERVE_MSG.observers,
        observers: list.map((o) => ({ name: o.name, since: new Date(o.since).toISOString() })),
      }),
  };
}

/**
 * /ws/terminal/:deviceId — operators and admins granted the device. One socket drives at most one
 * session; the session outlives the socket for the resume grace period.
 */
export function terminalChannel(deps: TerminalChannelDeps): ChannelHandler<TerminalClientMessage> {
  const bound = new Map<string, { session: TerminalSession; port: TerminalOutput }>();
  const connecting = new Set<string>();
  /** Sockets whose session is on another node: their messages go there. */
  const relayed = new Map<string, RelayLink>();
  /** Sockets that closed while their session was still being opened. */
  const gone = new Set<string>();
  /** A login question waiting for the person on this socket (one at a time). */
  const asking = new Map<string, { id: string; answer: (answers: string[] | null) => void }>();

  /** Ask the person on this socket a login question; null when they decline, leave or time out. */
  function askOver(conn: Connection): NonNullable<DeviceLoginRequest['askUser']> {
    return (prompts, instructions) =>
      new Promise((resolve) => {
        const id = randomUUID();
        const timer = setTimeout(() => answer(null), ASK_USER_TIMEOUT_MS);
        const answer = (answers: string[] | null) => {
          clearTimeout(timer);
          if (asking.get(conn.id)?.id === id) asking.delete(conn.id);
          resolve(answers);
        };
        asking.get(conn.id)?.answer(null);
        asking.set(conn.id, { id, answer });
        conn.send({ type: MSG.loginPrompt, id, instructions, prompts, timeout_ms: ASK_USER_TIMEOUT_MS });
      });
  }

  const deviceOf = (conn: Connection) => (conn.route.channel === 'terminal' ? conn.route.deviceId : '');

  function bind(conn: Connection, session: TerminalSession, resumed: boolean) {
    const port = socketOutput(conn);
    bound.set(conn.id, { session, port });
    conn.send({
      type: MSG.terminalConnected,
      device_id: session.deviceId,
      session_id: session.id,
      resumed,
      encoding: session.currentEncoding,
      read_only: session.readOnly,
      message: resumed
        ? `Reattached to ${session.deviceName}.`
        : `Connected to ${session.deviceName}${session.readOnly ? ' (read-only: display and show commands)' : ''}.`,
    });
    session
      .attach(port)
      .catch((err: unknown) => conn.sendError(ERROR_CODES.internal, (err as Error).message));
  }

  async function connect(conn: Connection, msg: Extract<TerminalClientMessage, { type: 'connect' }>) {
    if (bound.has(conn.id) || connecting.has(conn.id) || relayed.has(conn.id)) {
      return conn.sendError(ERROR_CODES.notAllowed, 'This socket already has a session.');
    }
    const deviceId = deviceOf(conn);
    if (msg.session_id) {
      const existing = deps.manager.find(msg.session_id, conn.identity.userId, deviceId);
      if (!existing && deps.relay) {
        connecting.add(conn.id);
        try {
          const where = await deps.relay.locate(msg.session_id);
          if (gone.has(conn.id)) return;
          if (where.kind === 'gone')
            return conn.send({ type: MSG.terminalClosed, reason: ownerGoneReason(where.node) });
          if (where.kind === 'remote') {
            // the owner checks that the session is this user's on this device, as find() does here
            const link = deps.relay.open(conn, where.node, msg, (node) => {
              relayed.delete(conn.id);
              conn.send({ type: MSG.terminalClosed, reason: ownerGoneReason(node) });
            });
            relayed.set(conn.id, link);
            return;
          }
        } catch {
          return conn.send({
            type: MSG.terminalError,
            code: 'cluster_unavailable',
            error: 'The cluster cannot be reached right now to find that session. Try again in a moment.',
          });
        } finally {
          connecting.delete(conn.id);
          gone.delete(conn.id);
        }
      }
      if (!existing) {
        return conn.send({
          type: MSG.terminalError,
          code: 'session_expired',
          error: 'That session has ended (or is not yours). Open a new one.',
        });
      }
      // the window that reattaches may be smaller or larger than the one that left
      if (msg.cols && msg.rows) existing.resize(msg.cols, msg.rows);
      return bind(conn, existing, true);
    }
    connecting.add(conn.id);
    try {
      // a viewer, or a view-only grant: a read-only terminal (the guard rails' read-only rules)
      // (no access at all: the login refuses it in its own words)
      const level = await deps.deviceLevel(conn.identity, deviceId);
      const readOnly = !atLeast(conn.identity.role, 'operator') || level !== 'operate';
      const result = await deps.manager.open(
        conn.identity.userId,
        deviceId,
        { cols: msg.cols ?? DEFAULT_COLS, rows: msg.rows ?? DEFAULT_ROWS },
        { askUser: askOver(conn), readOnly, locale: conn.identity.locale },
      );
      if (!result.ok) return conn.send({ type: MSG.terminalError, code: result.code, error: result.error });
      if (gone.delete(conn.id)) return result.session.close('The browser left before the session opened.');
      bind(conn, result.session, false);
    } finally {
      connecting.delete(conn.id);
      gone.delete(conn.id);
    }
  }

  /**
   * Pairing, asked by the session's owner: invite a teammate who may see the device (they watch), hand
   * the keyboard to one who may operate it, take it back, withdraw an invitation. Audited.
   */
  async function pairing(
    conn: Connection,
    s: TerminalSession,
    msg: Extract<TerminalClientMessage, { type: 'invite' | 'uninvite' | 'hand_over' }>,
  ) {
    const refuse = (error: string) => conn.send({ type: MSG.terminalError, code: 'pairing_refused', error });
    if (msg.type === 'hand_over' && msg.username === null) {
      s.handOver(null);
      return audit(conn, s, 'terminal.control', 'taken back by the owner');
    }
    const name = msg.username;
    const user = name === null ? null : await deps.findUser?.(name);
    // one answer for "no such user" and "may not see the device": accounts are not probed
    const level = user
      ? await deps.deviceLevel({ userId: user.id, username: user.username, role: user.role }, s.deviceId)
      : null;
    if (!user || user.id === conn.identity.userId || level === null) {
      return refuse(`${name} cannot be invited: no such user may see ${s.deviceName}.`);
    }
    if (msg.type === 'invite') {
      s.invite(user.id, user.username);
      return audit(conn, s, 'terminal.invite', user.username);
    }
    if (msg.type === 'uninvite') {
      s.uninvite(user.id);
      return audit(conn, s, 'terminal.uninvite', user.username);
    }
    if (!s.isGuest(user.id)) return refuse(`Invite ${user.username} first.`);
    if (level !== 'operate')
      return refuse(`${user.username} may only view ${s.deviceName}: they cannot be handed the keyboard.`);
    s.handOver(user.id);
    return audit(conn, s, 'terminal.control', `handed to ${user.username}`);
  }

  function audit(conn: Connection, s: TerminalSession, action: string, what: string) {
    void deps.manager.audit({
      userId: conn.identity.userId,
      action,
      target: s.deviceName,
      detail: `session ${s.id.slice(0, 8)}: ${what}`,
    });
  }

  function sessionOf(conn: Connection): TerminalSession | null {
    const s = bound.get(conn.id)?.session;
    if (!s || s.isClosed) {
      conn.send({
        type: MSG.terminalError,
        code: 'no_session',
        error: 'No open session on this socket: send "connect" first.',
      });
      return null;
    }
    return s;
  }

  return {
    channel: 'terminal',
    inbound: terminalClientMessage,
    inboundTypes: terminalClientMessage.options.map((o) => o.shape.type.value),

    async authorise(identity, route) {
      if (identity.tokenScope === 'read') {
        return { ok: false, status: 403, message: 'A read-only token cannot open terminals.' };
      }
      // whoever may see the device may open a terminal; below operate it is read-only (connect)
      const level = route.channel === 'terminal' ? await deps.deviceLevel(identity, route.deviceId) : null;
      if (level === null) return { ok: false, status: 404, message: 'No such device.' };
      return { ok: true };
    },

    async onMessage(conn, msg) {
      const link = relayed.get(conn.id);
      if (link) return link.forward(msg);
      switch (msg.type) {
        case 'connect':
          return connect(conn, msg);
        case 'input': {
          const s = sessionOf(conn);
          if (!s) return;
          const r = s.input(msg.data);
          if (!r.ok) conn.send({ type: MSG.terminalError, code: 'busy', error: r.error });
          return;
        }
        case 'resize':
          return sessionOf(conn)?.resize(msg.cols, msg.rows);
        case 'set_encoding': {
          const s = sessionOf(conn);
          if (!s) return;
          s.setEncoding(msg.encoding);
          conn.send({ type: MSG.encoding, encoding: s.currentEncoding });
          return;
        }
        case 'command': {
          const s = sessionOf(conn);
          if (!s) return;
          conn.send({ type: MSG.commandStart, command: msg.command });
          try {
            const r = await s.runCommand(msg.command);
            conn.send({ type: MSG.commandOutput, command: msg.command, output: r.output, status: r.status });
          } catch (err) {
            conn.send({
              type: MSG.commandOutput,
              command: msg.command,
              output: (err as Error).message,
              status: 'error',
            });
          }
          return;
        }
        case 'get_history': {
          const s = sessionOf(conn);
          if (s)
            conn.send({
              type: MSG.commandHistory,
              history: s.getHistory(),
              ...(msg.with_results ? { results: s.getResults() } : {}),
            });
          return;
        }
        case 'login_answer': {
          const q = asking.get(conn.id);
          if (q?.id === msg.id) q.answer(msg.answers);
          else
            conn.send({
              type: MSG.terminalError,
              code: 'no_question',
              error: 'No login question is waiting.',
            });
          return;
        }
        case 'invite':
        case 'uninvite':
        case 'hand_over': {
          const s = sessionOf(conn);
          if (s) await pairing(conn, s, msg);
          return;
        }
        case 'ping':
          return conn.send({ type: MSG.pong, ts: msg.ts });
        case 'flow': {
          // no session yet (or any more): nothing to hold
          const b = bound.get(conn.id);
          b?.session.readerFlow(b.port, msg.paused);
          return;
        }
        case 'close': {
          const s = bound.get(conn.id)?.session;
          bound.delete(conn.id);
          if (s) s.close('Closed by the user.');
          else conn.send({ type: MSG.terminalClosed, reason: 'No session was open.' });
          return;
        }
      }
    },

    async verify(conns) {
      // one answer per user and device, however many tabs share it
      const levels = new Map<string, Promise<'view' | 'operate' | null>>();
      const lost = new Map<string, Map<string, string | null>>();
      await Promise.all(
        conns.map(async (conn) => {
          const deviceId = deviceOf(conn);
          const key = `${conn.identity.userId}\n${deviceId}`;
          let level = levels.get(key);
          if (!level) levels.set(key, (level = deps.deviceLevel(conn.identity, deviceId)));
          const now = await level;
          // a read-only session needs the device visible; any other one needs it operable
          const session = bound.get(conn.id)?.session;
          if (now === 'operate' || (now === 'view' && (session?.readOnly ?? true))) return;
          let devices = lost.get(conn.identity.userId);
          if (!devices) lost.set(conn.identity.userId, (devices = new Map()));
          devices.set(deviceId, bound.get(conn.id)?.session.deviceName ?? devices.get(deviceId) ?? null);
        }),
      );
      // worded as the live revocation words it (lib/auth/access-change.ts)
      return [...lost].map(([userId, devices]): Revocation => {
        const [only] = devices.values();
        const reason =
          devices.size === 1
            ? `Your access to ${only ?? 'this device'} was removed.`
            : `Your access to ${devices.size} devices was removed.`;
        return { userId, scope: { deviceIds: [...devices.keys()] }, reason };
      });
    },

    revokeUser(userId, scope, reason) {
      deps.manager.revoke(userId, scope, reason);
    },

    revokeSocket(conn, reason) {
      bound.get(conn.id)?.session.close(reason);
    },

    onClose(conn) {
      relayed.get(conn.id)?.detach();
      relayed.delete(conn.id);
      asking.get(conn.id)?.answer(null);
      if (connecting.has(conn.id)) gone.add(conn.id);
      const b = bound.get(conn.id);
      bound.delete(conn.id);
      b?.session.detach(b.port);
    },
  };
}
