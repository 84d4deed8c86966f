import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { ConnectionManager, type ChannelHandler } from './connections';
import { authenticateUpgrade, rejectUpgrade, type UpgradeOptions } from './upgrade';

export interface Realtime {
  manager: ConnectionManager;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface RealtimeOptions extends UpgradeOptions {
  log: Logger;
  maxFrameBytes: number;
  heartbeatMs: number;
  /** The channel handlers (terminal, monitor, notifications), created by the runtime. */
  handlers?: ChannelHandler[];
}

export function createRealtime(opts: RealtimeOptions): Realtime {
  const manager = new ConnectionManager({
    log: opts.log,
    maxFrameBytes: opts.maxFrameBytes,
    heartbeatMs: opts.heartbeatMs,
  });
  for (const h of opts.handlers ?? []) manager.register(h);

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    try {
      const decision = await authenticateUpgrade(req, opts);
      if (!decision.ok) {
        opts.log.info({ url: req.url, status: decision.status }, 'websocket upgrade refused');
        return rejectUpgrade(socket, decision.status, decision.message);
      }
      const handler = manager.handler(decision.route.channel);
      if (!handler) return rejectUpgrade(socket, 404, 'No such channel.');
      const verdict = (await handler.authorise?.(decision.identity, decision.route)) ?? { ok: true };
      if (!verdict.ok) {
        opts.log.info(
          { url: req.url, userId: decision.identity.userId, status: verdict.status },
          'websocket channel refused',
        );
        return rejectUpgrade(socket, verdict.status, verdict.message);
      }
      manager.accept(req, socket, head, decision.identity, decision.route);
    } catch (err) {
      opts.log.error({ err, url: req.url }, 'websocket upgrade failed');
      rejectUpgrade(socket, 500, 'Internal error.');
    }
  }

  return { manager, handleUpgrade, close: () => manager.closeAll() };
}
