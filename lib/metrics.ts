import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { getRealtime } from './realtime';
import { getTerminalManager } from './terminal/manager';

interface Metrics {
  registry: Registry;
}

const globalForMetrics = globalThis as unknown as { __switchboardMetrics?: Metrics };

/** One Prometheus registry per process: process metrics plus the portal's own gauges. */
export function getMetrics(): Metrics {
  if (!globalForMetrics.__switchboardMetrics) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'switchboard_' });
    new Gauge({
      name: 'switchboard_websocket_connections',
      help: 'Open WebSocket connections, by channel',
      labelNames: ['channel'],
      registers: [registry],
      collect() {
        this.reset();
        const manager = getRealtime()?.manager;
        const counts = manager?.countByChannel() ?? {};
        for (const channel of ['terminal', 'monitor', 'notifications'])
          this.set({ channel }, counts[channel] ?? 0);
      },
    });
    new Gauge({
      name: 'switchboard_terminal_sessions',
      help: 'Open terminal (SSH shell) sessions, attached or waiting to be resumed',
      registers: [registry],
      collect() {
        this.set(getTerminalManager()?.count() ?? 0);
      },
    });
    globalForMetrics.__switchboardMetrics = { registry };
  }
  return globalForMetrics.__switchboardMetrics;
}
