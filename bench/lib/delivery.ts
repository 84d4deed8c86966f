/**
 * The fan-out measurement of bench/fanout.ts, for any publisher and any server holding the clients:
 * N `/ws/monitor/tasks` clients subscribed to one task on `subscriber`, updates published onto
 * `publisher`'s event bus (over IPC), at most `window` in flight (published but not yet received by
 * every client). The same node for both is bench/fanout.ts's single portal; two nodes of a cluster
 * put Redis pub/sub between them (bench/cluster-fanout.ts).
 *
 * Latency = receipt − the moment this process asked for the publish (one clock; includes the IPC hop).
 * A run stops publishing after `maxSeconds`.
 */
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import { openSocket, type PortalEndpoint } from './clients';
import type { BenchContext } from './common';
import type { Child } from './proc';
import { LatencyHistogram, round } from './stats';
import { mapLimit } from './text';

export interface DeliveryOptions {
  clients: number;
  updates: number;
  window: number;
  /** Stop publishing after this long (per run). */
  maxSeconds: number;
}

/** A server child: takes `publish` posts (publisher) and answers `cpu` (its process's CPU time). */
type ServerChild = Child<unknown>;

const OPEN_CONCURRENCY = 50;
const SEQ_KEY = Buffer.from('"completed_devices":');

export interface Measurement {
  updates: number;
  delivered: number;
  ms: number;
  msgPerSec: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU time of the server processes (publisher and subscriber, counted once each). */
  serverCpuMs: number;
  clientCpuMs: number;
  capped: boolean;
}

/** The update number in a task_update frame (its completed_devices), without parsing the whole frame. */
function seqOf(buf: Buffer): number {
  const i = buf.indexOf(SEQ_KEY);
  if (i < 0) return -1;
  let seq = 0;
  for (let j = i + SEQ_KEY.length; j < buf.length; j++) {
    const c = buf[j]!;
    if (c < 48 || c > 57) break;
    seq = seq * 10 + c - 48;
  }
  return seq;
}

/** Counts task_update frames per update across all clients and paces the publisher. */
export class Delivery {
  private readonly counts: Uint32Array;
  private readonly sentAt: Float64Array;
  readonly hist = new LatencyHistogram(0.01, 10_000);
  delivered = 0;
  private complete = 0;
  private next = 1;
  /** Highest update number that will be published (lowered when the time cap hits). */
  private last: number;
  private measuring = false;
  private lastProgress = 0;
  private onDone: (() => void) | null = null;

  constructor(
    private readonly clients: number,
    updates: number,
    private readonly window: number,
    private readonly publish: (seq: number) => void,
  ) {
    this.last = updates;
    this.counts = new Uint32Array(updates + 1);
    this.sentAt = new Float64Array(updates + 1);
  }

  onMessage(raw: WebSocket.RawData): void {
    if (!this.measuring) return;
    const now = performance.now();
    const seq = seqOf(raw as Buffer);
    if (seq < 1 || seq >= this.next) return;
    this.delivered++;
    this.lastProgress = now;
    this.hist.add(now - this.sentAt[seq]!);
    if (++this.counts[seq]! === this.clients) {
      this.complete++;
      if (this.complete === this.last) this.onDone?.();
      else this.pump();
    }
  }

  private pump(): void {
    while (this.next <= this.last && this.next - 1 - this.complete < this.window) {
      this.sentAt[this.next] = performance.now();
      this.publish(this.next);
      this.next++;
    }
  }

  /** Publish until done or `maxMs`; resolves with the elapsed time and the updates sent. */
  run(maxMs: number, stallMs = 30_000): Promise<{ ms: number; updates: number; capped: boolean }> {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      this.lastProgress = t0;
      let capped = false;
      const watchdog = setInterval(() => {
        const now = performance.now();
        if (!capped && now - t0 > maxMs && this.next - 1 < this.last) {
          capped = true;
          this.last = this.next - 1; // finish what is in flight, publish nothing more
          if (this.complete === this.last) this.onDone?.();
        }
        if (now - this.lastProgress > stallMs) {
          clearInterval(watchdog);
          reject(
            new Error(
              `fan-out stalled: ${this.complete}/${this.last} updates fully delivered, ${this.delivered} messages`,
            ),
          );
        }
      }, 100);
      this.onDone = () => {
        clearInterval(watchdog);
        this.measuring = false;
        resolve({ ms: performance.now() - t0, updates: this.last, capped });
      };
      this.measuring = true;
      this.pump();
    });
  }
}

