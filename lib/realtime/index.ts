import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { createProxyTrust, peerAddress, type ProxyTrust } from '../auth/peer';
import type { RevocationScope } from '../events/types';
import { accessVerdict, type AccountState, type TokenCheck } from './access';
import type { ChannelRoute } from './channels';
import { ConnectionManager, WS_CLOSE_POLICY, type ChannelHandler, type Revocation } from './connections';
import { MemorySlotStore, type SlotStore } from '../limits/slots';
import { LogRateLimit, WS_REFUSAL_LOG_INTERVAL_MS } from './log-limit';
import { authenticateUpgrade, rejectUpgrade, type Identity, type UpgradeOptions } from './upgrade';

/** How often sockets opened with an API token re-check it (revoked by the CLI, expired, owner disabled). */
export const WS_TOKEN_RECHECK_MS = 30_000;

export const WS_MAX_CONNECTIONS_PER_USER_DEFAULT = 50;
export const WS_MAX_CONNECTIONS_PER_ADDRESS_DEFAULT = 200;
/** Revocations remembered for upgrades still in flight (a bound, not a tunable). */
const RECENT_REVOCATIONS_MAX = 1000;

export interface Realtime {
  manager: ConnectionManager;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  /** Close a user's affected sockets now (access revoked); returns how many. */
  revoke(userId: string, scope: RevocationScope, reason: string): number;
  /**
   * Events may have been missed (the cluster bus' `onReconnect`): re-check every open socket's access
   * against the database, close what is no longer allowed as `access.revoked` would, and send the
   * others what changed (task progress, notifications, device status). Calls during a pass are
   * answered by one more pass after it. Rejects when the database cannot be read.
   */
  resync(): Promise<ResyncResult>;
  close(): Promise<void>;
}

export interface ResyncResult {
  /** Open sockets the pass looked at. */
  sockets: number;
  /** Of those, how many it closed (access lost). */
  closed: number;
}

export interface RealtimeOptions extends UpgradeOptions {
  log: Logger;
  maxFrameBytes: number;
  heartbeatMs: number;
  /** Open sockets one user may hold, every channel together (WS_MAX_CONNECTIONS_PER_USER). */
  maxConnectionsPerUser?: number;
  /** Open sockets one client address may hold on this node (WS_MAX_CONNECTIONS_PER_ADDRESS). */
  maxConnectionsPerAddress?: number;
  /**
   * Where each user's sockets are counted (`sockets:<userId>`): Redis in a cluster, so the per-user
   * cap holds across nodes; this node's memory by default. When the store cannot be reached the
   * upgrade goes on uncounted (a cap against runaway clients must not lock everyone out).
   */
  userSlots?: SlotStore;
  /** Which X-Forwarded-For hops to believe when telling client addresses apart (default: none). */
  proxyTrust?: ProxyTrust;
  /** The channel handlers (terminal, monitor, notifications), created by the runtime. */
  handlers?: ChannelHandler[];
  /** Whether an API token is still good (sockets opened with one are re-checked periodically). */
  checkToken?(tokenId: string): Promise<TokenCheck>;
  tokenRecheckMs?: number;
  /** Batched `findUser` for the resync (`accessLookups`, lib/realtime/access.ts); default: one by one. */
  findUsers?(ids: string[]): Promise<AccountState[]>;
  /** Batched `checkToken` for the resync, an answer for every id; default: one by one. */
  checkTokens?(ids: string[]): Promise<Map<string, TokenCheck>>;
}

/**
 * Whether a revocation reaches a socket: everything of the user, the terminals of some devices, or
 * the sockets one API token opened.
 */
export function revocationCovers(
  scope: RevocationScope,
  route: ChannelRoute,
  identity: Pick<Identity, 'tokenId'> = {},
): boolean {
  if (scope === 'all') return true;
  if ('tokenId' in scope) return identity.tokenId === scope.tokenId;
  return route.channel === 'terminal' && scope.deviceIds.includes(route.deviceId);
}

