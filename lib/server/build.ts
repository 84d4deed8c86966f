import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SOURCES = ['app', 'lib', 'public', 'next.config.mjs', 'postcss.config.mjs', 'proxy.ts', 'package.json'];
const SKIP = new Set(['node_modules', '.next', 'data']);

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(p)) {
    if (SKIP.has(e) || e.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, e)));
  }
  return newest;
}

/** Whether the production build is missing or older than the sources it was built from. */
export function buildIsStale(root: string): boolean {
  const marker = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(marker)) return true;
  const built = statSync(marker).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

/** `npm start` on a fresh checkout builds first; later starts reuse the build while it is current. */
export function ensureProductionBuild(root: string, log: (msg: string) => void): void {
  if (!buildIsStale(root)) return;
  log('building the web app (next build: 20 s on a fast machine, up to two minutes on 2 cores); its progress follows');
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    },
  );
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status})`);
  log(`web app built in ${Math.round((Date.now() - started) / 1000)} s`);
}
