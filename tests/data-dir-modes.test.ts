import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './helpers';

/** A loopback port nobody listens on right now (for the lab's one device). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Start the runtime from the environment as server.ts does, wait until it is up, then stop it. */
async function runRuntimeOnce(dataDir: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tests', 'fixtures', 'runtime-child.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        SWITCHBOARD_SECRET: '',
        NEXTAUTH_SECRET: '',
        ADMIN_PASSWORD: 'modes-admin-password',
        LAB: 'on',
        LAB_DEVICES: '1',
        LAB_BASE_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('runtime-ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`runtime exited early (${code}): ${err}`)));
  });
  // the files as they are while the portal runs (the WAL exists only while the database is open)
  const modes = snapshot(dataDir);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await exited;
  lastModes = modes;
}

let lastModes: Record<string, number> = {};
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshParent(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-modes-'));
  made.push(dir);
  return dir;
}

function snapshot(dataDir: string): Record<string, number> {
  const out: Record<string, number> = { '.': statSync(dataDir).mode & 0o777 };
  for (const f of [
    'switchboard.db',
    'switchboard.db-wal',
    'switchboard.db-shm',
    'secrets.json',
    'lab.json',
  ]) {
    const p = path.join(dataDir, f);
    if (existsSync(p)) out[f] = statSync(p).mode & 0o777;
  }
  return out;
}

const PRIVATE = {
  '.': 0o700,
  'switchboard.db': 0o600,
  'switchboard.db-wal': 0o600,
  'secrets.json': 0o600,
  'lab.json': 0o600,
};

describe('the data directory is private to the portal', () => {
  it('a fresh DATA_DIR is 0700 and the database, WAL, secrets and lab credentials are 0600', async () => {
    const dataDir = path.join(freshParent(), 'data');
    await runRuntimeOnce(dataDir);
    expect(lastModes).toMatchObject(PRIVATE);
    for (const [f, mode] of Object.entries(lastModes))
      expect(mode & 0o077, `${f} is ${mode.toString(8)}`).toBe(0);
  }, 60_000);

  it('an existing world-readable DATA_DIR and its files are tightened at start-up', async () => {
    const dataDir = path.join(freshParent(), 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    await runRuntimeOnce(dataDir); // creates the files
    chmodSync(dataDir, 0o755);
    for (const f of ['switchboard.db', 'secrets.json', 'lab.json']) chmodSync(path.join(dataDir, f), 0o644);
    writeFileSync(path.join(dataDir, 'switchboard.db-wal'), '', { mode: 0o644 });
    chmodSync(path.join(dataDir, 'switchboard.db-wal'), 0o644);
    await runRuntimeOnce(dataDir);
    expect(lastModes).toMatchObject(PRIVATE);
    for (const [f, mode] of Object.entries(lastModes))
      expect(mode & 0o077, `${f} is ${mode.toString(8)}`).toBe(0);
  }, 60_000);
});
