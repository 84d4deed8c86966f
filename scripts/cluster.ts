/**
 * Several portal nodes on this machine, one cluster: `npm run cluster -- --nodes 2 --base-port 3100`.
 *
 * Every node shares DATABASE_URL (postgresql://) and REDIS_URL and the two secrets; each has its own
 * NODE_ID (node-1, node-2, …), PORT (base, base + 1, …) and DATA_DIR (data/cluster/node-N). The first
 * node runs the device lab (LAB=on), the others reach its devices like any other device. The web app
 * is built once here; the nodes skip the build check (`--no-build`).
 *
 * Required in the environment: DATABASE_URL, REDIS_URL, SWITCHBOARD_SECRET, NEXTAUTH_SECRET (32+
 * characters). Everything else is passed through (ADMIN_PASSWORD, LOG_LEVEL, NODE_LEASE_MS, …).
 * Ctrl-C stops every node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface ClusterNode {
  nodeId: string;
  port: number;
  url: string;
  process: ChildProcess;
  /** Everything the node printed (stdout and stderr), for a test's failure message. */
  output(): string;
  /** Until the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM (a graceful stop) or SIGKILL (a crash). */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** How long a node may take from spawn to answering /api/health (tsx, migrations, Next's prepare). */
export const NODE_START_TIMEOUT_MS = 90_000;

/**
 * Start one node (server.ts under tsx) with `env` on top of this process's environment; resolves once
 * it answers /api/health, rejects with its output if it exits or takes too long.
 */
export async function startNode(opts: {
  nodeId: string;
  port: number;
  env: Record<string, string>;
  dataDir: string;
  host?: string;
}): Promise<ClusterNode> {
  const host = opts.host ?? '127.0.0.1';
  mkdirSync(opts.dataDir, { recursive: true });
  // node with tsx's loader, not the tsx command: that one runs the server in a child process of its
  // own, and a SIGKILL (a test's crash) would kill only the wrapper and leave the node running
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts', '--no-build'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      LOG_FORMAT: 'json',
      ...opts.env,
      NODE_ID: opts.nodeId,
      PORT: String(opts.port),
      HOST: host,
      DATA_DIR: opts.dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (b: Buffer) => {
    output += b.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://${host}:${opts.port}`;
  const node: ClusterNode = {
    nodeId: opts.nodeId,
    port: opts.port,
    url,
    process: child,
    output: () => output,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + NODE_START_TIMEOUT_MS;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`node ${opts.nodeId} exited while starting:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) {
      await node.kill('SIGKILL');
      throw new Error(
        `node ${opts.nodeId} did not answer within ${NODE_START_TIMEOUT_MS} ms:\n${output.slice(-4000)}`,
      );
    }
    try {
      const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (r.ok) return node;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '2' },
      'base-port': { type: 'string', default: '3100' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const count = Number(values.nodes);
  const basePort = Number(values['base-port']);
  if (!Number.isInteger(count) || count < 1 || count > 16) throw new Error('--nodes must be 1-16');
  if (!Number.isInteger(basePort) || basePort < 1 || basePort + count > 65535)
    throw new Error('--base-port must leave room for every node');
  const missing = ['DATABASE_URL', 'REDIS_URL', 'SWITCHBOARD_SECRET', 'NEXTAUTH_SECRET'].filter(
    (k) => !process.env[k],
  );
  if (missing.length > 0)
    throw new Error(`set ${missing.join(', ')} (the same on every node; see the README's cluster section)`);

  const { ensureProductionBuild } = await import('../lib/server/build');
  ensureProductionBuild(ROOT, (m) => console.log(m));

  const nodes: ClusterNode[] = [];
  const stopAll = async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
    process.exit(0);
  };
  process.once('SIGINT', () => void stopAll());
  process.once('SIGTERM', () => void stopAll());
  for (let i = 0; i < count; i++) {
    const nodeId = `node-${i + 1}`;
    // nodes start one after another: the first migrates the database, the rest find it current
    const node = await startNode({
      nodeId,
      port: basePort + i,
      host: values.host,
      dataDir: path.join(ROOT, 'data', 'cluster', nodeId),
      env: { LAB: i === 0 ? (process.env.LAB ?? 'on') : 'off' },
    });
    node.process.stdout!.pipe(process.stdout);
    node.process.stderr!.pipe(process.stderr);
    nodes.push(node);
    console.log(`${nodeId} ready at ${node.url}`);
    void node.exited.then((code) => console.log(`${nodeId} exited (${code})`));
  }
  console.log(`\n  ${count} nodes: ${nodes.map((n) => n.url).join('  ')}  (Ctrl-C stops them)\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
