/**
 * Batch on a cluster: bench/batch.ts's task (D lab devices answering each command after L ms, one
 * command, concurrency C) run by two portal nodes (bench/lib/cluster.ts: PostgreSQL, Redis bus,
 * BullMQ queue), each in its own process.
 *
 * - "batch, two nodes": the task created on node A (the queue gives it to either node's worker); its
 *   wall time (createTask → its final event, on node A) vs bench/batch.ts's plain ssh2 script doing
 *   the same work in the same run.
 * - "batch, two tasks on two nodes": two such tasks on two sets of D devices, created at once, one on
 *   each node; the wall time until both have finished vs the one task's. The queue decides where
 *   each runs (a node's worker takes up to TASKS_MAX_RUNNING at once), so the run is repeated on a
 *   second cluster with TASKS_MAX_RUNNING=1, where each node necessarily runs one.
 *
 * Each set of devices runs in a lab process of its own (devices are separate machines; one lab
 * process for both sets would make the lab the bottleneck of the two-task run).
 */
import {
  BENCH_REDIS_URL,
  NODE_IDS,
  startBenchCluster,
  type BenchCluster,
  type ClusterNodeChild,
} from './lib/cluster';
import { COMMAND, medianRound, plainScript, TIMEOUT_S } from './batch';
import { CpuAccount, cpuDelta, type CpuSample } from './lib/cluster-cpu';
import type { ClusterTaskRun } from './lib/cluster-node';
import {
  closeAll,
  labDeviceRow,
  vrpSpecs,
  type BenchContext,
  type BenchResult,
  type LabReady,
} from './lib/common';
import { startChild, type Child } from './lib/proc';
import { row } from './lib/report';
import { mean, percentile, round } from './lib/stats';

export interface ClusterBatchOptions {
  devices: number;
  concurrency: number;
  latencyMs: number;
  /**
   * Measured rounds (the script, one task, two tasks), as bench/batch.ts: one round's one-task ratio
   * moved between 0.94× and 1.37× from run to run with the same code; each target's figure is the
   * median round for it.
   */
  rounds: number;
}

/** Issue 17: one task on two nodes at most this many times the plain script's wall time. */
const ONE_TASK_TARGET = 1.3;
/** Issue 17: two tasks at once on two nodes at most this many times one task's wall time (2 cores). */
const TWO_TASKS_TARGET = 1.6;
/**
 * Tasks each node runs before the measured ones, a portal that has been running tasks (on the main
 * cluster after its early measured task): on 2026-12-06 the task measured after one warm-up round
 * took 1.22–1.71 s of the nodes' CPU and 1.28–1.53× the script, after three rounds 0.98–1.13 s and
 * 1.15–1.34×, for reasons not pinned down (README "batch-warmed").
 */
const WARM_UP_TASKS_PER_NODE = 3;
/** Warm-up rounds at most while waiting for the queue to give each node its tasks. */
const MAX_WARM_UP_ROUNDS = 8;
/** The production progress interval (bench/batch.ts runs its portal with it too). */
const PROGRESS_INTERVAL_MS = 250;

/** CPU time (ms) of each process of the rig while `fn` runs. */
async function withCpu<T>(account: CpuAccount, fn: () => Promise<T>): Promise<[T, CpuSample]> {
  const before = await account.sample();
  const result = await fn();
  return [result, cpuDelta(before, await account.sample())];
}

/** CPU time (ms) of the nodes in a sample. */
const nodesCpuMs = (cpu: CpuSample) => sum(NODE_IDS.map((id) => cpu[id] ?? 0));