const cpuOf = async (servers: readonly ServerChild[]) =>
  Promise.all(servers.map((s) => s.request<NodeJS.CpuUsage>('cpu')));

async function measure(
  servers: readonly ServerChild[],
  delivery: Delivery,
  maxSeconds: number,
): Promise<Measurement> {
  const cpu0 = await cpuOf(servers);
  const client0 = process.cpuUsage();
  const r = await delivery.run(maxSeconds * 1000);
  const cpu1 = await cpuOf(servers);
  const client1 = process.cpuUsage(client0);
  let serverCpuUs = 0;
  for (const [i, c] of cpu1.entries()) serverCpuUs += c.user - cpu0[i]!.user + c.system - cpu0[i]!.system;
  return {
    updates: r.updates,
    delivered: delivery.delivered,
    ms: r.ms,
    msgPerSec: delivery.delivered / (r.ms / 1000),
    p50: delivery.hist.percentile(50),
    p99: delivery.hist.percentile(99),
    max: delivery.hist.maxMs,
    serverCpuMs: serverCpuUs / 1000,
    clientCpuMs: (client1.user + client1.system) / 1000,
    capped: r.capped,
  };
}

/**
 * Monitor clients on `subscriber` (the task owner's cookie), each subscribed to the task (its
 * snapshot received), then updates published on `publisher`: the measurement. Both may be one child.
 */
export async function monitorFanout(
  sides: {
    publisher: ServerChild;
    subscriber: ServerChild & { ready: PortalEndpoint & { cookies: { operator: string } } };
  },
  taskId: string,
  o: DeliveryOptions,
  opts: { perMessageDeflate: boolean; label: string },
  ctx: BenchContext,
): Promise<Measurement> {
  const { publisher, subscriber } = sides;
  const sockets: WebSocket[] = [];
  try {
    const delivery = new Delivery(o.clients, o.updates, o.window, (seq) =>
      publisher.post('publish', { taskId, seq, total: o.updates }),
    );
    ctx.log(
      `${opts.label}: ${o.clients} monitor clients subscribing (permessage-deflate ${opts.perMessageDeflate ? 'offered' : 'off'})`,
    );
    await mapLimit(Array.from({ length: o.clients }), OPEN_CONCURRENCY, async () => {
      const ws = await openSocket(subscriber.ready, '/ws/monitor/tasks', subscriber.ready.cookies.operator, {
        perMessageDeflate: opts.perMessageDeflate,
      });
      sockets.push(ws);
      ws.on('error', () => {});
      const subscribed = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('no task_devices snapshot after subscribe_task')),
          30_000,
        );
        const onMessage = (raw: WebSocket.RawData) => {
          const f = JSON.parse(raw.toString()) as { type: string; snapshot?: boolean };
          if (f.type === 'task_devices' && f.snapshot) {
            clearTimeout(timer);
            ws.off('message', onMessage);
            resolve();
          }
        };
        ws.on('message', onMessage);
      });
      ws.send(JSON.stringify({ type: 'subscribe_task', task_id: taskId }));
      await subscribed;
      ws.on('message', (raw) => delivery.onMessage(raw));
    });
    ctx.log(`${opts.label}: up to ${o.updates} updates → ${o.clients} clients (≤ ${o.maxSeconds} s)`);
    const servers = publisher === subscriber ? [publisher] : [publisher, subscriber];
    return await measure(servers, delivery, o.maxSeconds);
  } finally {
    for (const ws of sockets) ws.terminate();
  }
}

/** A measurement for results.json. */
export function measurementDetail(m: Measurement) {
  return {
    updates: m.updates,
    delivered: m.delivered,
    capped: m.capped,
    seconds: round(m.ms / 1000, 2),
    msgPerSec: Math.round(m.msgPerSec),
    p50ms: round(m.p50, 2),
    p99ms: round(m.p99, 2),
    maxMs: round(m.max, 2),
    serverCpuMs: Math.round(m.serverCpuMs),
    serverCpuUsPerMsg: round((m.serverCpuMs * 1000) / m.delivered, 2),
    clientCpuMs: Math.round(m.clientCpuMs),
  };
}
