/**
 * 3. Fan-out: N WebSocket clients on /ws/monitor/tasks, all subscribed to one task (owned by their
 * user); U task updates published straight onto the portal's event bus; delivered messages per second
 * and delivery latency, vs a minimal `ws` broadcast server (serialise once, send to every client).
 *
 * Both servers run in a child process and get each update over IPC from this process, which paces
 * them: at most `window` updates in flight (published but not yet received by every client), so the
 * servers run flat out without unbounded queues. Latency = receipt − the moment this process asked for
 * the publish (one clock; includes the IPC hop, the same for both). A run stops publishing after
 * `maxSeconds` (the rate is steady long before; the table says when a run was capped).
 */
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import { openSocket } from './lib/clients';
import { closeAll, type BenchContext, type BenchResult } from './lib/common';
import { startChild, type Child } from './lib/proc';
import { row, type Row } from './lib/report';
import { LatencyHistogram, round } from './lib/stats';
import { mapLimit } from './lib/text';
import type { PortalReady } from './fixtures/portal';

export interface FanoutOptions {
  clients: number;
  updates: number;
  window: number;
  /** Stop publishing after this long (per run). */
  maxSeconds: number;
}

const OPEN_CONCURRENCY = 50;
const SEQ_KEY = Buffer.from('"completed_devices":');