export function createRealtime(opts: RealtimeOptions): Realtime {
  const manager = new ConnectionManager({
    log: opts.log,
    maxFrameBytes: opts.maxFrameBytes,
    heartbeatMs: opts.heartbeatMs,
  });
  for (const h of opts.handlers ?? []) manager.register(h);
  /** Resync passes begun: an upgrade decided before one began is decided again before its handshake. */
  let resyncs = 0;
  const maxPerUser = opts.maxConnectionsPerUser ?? WS_MAX_CONNECTIONS_PER_USER_DEFAULT;
  const maxPerAddress = opts.maxConnectionsPerAddress ?? WS_MAX_CONNECTIONS_PER_ADDRESS_DEFAULT;
  const proxyTrust = opts.proxyTrust ?? createProxyTrust(false);
  const refusalLog = new LogRateLimit(WS_REFUSAL_LOG_INTERVAL_MS);
  const handlers = opts.handlers ?? [];
  const userSlots = opts.userSlots ?? new MemorySlotStore();

  // Upgrades between authentication and the handshake count against the caps too, so that a burst of
  // simultaneous upgrades cannot pass the check together.
  const pendingByAddress = new Map<string, number>();
  const bump = (m: Map<string, number>, key: string, by: number) => {
    const v = (m.get(key) ?? 0) + by;
    if (v > 0) m.set(key, v);
    else m.delete(key);
  };

  // A revocation that lands while an upgrade of that user is being authenticated must still stop it.
  let epoch = 0;
  let inFlight = 0;
  let recent: { epoch: number; userId: string; scope: RevocationScope }[] = [];

  function refuse(
    socket: Duplex,
    status: number,
    message: string,
    line: string,
    fields: Record<string, unknown>,
  ): void {
    const decision = refusalLog.take(`${line}|${status}|${message}`);
    if (decision.write)
      opts.log.info({ ...fields, status, reason: message, suppressed: decision.suppressed }, line);
    rejectUpgrade(socket, status, message);
  }

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const address = peerAddress(req, proxyTrust);
    if (manager.countAt(address) + (pendingByAddress.get(address) ?? 0) >= maxPerAddress) {
      return refuse(socket, 429, 'Too many connections from this address.', 'websocket upgrade refused', {
        url: req.url,
        address,
      });
    }
    const startEpoch = epoch;
    const startResyncs = resyncs;
    inFlight++;
    bump(pendingByAddress, address, 1);
    /** The user's socket slot, given back when the socket closes (or now, if it never opens). */
    let slot: { key: string; token: string } | null = null;
    let accepted = false;
    try {
      const decision = await authenticateUpgrade(req, opts);
      if (!decision.ok) {
        return refuse(socket, decision.status, decision.message, 'websocket upgrade refused', {
          url: req.url,
        });
      }
      const { route } = decision;
      let { identity } = decision;
      const key = `sockets:${identity.userId}`;
      let token: string | null | undefined;
      try {
        token = await userSlots.take(key, maxPerUser);
      } catch (err) {
        const logged = refusalLog.take('websocket cap unchecked');
        if (logged.write)
          opts.log.warn(
            { err, suppressed: logged.suppressed },
            'websocket cap unchecked: slot store unreachable',
          );
      }
      if (token === null) {
        return refuse(socket, 429, 'Too many connections for this user.', 'websocket upgrade refused', {
          url: req.url,
          userId: identity.userId,
        });
      }
      if (token) slot = { key, token };
      const handler = manager.handler(route.channel);
      if (!handler) return rejectUpgrade(socket, 404, 'No such channel.');
      const verdict = (await handler.authorise?.(identity, route)) ?? { ok: true };
      if (!verdict.ok) {
        return refuse(socket, verdict.status, verdict.message, 'websocket channel refused', {
          url: req.url,
          userId: identity.userId,
        });
      }
      // A resync that began meanwhile cannot see this socket, and what it corrects (an account
      // disabled, a grant removed while events were lost) may have been read before: read it again.
      for (let seen = startResyncs; seen !== resyncs;) {
        seen = resyncs;
        const again = await authenticateUpgrade(req, opts);
        const still: { ok: true } | { ok: false; status: number; message: string } = !again.ok
          ? again
          : again.identity.userId !== identity.userId
            ? { ok: false, status: 401, message: 'Session is no longer valid.' }
            : ((await handler.authorise?.(again.identity, again.route)) ?? { ok: true });
        if (!still.ok) {
          return refuse(socket, still.status, still.message, 'websocket upgrade refused', {
            url: req.url,
            userId: identity.userId,
          });
        }
        if (again.ok) identity = again.identity;
      }
      const revoked = recent.some(
        (r) =>
          r.epoch > startEpoch && r.userId === identity.userId && revocationCovers(r.scope, route, identity),
      );
      if (revoked) {
        return refuse(socket, 401, 'Session is no longer valid.', 'websocket upgrade refused', {
          url: req.url,
        });
      }
      const held = slot;
      manager.accept(
        req,
        socket,
        head,
        identity,
        route,
        address,
        held ? () => void userSlots.release(held.key, held.token) : undefined,
      );
      accepted = true;
    } catch (err) {
      opts.log.error({ err, url: req.url }, 'websocket upgrade failed');
      rejectUpgrade(socket, 500, 'Internal error.');
    } finally {
      if (slot && !accepted) void userSlots.release(slot.key, slot.token);
      bump(pendingByAddress, address, -1);
      if (--inFlight === 0) recent = [];
    }
  }

  function revoke(userId: string, scope: RevocationScope, reason: string): number {
    if (inFlight > 0) {
      recent.push({ epoch: ++epoch, userId, scope });
      if (recent.length > RECENT_REVOCATIONS_MAX) recent = recent.slice(-RECENT_REVOCATIONS_MAX);
    }
    const closed = manager.closeUserConnections(
      userId,
      (c) => revocationCovers(scope, c.route, c.identity),
      reason,
    );
    return closed;
  }

  const findUsers =
    opts.findUsers ??
    (async (ids: string[]) =>
      (await Promise.all(ids.map((id) => opts.findUser(id)))).filter((u) => u !== null));
  const checkTokens =
    opts.checkTokens ??
    (async (ids: string[]) => {
      const out = new Map<string, TokenCheck>();
      if (opts.checkToken) await Promise.all(ids.map(async (id) => out.set(id, await opts.checkToken!(id))));
      return out;
    });

  async function resyncPass(): Promise<ResyncResult> {
    resyncs++;
    const conns = manager.connections();
    const userIds = [...new Set(conns.map((c) => c.identity.userId))];
    const tokenIds = [...new Set(conns.flatMap((c) => c.identity.tokenId ?? []))];
    const [users, tokens] = await Promise.all([
      userIds.length > 0 ? findUsers(userIds) : [],
      tokenIds.length > 0 ? checkTokens(tokenIds) : new Map<string, TokenCheck>(),
    ]);
    const verdict = accessVerdict(conns, new Map(users.map((u) => [u.id, u])), tokens);

    const gone = new Set<string>();
    // as the runtime answers `access.revoked`: what the channels run first (terminal tabs get the
    // reason), then the sockets
    const apply = (revocations: Revocation[]) => {
      for (const r of revocations) {
        for (const h of handlers) h.revokeUser?.(r.userId, r.scope, r.reason);
        revoke(r.userId, r.scope, r.reason);
        for (const c of conns)
          if (c.identity.userId === r.userId && revocationCovers(r.scope, c.route, c.identity))
            gone.add(c.id);
      }
    };
    apply(verdict.revocations);
    for (const { conn, reason } of verdict.stale) {
      manager.handler(conn.route.channel)?.revokeSocket?.(conn, reason);
      conn.close(WS_CLOSE_POLICY, reason);
      gone.add(conn.id);
    }
    const ofChannel = (h: ChannelHandler) =>
      conns.filter((c) => c.route.channel === h.channel && !gone.has(c.id));
    for (const h of handlers) if (h.verify) apply(await h.verify(ofChannel(h)));

    // the channels catch up independently: one failing does not keep the others stale
    await Promise.all(
      handlers.map((h) =>
        h
          .resync?.(ofChannel(h))
          .catch((err: unknown) => opts.log.error({ err, channel: h.channel }, 'channel resync failed')),
      ),
    );
    return { sockets: conns.length, closed: gone.size };
  }

  let running: Promise<ResyncResult> | null = null;
  let queued: Promise<ResyncResult> | null = null;
  function resync(): Promise<ResyncResult> {
    if (!running) {
      running = resyncPass().finally(() => {
        running = null;
      });
      return running;
    }
    // a pass already running may have read the database before this call's missed events were
    // written: one more pass follows it, shared by every call made meanwhile
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return resync();
      });
    return queued;
  }

  // A token revoked elsewhere (another node, the CLI) or expired while its socket is open.
  const recheck = opts.checkToken
    ? setInterval(() => {
        for (const conn of manager.tokenConnections()) {
          void opts.checkToken!(conn.identity.tokenId!).then(
            (r) => {
              if (!r.ok) conn.close(WS_CLOSE_POLICY, r.message);
            },
            (err: unknown) => opts.log.warn({ err }, 'token re-check failed'),
          );
        }
      }, opts.tokenRecheckMs ?? WS_TOKEN_RECHECK_MS)
    : null;
  recheck?.unref();

  return {
    manager,
    handleUpgrade,
    revoke,
    resync,
    close: () => {
      if (recheck) clearInterval(recheck);
      return manager.closeAll();
    },
  };
}