function expectAllSucceeded(run: ClusterTaskRun, devices: number, what: string): void {
  if (run.status !== 'completed' || run.succeeded !== devices)
    throw new Error(
      `${what} ended ${run.status} with ${run.succeeded}/${devices} devices succeeded (ran on ${run.ranOn}): ${JSON.stringify(run.errors).slice(0, 1000)}`,
    );
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Two tasks at once, one created on each node: until both have finished. */
interface TwoTasks {
  wallMs: number;
  runs: ClusterTaskRun[];
  /** Where each ran (the queue decides). */
  ranOn: string[];
  /** CPU time by process (nodes, labs, PostgreSQL backends, Redis). */
  cpu: CpuSample;
}

/** A measured round: the script, one task, two tasks at once. */
interface ClusterRound {
  plain: Awaited<ReturnType<typeof plainScript>>;
  plainCpu: CpuSample;
  one: ClusterTaskRun;
  oneCpu: CpuSample;
  both: TwoTasks;
}

/** Two nodes with both sets of lab devices in their inventory. */
interface Rig {
  nodes: [ClusterNodeChild, ClusterNodeChild];
  where: BenchCluster['where'];
  cpu: CpuAccount;
  /** Create a task over `set` on `node` and wait for it. */
  task(node: ClusterNodeChild, set: 0 | 1): Promise<ClusterTaskRun>;
  twoTasks(): Promise<TwoTasks>;
  /** Two-task runs until every node has run `perNode` tasks; where they ran, per round. */
  warmUp(perNode: number): Promise<string[][]>;
}

async function withCluster<T>(
  labs: Child<LabReady>[],
  o: ClusterBatchOptions & { tasksMaxRunning?: number },
  ctx: BenchContext,
  body: (rig: Rig) => Promise<T>,
): Promise<T> {
  const cluster = await startBenchCluster(
    { nodes: 2, progressIntervalMs: PROGRESS_INTERVAL_MS, tasksMaxRunning: o.tasksMaxRunning },
    ctx,
  );
  const processes = Object.fromEntries([...cluster.nodes, ...labs].map((c) => [c.name, c.pid]));
  const cpu = await CpuAccount.open(processes, cluster.where.database, BENCH_REDIS_URL);
  try {
    const nodes = cluster.nodes as [ClusterNodeChild, ClusterNodeChild];
    const sets: string[][] = [];
    for (const lab of labs) {
      const ids = await nodes[0].request<Record<string, string>>('addDevices', {
        devices: lab.ready.devices.map((d) => labDeviceRow(d, lab.ready)),
      });
      sets.push(lab.ready.devices.map((d) => ids[d.name]!));
    }
    const task = async (node: ClusterNodeChild, set: 0 | 1) => {
      const run = await node.request<ClusterTaskRun>(
        'runTask',
        { deviceIds: sets[set], commands: [COMMAND], concurrency: o.concurrency, timeoutSeconds: TIMEOUT_S },
        600_000,
      );
      expectAllSucceeded(run, o.devices, `the task created on ${node.ready.nodeId}`);
      return run;
    };
    const twoTasks = async (): Promise<TwoTasks> => {
      const [runs, used] = await withCpu(cpu, () => Promise.all([task(nodes[0], 0), task(nodes[1], 1)]));
      return {
        wallMs: Math.max(...runs.map((r) => r.finishedAt)) - Math.min(...runs.map((r) => r.startedAt)),
        runs,
        ranOn: runs.map((r) => r.ranOn ?? '?'),
        cpu: used,
      };
    };
    const warmUp = async (perNode: number) => {
      const rounds: string[][] = [];
      const ran = new Map<string, number>();
      const fewest = () => Math.min(...nodes.map((n) => ran.get(n.ready.nodeId) ?? 0));
      while (fewest() < perNode && rounds.length < MAX_WARM_UP_ROUNDS) {
        const { ranOn } = await twoTasks();
        for (const n of ranOn) ran.set(n, (ran.get(n) ?? 0) + 1);
        rounds.push(ranOn);
      }
      ctx.log(`cluster-batch: warm-up tasks ran on ${rounds.map((r) => r.join(' + ')).join(', ')}`);
      return rounds;
    };
    return await body({ nodes, where: cluster.where, cpu, task, twoTasks, warmUp });
  } finally {
    await cpu.close();
    await cluster.close();
  }
}

export async function runClusterBatch(o: ClusterBatchOptions, ctx: BenchContext): Promise<BenchResult> {
  const closers: (() => Promise<unknown> | unknown)[] = [];
  try {
    ctx.log(`cluster-batch: two labs of ${o.devices} devices (${o.latencyMs} ms per command)`);
    const labs: Child<LabReady>[] = [];
    for (const set of ['a', 'b']) {
      const lab = await startChild<LabReady>(
        'lab.ts',
        { specs: vrpSpecs(`cluster-${set}`, o.devices, { latencyMs: o.latencyMs }) },
        { readyTimeoutMs: 120_000, name: `lab-${set}` },
      );
      closers.push(() => lab.close());
      labs.push(lab);
    }
    const labA = labs[0]!;

    // The production configuration: the queue places both tasks.
    const main = await withCluster(labs, o, ctx, async (rig) => {
      // warm-up: the script once, the tasks until each node has run one (each device's status
      // learnt, as a running portal with its status monitor already has it); one task measured
      // then (a portal just started), then WARM_UP_TASKS_PER_NODE more per node
      ctx.log('cluster-batch: warm-up (the script once, both tasks until each node has run one)');
      await plainScript(labA.ready.devices, labA.ready, o.concurrency);
      const warmUp = await rig.warmUp(1);
      const [early, earlyCpu] = await withCpu(rig.cpu, () => rig.task(rig.nodes[0], 0));
      ctx.log(
        `cluster-batch: a task after each node's first ran on ${early.ranOn}, ${round(early.wallMs / 1000, 2)} s`,
      );
      ctx.log(`cluster-batch: warm-up until each node has run ${WARM_UP_TASKS_PER_NODE} more tasks`);
      warmUp.push(...(await rig.warmUp(WARM_UP_TASKS_PER_NODE)));
      const rounds: ClusterRound[] = [];
      for (let r = 1; r <= o.rounds; r++) {
        ctx.log(
          `cluster-batch: round ${r}/${o.rounds}: plain ssh2 script, one task created on ${rig.nodes[0].ready.nodeId}, two tasks at once (one created on each node)`,
        );
        const [plain, plainCpu] = await withCpu(rig.cpu, () =>
          plainScript(labA.ready.devices, labA.ready, o.concurrency),
        );
        const [one, oneCpu] = await withCpu(rig.cpu, () => rig.task(rig.nodes[0], 0));
        const both = await rig.twoTasks();
        ctx.log(
          `cluster-batch: one task ran on ${one.ranOn}, ${round(one.wallMs / 1000, 2)} s (${round(one.wallMs / plain.wallMs, 2)}× the script); two ran on ${both.ranOn.join(' + ')}, ${round(both.wallMs / 1000, 2)} s (${round(both.wallMs / one.wallMs, 2)}× one)`,
        );
        rounds.push({ plain, plainCpu, one, oneCpu, both });
      }
      return { where: rig.where, warmUp, early, earlyCpu, rounds };
    });
    // TASKS_MAX_RUNNING=1: a node's worker takes one task at a time, so the second goes to the other
    // node (what the two-task target assumes).
    const spread = await withCluster(labs, { ...o, tasksMaxRunning: 1 }, ctx, async (rig) => {
      ctx.log('cluster-batch: again with TASKS_MAX_RUNNING=1 on each node');
      const warmUp = await rig.warmUp(WARM_UP_TASKS_PER_NODE);
      const both = await rig.twoTasks();
      ctx.log(`cluster-batch: ran on ${both.ranOn.join(' + ')}, ${round(both.wallMs / 1000, 2)} s`);
      return { where: rig.where, warmUp, both };
    });

    const { early, earlyCpu, rounds } = main;
    // each target's figure from its own median round (README "batch-rounds")
    const oneRound = medianRound(
      rounds.map((r, i) => ({ ...r, round: i + 1, ratio: r.one.wallMs / r.plain.wallMs })),
    );
    const { plain, plainCpu, one, oneCpu } = oneRound;
    const twoRound = medianRound(
      rounds.map((r, i) => ({ ...r, round: i + 1, ratio: r.both.wallMs / r.one.wallMs })),
    );
    const both = twoRound.both;
    const oneOfTwo = twoRound.one;
    const metIn = (ok: (r: ClusterRound) => boolean) =>
      `median of ${rounds.length} rounds (met in ${rounds.filter(ok).length})`;
    const label = `${o.devices} devices, ${o.latencyMs} ms, concurrency ${o.concurrency}`;
    const oneTask = 'batch, two nodes';
    const twoTasks = 'batch, two tasks on two nodes';
    const taskDetail = (r: ClusterTaskRun) => ({
      ranOn: r.ranOn,
      wallMs: round(r.wallMs, 1),
      perDeviceMeanMs: round(mean(r.deviceMs), 1),
      perDeviceP99Ms: round(percentile(r.deviceMs, 99), 1),
      phasesMs: r.phases,
    });
    const twoTasksDetail = (t: TwoTasks) => ({
      wallMs: round(t.wallMs, 1),
      tasks: t.runs.map(taskDetail),
      cpuMs: t.cpu,
    });
    return {
      rows: [
        row({
          benchmark: oneTask,
          metric: `wall time, ${label}, task created on node A (ran on ${one.ranOn}), ${metIn((r) => r.one.wallMs <= ONE_TASK_TARGET * r.plain.wallMs)}`,
          unit: 's',
          portal: round(one.wallMs / 1000, 2),
          baseline: round(plain.wallMs / 1000, 2),
          target: `≤ ${ONE_TASK_TARGET.toFixed(2)}× plain script`,
          met: one.wallMs <= ONE_TASK_TARGET * plain.wallMs,
        }),
        row({
          benchmark: oneTask,
          metric: `same, the task after each node's first since start (ran on ${early.ranOn})`,
          unit: 's',
          portal: round(early.wallMs / 1000, 2),
          baseline: round(plain.wallMs / 1000, 2),
          target: '',
          met: null,
        }),
        row({
          benchmark: oneTask,
          metric: 'CPU time of both nodes / of the script',
          unit: 's',
          portal: round(nodesCpuMs(oneCpu) / 1000, 2),
          baseline: round(plain.cpuMs / 1000, 2),
          target: '',
          met: null,
        }),
        row({
          benchmark: oneTask,
          metric: 'mean time per device',
          unit: 'ms',
          portal: round(mean(one.deviceMs), 1),
          baseline: round(mean(plain.deviceMs), 1),
          target: '',
          met: null,
        }),
        row({
          benchmark: twoTasks,
          metric: `wall time until both finish, 2 × ${o.devices} devices (ran on ${both.ranOn.join(' + ')}), vs one task, ${metIn((r) => r.both.wallMs <= TWO_TASKS_TARGET * r.one.wallMs)}`,
          unit: 's',
          portal: round(both.wallMs / 1000, 2),
          baseline: round(oneOfTwo.wallMs / 1000, 2),
          target: `≤ ${TWO_TASKS_TARGET.toFixed(2)}× one task`,
          met: both.wallMs <= TWO_TASKS_TARGET * oneOfTwo.wallMs,
        }),
        row({
          benchmark: twoTasks,
          metric: 'CPU time of both nodes, two tasks / one task',
          unit: 's',
          portal: round(nodesCpuMs(both.cpu) / 1000, 2),
          baseline: round(nodesCpuMs(twoRound.oneCpu) / 1000, 2),
          target: '',
          met: null,
        }),
        row({
          benchmark: twoTasks,
          metric: `same, TASKS_MAX_RUNNING=1 on each node (ran on ${spread.both.ranOn.join(' + ')}), vs one task`,
          unit: 's',
          portal: round(spread.both.wallMs / 1000, 2),
          baseline: round(oneOfTwo.wallMs / 1000, 2),
          target: '',
          met: null,
        }),
      ],
      details: {
        ...o,
        command: COMMAND,
        progressIntervalMs: PROGRESS_INTERVAL_MS,
        clusters: [main.where, spread.where],
        warmUpRanOn: main.warmUp,
        plain: {
          wallMs: round(plain.wallMs, 1),
          perDeviceMeanMs: round(mean(plain.deviceMs), 1),
          perDeviceP99Ms: round(percentile(plain.deviceMs, 99), 1),
          cpuMs: Math.round(plain.cpuMs),
          /** The other processes meanwhile (the labs, the idle nodes, PostgreSQL, Redis). */
          othersCpuMs: plainCpu,
        },
        warmUpTasksPerNode: WARM_UP_TASKS_PER_NODE,
        /** The rounds (from 1) the one-task and the two-task figures come from. */
        oneTaskRound: oneRound.round,
        twoTasksRound: twoRound.round,
        oneTask: { createdOn: 'node-a', ...taskDetail(one), cpuMs: oneCpu },
        earlyTask: { createdOn: 'node-a', ...taskDetail(early), cpuMs: earlyCpu },
        twoTasks: twoTasksDetail(both),
        rounds: rounds.map((r) => ({
          oneVsScript: round(r.one.wallMs / r.plain.wallMs, 3),
          twoVsOne: round(r.both.wallMs / r.one.wallMs, 3),
          plainWallMs: round(r.plain.wallMs, 1),
          plainCpuMs: Math.round(r.plain.cpuMs),
          one: { ...taskDetail(r.one), nodesCpuMs: nodesCpuMs(r.oneCpu) },
          two: { ...twoTasksDetail(r.both), nodesCpuMs: nodesCpuMs(r.both.cpu) },
        })),
        twoTasksOnePerNode: {
          tasksMaxRunning: 1,
          warmUpRanOn: spread.warmUp,
          ...twoTasksDetail(spread.both),
        },
      },
    };
  } finally {
    await closeAll(closers);
  }
}
