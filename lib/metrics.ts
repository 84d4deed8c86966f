import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** What the portal's own gauges read at scrape time. */
export interface MetricsSources {
  connectionsByChannel(): Record<string, number>;
  terminalSessions(): number;
}

export const METRIC_CHANNELS = ['terminal', 'monitor', 'notifications'] as const;

/** A Prometheus registry: process metrics plus the portal's own gauges (one per runtime). */
export function createMetrics(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_' });
  new Gauge({
    name: 'switchboard_websocket_connections',
    help: 'Open WebSocket connections, by channel',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = sources.connectionsByChannel();
      for (const channel of METRIC_CHANNELS) this.set({ channel }, counts[channel] ?? 0);
    },
  });
  new Gauge({
    name: 'switchboard_terminal_sessions',
    help: 'Open terminal (SSH shell) sessions, attached or waiting to be resumed',
    registers: [registry],
    collect() {
      this.set(sources.terminalSessions());
    },
  });
  return registry;
}
