import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv, type Env } from './schema';

import { ConfigError } from './schema';

export { ConfigError, parseEnv, type Env } from './schema';

export interface Config extends Omit<
  Env,
  'DATABASE_URL' | 'SWITCHBOARD_SECRET' | 'NEXTAUTH_SECRET' | 'NODE_ID'
> {
  DATA_DIR: string;
  DATABASE_URL: string;
  NODE_ID: string;
  SWITCHBOARD_SECRET: string;
  NEXTAUTH_SECRET: string;
  /** Which secrets were generated on this start (for a one-line notice, never the values). */
  generatedSecrets: string[];
}

interface StoredSecrets {
  SWITCHBOARD_SECRET?: string;
  NEXTAUTH_SECRET?: string;
}

const SECRETS_FILE = 'secrets.json';

/**
 * Secrets not given in the environment are generated once and kept in DATA_DIR/secrets.json
 * (mode 0600), so sessions and encrypted credentials survive a restart.
 */
function resolveSecrets(
  env: Env,
  dataDir: string,
): { secrets: Required<StoredSecrets>; generated: string[] } {
  const file = path.join(dataDir, SECRETS_FILE);
  let stored: StoredSecrets = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  const generated: string[] = [];
  const pick = (key: keyof StoredSecrets): string => {
    const given = env[key];
    if (given) return given;
    if (stored[key]) return stored[key];
    generated.push(key);
    stored[key] = randomBytes(32).toString('base64url');
    return stored[key];
  };
  const secrets = {
    SWITCHBOARD_SECRET: pick('SWITCHBOARD_SECRET'),
    NEXTAUTH_SECRET: pick('NEXTAUTH_SECRET'),
  };
  if (generated.length > 0) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { secrets, generated };
}

/**
 * Cluster mode (REDIS_URL) shares one database and one set of secrets between nodes: a secret
 * generated into one node's DATA_DIR would differ on the next node (sessions refused there,
 * credentials undecryptable), and a SQLite file cannot be shared between machines.
 */
function clusterIssues(env: ReturnType<typeof parseEnv>): string[] {
  if (!env.REDIS_URL) return [];
  const issues: string[] = [];
  for (const key of ['SWITCHBOARD_SECRET', 'NEXTAUTH_SECRET'] as const)
    if (!env[key])
      issues.push(`${key}: required in cluster mode (REDIS_URL is set): give every node the same value`);
  if (!env.DATABASE_URL || !/^postgres(ql)?:\/\//.test(env.DATABASE_URL))
    issues.push('DATABASE_URL: cluster mode (REDIS_URL is set) needs a shared postgresql:// database');
  return issues;
}

export function buildConfig(source: Record<string, string | undefined>): Config {
  const env = parseEnv(source);
  const issues = clusterIssues(env);
  if (issues.length > 0) throw new ConfigError(issues);
  const dataDir = path.resolve(env.DATA_DIR);
  const { secrets, generated } = resolveSecrets(env, dataDir);
  return {
    ...env,
    DATA_DIR: dataDir,
    DATABASE_URL: env.DATABASE_URL ?? `file:${path.join(dataDir, 'switchboard.db')}`,
    NODE_ID: env.NODE_ID ?? `${hostname()}:${env.PORT}`,
    ...secrets,
    generatedSecrets: generated,
  };
}

/**
 * DATA_DIR holds the database (with every device credential, encrypted, and the audit log), the
 * generated secrets and the lab's credentials: only the portal's own user may read it. The umask
 * covers files created later by others (SQLite's -wal and -shm, the lab host key); the chmods
 * tighten a directory left open by an older version.
 */
export function makeDataDirPrivate(dataDir: string): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  for (const name of readdirSync(dataDir)) {
    // only the portal's own files: DATA_DIR may be a directory shared with other things
    if (PORTAL_FILES.test(name)) chmodSync(path.join(dataDir, name), 0o600);
  }
}

/** What the portal keeps in DATA_DIR: the SQLite database and its companions, secrets, the lab's files. */
const PORTAL_FILES = /^(switchboard\.db(-wal|-shm|-journal)?|secrets\.json|lab\.json|lab_host_key)$/;

const globalForConfig = globalThis as unknown as { __switchboardConfig?: Config };

/**
 * The process-wide configuration. server.ts loads it first and exports the resolved secrets into
 * process.env, so Next's bundles (a separate module instance) resolve exactly the same values.
 */
export function getConfig(): Config {
  if (!globalForConfig.__switchboardConfig) {
    // before anything is written to DATA_DIR (the secrets file, just below)
    makeDataDirPrivate(path.resolve(parseEnv(process.env).DATA_DIR));
    const config = buildConfig(process.env);
    process.env.NEXTAUTH_SECRET = config.NEXTAUTH_SECRET;
    process.env.SWITCHBOARD_SECRET = config.SWITCHBOARD_SECRET;
    process.env.DATABASE_URL = config.DATABASE_URL;
    globalForConfig.__switchboardConfig = config;
  }
  return globalForConfig.__switchboardConfig;
}
