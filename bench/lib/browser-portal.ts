/**
 * The whole portal as a user's browser meets it, for bench/browser.ts: the production build (built
 * first when missing or older than its sources, as `npm start` does) behind the real server.ts, on a
 * fresh data directory and a free loopback port, with one device added through the REST API.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureProductionBuild } from '../../lib/server/build';
import { startNode, type ClusterNode } from '../../scripts/cluster';
import { freePort } from '../../tests/ports';
import { adminTokenCliArgs } from '../../tests/token-cli-args';
import { onInterrupt, ROOT } from './proc';

export const BROWSER_ADMIN_PASSWORD = 'bench-browser-admin-pw';

export interface BrowserPortal {
  url: string;
  pid: number;
  /** Add a device with a private key; returns its id. */
  addDevice(d: {
    name: string;
    host: string;
    port: number;
    username: string;
    privateKey: string;
  }): Promise<string>;
  close(): Promise<void>;
}

export async function startBrowserPortal(log: (m: string) => void): Promise<BrowserPortal> {
  ensureProductionBuild(ROOT, log);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sb-bench-browser-'));
  const env = {
    ADMIN_PASSWORD: BROWSER_ADMIN_PASSWORD,
    LAB: 'off',
    LOG_LEVEL: 'warn',
    // SQLite in its own data directory, whatever DATABASE_URL the shell has
    DATABASE_URL: `file:${path.join(dataDir, 'switchboard.db')}`,
  };
  let node: ClusterNode;
  try {
    node = await startNode({ nodeId: 'bench-browser', port: await freePort(), env, dataDir });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const stop = async () => {
    await node.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  const off = onInterrupt(stop);

  // a write token from the CLI a newcomer would use (against the same data directory)
  const { stdout } = await promisify(execFile)(
    process.execPath,
    adminTokenCliArgs('bench', ['--expires', '1d']),
    { cwd: ROOT, env: { ...process.env, ...env, DATA_DIR: dataDir, NODE_ENV: 'production' } },
  );
  const token = stdout.trim().split('\n').at(-1)!;

  return {
    url: node.url,
    pid: node.process.pid!,
    async addDevice(d) {
      const r = await fetch(`${node.url}/api/v1/devices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: d.name,
          host: d.host,
          port: d.port,
          vendor: 'generic',
          username: d.username,
          private_key: d.privateKey,
        }),
      });
      const body = (await r.json()) as { items?: { id: string }[] };
      if (r.status !== 201 || !body.items?.[0])
        throw new Error(`adding ${d.name}: ${r.status} ${JSON.stringify(body)}`);
      return body.items[0].id;
    },
    async close() {
      off();
      await stop();
    },
  };
}
