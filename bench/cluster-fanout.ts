/**
 * Fan-out across nodes: bench/fanout.ts's portal measurement (N `/ws/monitor/tasks` clients
 * subscribed to one task, U updates published on the event bus, at most `window` in flight) with the
 * clients on node B of a two-node cluster and the updates published on node A's bus, so every update
 * goes through Redis pub/sub. Baseline: the same measurement on one portal (bench/fixtures/portal.ts,
 * in-process bus) in the same run. Clients offer permessage-deflate, as browsers do.
 */
import { startBenchCluster, type BenchCluster, type ClusterNodeChild } from './lib/cluster';
import { closeAll, type BenchContext, type BenchResult } from './lib/common';
import { measurementDetail, monitorFanout, type DeliveryOptions, type Measurement } from './lib/delivery';
import { startChild } from './lib/proc';
import { row, type Row } from './lib/report';
import { round } from './lib/stats';
import type { PortalReady } from './fixtures/portal';

export type ClusterFanoutOptions = DeliveryOptions;

/** Issue 17: the cross-node p99 at most this much above the single node's. */
const P99_MARGIN_MS = 20;

async function singleNode(o: ClusterFanoutOptions, ctx: BenchContext): Promise<Measurement> {
  const closers: (() => Promise<unknown> | unknown)[] = [];
  try {
    const portal = await startChild<PortalReady>('portal.ts', {});
    closers.push(() => portal.close());
    const taskId = await portal.request<string>('fanoutTask', { total: o.updates });
    return await monitorFanout(
      { publisher: portal, subscriber: portal },
      taskId,
      o,
      { perMessageDeflate: true, label: 'cluster-fanout: one node' },
      ctx,
    );
  } finally {
    await closeAll(closers);
  }
}

async function acrossNodes(
  o: ClusterFanoutOptions,
  ctx: BenchContext,
): Promise<{ m: Measurement; where: BenchCluster['where'] }> {
  const closers: (() => Promise<unknown> | unknown)[] = [];
  try {
    const cluster = await startBenchCluster({ nodes: 2 }, ctx);
    closers.push(() => cluster.close());
    const [nodeA, nodeB] = cluster.nodes as [ClusterNodeChild, ClusterNodeChild];
    const taskId = await nodeA.request<string>('fanoutTask', { total: o.updates });
    const m = await monitorFanout(
      { publisher: nodeA, subscriber: nodeB },
      taskId,
      o,
      { perMessageDeflate: true, label: 'cluster-fanout: clients on node B, published on node A' },
      ctx,
    );
    return { m, where: cluster.where };
  } finally {
    await closeAll(closers);
  }
}

export async function runClusterFanout(o: ClusterFanoutOptions, ctx: BenchContext): Promise<BenchResult> {
  const single = await singleNode(o, ctx);
  const { m: cluster, where } = await acrossNodes(o, ctx);
  for (const m of [single, cluster]) {
    if (m.delivered !== m.updates * o.clients)
      throw new Error(`fan-out lost messages: ${m.delivered} of ${m.updates * o.clients}`);
  }
  const b = 'fan-out across nodes';
  const capped = (m: Measurement, who: string) =>
    m.capped ? `${who}: ${m.updates} sent in the ${o.maxSeconds} s cap` : '';
  const notes = [capped(cluster, 'cluster'), capped(single, 'one node')].filter(Boolean);
  const rows: Row[] = [
    row({
      benchmark: b,
      metric: `${o.clients} clients on node B × ${o.updates} updates published on node A, vs one node${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
      unit: 'msg/s',
      portal: Math.round(cluster.msgPerSec),
      baseline: Math.round(single.msgPerSec),
      target: '',
      met: null,
    }),
    row({
      benchmark: b,
      metric: 'p50 delivery latency',
      unit: 'ms',
      portal: round(cluster.p50, 2),
      baseline: round(single.p50, 2),
      target: '',
      met: null,
    }),
    row({
      benchmark: b,
      metric: 'p99 delivery latency',
      unit: 'ms',
      portal: round(cluster.p99, 2),
      baseline: round(single.p99, 2),
      target: `< one node + ${P99_MARGIN_MS} ms`,
      met: cluster.p99 < single.p99 + P99_MARGIN_MS,
    }),
    row({
      benchmark: b,
      metric: 'server CPU per delivered message (both nodes / one node)',
      unit: 'µs',
      portal: round((cluster.serverCpuMs * 1000) / cluster.delivered, 2),
      baseline: round((single.serverCpuMs * 1000) / single.delivered, 2),
      target: '',
      met: null,
    }),
  ];
  return {
    rows,
    details: {
      ...o,
      clusters: [where],
      acrossNodes: measurementDetail(cluster),
      oneNode: measurementDetail(single),
    },
  };
}