interface Measurement {
  updates: number;
  delivered: number;
  ms: number;
  msgPerSec: number;
  p50: number;
  p99: number;
  max: number;
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
class Delivery {
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

async function measure(server: Child<unknown>, delivery: Delivery, maxSeconds: number): Promise<Measurement> {
  const cpu0 = await server.request<NodeJS.CpuUsage>('cpu');
  const client0 = process.cpuUsage();
  const r = await delivery.run(maxSeconds * 1000);
  const cpu1 = await server.request<NodeJS.CpuUsage>('cpu');
  const client1 = process.cpuUsage(client0);
  return {
    updates: r.updates,
    delivered: delivery.delivered,
    ms: r.ms,
    msgPerSec: delivery.delivered / (r.ms / 1000),
    p50: delivery.hist.percentile(50),
    p99: delivery.hist.percentile(99),
    max: delivery.hist.maxMs,
    serverCpuMs: (cpu1.user - cpu0.user + cpu1.system - cpu0.system) / 1000,
    clientCpuMs: (client1.user + client1.system) / 1000,
    capped: r.capped,
  };
}

/** Portal clients: monitor channel with the task owner's cookie, subscribed to the task. */
async function portalRun(
  portal: Child<PortalReady>,
  taskId: string,
  o: FanoutOptions,
  perMessageDeflate: boolean,
  ctx: BenchContext,
): Promise<Measurement> {
  const sockets: WebSocket[] = [];
  try {
    const delivery = new Delivery(o.clients, o.updates, o.window, (seq) =>
      portal.post('publish', { taskId, seq, total: o.updates }),
    );
    ctx.log(
      `fan-out: ${o.clients} portal monitor clients subscribing (permessage-deflate ${perMessageDeflate ? 'offered' : 'off'})`,
    );
    await mapLimit(Array.from({ length: o.clients }), OPEN_CONCURRENCY, async () => {
      const ws = await openSocket(portal.ready, '/ws/monitor/tasks', portal.ready.cookies.operator, {
        perMessageDeflate,
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
    ctx.log(
      `fan-out: up to ${o.updates} updates → ${o.clients} clients through the portal (≤ ${o.maxSeconds} s)`,
    );
    return await measure(portal, delivery, o.maxSeconds);
  } finally {
    for (const ws of sockets) ws.terminate();
  }
}

async function rawRun(o: FanoutOptions, ctx: BenchContext): Promise<Measurement> {
  const closers: (() => Promise<unknown> | unknown)[] = [];
  try {
    const raw = await startChild<{ url: string }>('raw-broadcast.ts', {});
    closers.push(() => raw.close());
    const delivery = new Delivery(o.clients, o.updates, o.window, (seq) =>
      raw.post('publish', { taskId: 'raw-task', seq, total: o.updates }),
    );
    const endpoint = { wsBase: raw.ready.url.replace(/\/$/, ''), origin: 'http://127.0.0.1' };
    ctx.log(`fan-out: ${o.clients} raw ws clients connecting`);
    const sockets: WebSocket[] = [];
    closers.push(() => sockets.forEach((ws) => ws.terminate()));
    await mapLimit(Array.from({ length: o.clients }), OPEN_CONCURRENCY, async () => {
      const ws = await openSocket(endpoint, '/', '');
      ws.on('error', () => {});
      ws.on('message', (m) => delivery.onMessage(m));
      sockets.push(ws);
    });
    for (let i = 0; i < 200 && (await raw.request<number>('count')) < o.clients; i++)
      await new Promise((r) => setTimeout(r, 50));
    ctx.log(`fan-out: ${o.updates} updates → ${o.clients} clients through the raw ws server`);
    return await measure(raw, delivery, o.maxSeconds);
  } finally {
    await closeAll(closers);
  }
}

export async function runFanout(o: FanoutOptions, ctx: BenchContext): Promise<BenchResult> {
  const closers: (() => Promise<unknown> | unknown)[] = [];
  let browserLike: Measurement;
  let plain: Measurement;
  try {
    const portal = await startChild<PortalReady>('portal.ts', {});
    closers.push(() => portal.close());
    const taskId = await portal.request<string>('fanoutTask', { total: o.updates });
    browserLike = await portalRun(portal, taskId, o, true, ctx);
    plain = await portalRun(portal, taskId, o, false, ctx);
  } finally {
    await closeAll(closers);
  }
  const raw = await rawRun(o, ctx);
  for (const m of [browserLike, plain, raw]) {
    if (m.delivered !== m.updates * o.clients)
      throw new Error(`fan-out lost messages: ${m.delivered} of ${m.updates * o.clients}`);
  }
  const b = 'fan-out';
  const capped = (m: Measurement, who = '') =>
    m.capped ? `${who}${m.updates} sent in the ${o.maxSeconds} s cap` : '';
  const notes = (...parts: string[]) => (parts.some(Boolean) ? ` (${parts.filter(Boolean).join('; ')})` : '');
  const rows: Row[] = [
    row({
      benchmark: b,
      metric: `${o.clients} clients × ${o.updates} updates${notes(capped(browserLike, 'portal: '), capped(raw, 'raw: '))}`,
      unit: 'msg/s',
      portal: Math.round(browserLike.msgPerSec),
      baseline: Math.round(raw.msgPerSec),
      target: '≥ 0.50× raw ws',
      met: browserLike.msgPerSec >= 0.5 * raw.msgPerSec,
    }),
    row({
      benchmark: b,
      metric: 'p50 delivery latency',
      unit: 'ms',
      portal: round(browserLike.p50, 2),
      baseline: round(raw.p50, 2),
      target: '',
      met: null,
    }),
    row({
      benchmark: b,
      metric: 'p99 delivery latency',
      unit: 'ms',
      portal: round(browserLike.p99, 2),
      baseline: round(raw.p99, 2),
      target: '< 50 ms',
      met: browserLike.p99 < 50,
    }),
    row({
      benchmark: b,
      metric: 'server CPU per delivered message',
      unit: 'µs',
      portal: round((browserLike.serverCpuMs * 1000) / browserLike.delivered, 2),
      baseline: round((raw.serverCpuMs * 1000) / raw.delivered, 2),
      target: '',
      met: null,
    }),
    row({
      benchmark: b,
      metric: `same, clients without permessage-deflate${notes(capped(plain))}`,
      unit: 'msg/s',
      portal: Math.round(plain.msgPerSec),
      baseline: Math.round(raw.msgPerSec),
      target: '',
      met: null,
    }),
    row({
      benchmark: b,
      metric: 'same, p99 delivery latency',
      unit: 'ms',
      portal: round(plain.p99, 2),
      baseline: round(raw.p99, 2),
      target: '',
      met: null,
    }),
  ];
  const detail = (m: Measurement) => ({
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
  });
  return {
    rows,
    details: { ...o, portal: detail(browserLike), portalNoDeflate: detail(plain), raw: detail(raw) },
  };
}
