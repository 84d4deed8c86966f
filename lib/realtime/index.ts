import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { createProxyTrust, peerAddress, type ProxyTrust } from '../auth/peer';
import type { RevocationScope } from '../events/types';
import type { ChannelRoute } from './channels';
import { ConnectionManager, WS_CLOSE_POLICY, type ChannelHandler } from './connections';
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
  close(): Promise<void>;
}

export interface RealtimeOptions extends UpgradeOptions {
  log: Logger;
  maxFrameBytes: number;
  heartbeatMs: number;
  /** Open sockets one user may hold, every channel together (WS_MAX_CONNECTIONS_PER_USER). */
  maxConnectionsPerUser?: number;
  /** Open sockets one client address may hold (WS_MAX_CONNECTIONS_PER_ADDRESS). */
  maxConnectionsPerAddress?: number;
  /** Which X-Forwarded-For hops to believe when telling client addresses apart (default: none). */
  proxyTrust?: ProxyTrust;
  /** The channel handlers (terminal, monitor, notifications), created by the runtime. */
  handlers?: ChannelHandler[];
  /** Whether an API token is still good (sockets opened with one are re-checked periodically). */
  checkToken?(tokenId: string): Promise<{ ok: true } | { ok: false; message: string }>;
  tokenRecheckMs?: number;
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
  const maxPerUser = opts.maxConnectionsPerUser ?? WS_MAX_CONNECTIONS_PER_USER_DEFAULT;
  const maxPerAddress = opts.maxConnectionsPerAddress ?? WS_MAX_CONNECTIONS_PER_ADDRESS_DEFAULT;
  const proxyTrust = opts.proxyTrust ?? createProxyTrust(false);
  const refusalLog = new LogRateLimit(WS_REFUSAL_LOG_INTERVAL_MS);

  // Upgrades between authentication and the handshake count against the caps too, so that a burst of
  // simultaneous upgrades cannot pass the check together.
  const pendingByUser = new Map<string, number>();
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
    inFlight++;
    bump(pendingByAddress, address, 1);
    let reservedUser: string | null = null;
    try {
      const decision = await authenticateUpgrade(req, opts);
      if (!decision.ok) {
        return refuse(socket, decision.status, decision.message, 'websocket upgrade refused', {
          url: req.url,
        });
      }
      const { identity, route } = decision;
      if (manager.countOf(identity.userId) + (pendingByUser.get(identity.userId) ?? 0) >= maxPerUser) {
        return refuse(socket, 429, 'Too many connections for this user.', 'websocket upgrade refused', {
          url: req.url,
          userId: identity.userId,
        });
      }
      reservedUser = identity.userId;
      bump(pendingByUser, reservedUser, 1);
      const handler = manager.handler(route.channel);
      if (!handler) return rejectUpgrade(socket, 404, 'No such channel.');
      const verdict = (await handler.authorise?.(identity, route)) ?? { ok: true };
      if (!verdict.ok) {
        return refuse(socket, verdict.status, verdict.message, 'websocket channel refused', {
          url: req.url,
          userId: identity.userId,
        });
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
      manager.accept(req, socket, head, identity, route, address);
    } catch (err) {
      opts.log.error({ err, url: req.url }, 'websocket upgrade failed');
      rejectUpgrade(socket, 500, 'Internal error.');
    } finally {
      if (reservedUser) bump(pendingByUser, reservedUser, -1);
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
    close: () => {
      if (recheck) clearInterval(recheck);
      return manager.closeAll();
    },
  };
}
