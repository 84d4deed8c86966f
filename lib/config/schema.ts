import { z } from 'zod';
import { isProxySpec, LOOPBACK_PROXIES } from '../auth/peer';

/** Every tunable the portal reads from the environment. Parsed once; nothing else reads process.env. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const onOff = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['on', 'off', 'true', 'false', '1', '0']))
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const port = z.coerce.number().int().min(0, 'must be 0-65535').max(65535, 'must be 0-65535');

const secret = z.string().min(32, 'must be at least 32 characters');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Where the SQLite file, generated secrets and the lab host key live. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** file:… (SQLite) or postgresql://…; defaults to file:<DATA_DIR>/switchboard.db */
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: or postgresql://')
    .optional(),
  /**
   * redis://… (or rediss://) turns on cluster mode: the event bus is Redis pub/sub, tasks go through
   * BullMQ, leases and limits are cluster-wide. Needs a postgresql:// DATABASE_URL and both secrets.
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  /** Every Redis key and channel of this portal starts with this (several portals may share a Redis). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,32}$/, 'must be 1-32 characters of A-Z a-z 0-9 . _ : -')
    .default('sb:'),
  /** This node's name in a cluster (logs, metrics, leases); default: host name and port. */
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 . _ : -')
    .optional(),
  /**
   * A node that stops renewing its lease for this long counts as gone: its tasks, device sessions
   * and status probing are taken over. Renewed every third of it.
   */
  NODE_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  /** Key material for the credential vault (AES-256-GCM). Generated into DATA_DIR if absent. */
  SWITCHBOARD_SECRET: secret.optional(),
  /** Signs session cookies. Generated into DATA_DIR if absent. */
  NEXTAUTH_SECRET: secret.optional(),
  /** Public URL of the portal, e.g. https://switchboard.example.net (used by next-auth). */
  NEXTAUTH_URL: z.url().optional(),
  /** Password for the first admin account; if absent one is generated and printed once. */
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  ADMIN_USERNAME: z
    .string()
    .regex(/^[a-z0-9._-]{3,32}$/, 'must be 3-32 characters of a-z 0-9 . _ -')
    .default('admin'),
  /** Start the built-in lab of simulated devices inside the portal. */
  LAB: onOff.default(true),
  LAB_HOST: z.string().min(1).default('127.0.0.1'),
  LAB_BASE_PORT: port.default(2301),
  LAB_DEVICES: z.coerce.number().int().min(1).max(1000).default(8),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** `auto`: readable lines on a terminal, JSON otherwise (a log collector); or force either. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  /** Extra origins allowed to open WebSockets (comma-separated), besides the portal's own host. */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  /** Trust X-Forwarded-For / X-Forwarded-Host from a reverse proxy. */
  TRUST_PROXY: onOff.default(false),
  /** Addresses / CIDRs of the reverse proxies whose X-Forwarded-For entries are believed. */
  TRUSTED_PROXIES: z
    .string()
    .default(LOOPBACK_PROXIES.join(','))
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isProxySpec), 'must be IP addresses or CIDRs, comma-separated'),
  /** A bearer token that opens /api/metrics from any address (unset: METRICS_ALLOW addresses only). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Addresses / CIDRs that may read /api/metrics without the token; "none" for no address. */
  METRICS_ALLOW: z
    .string()
    .default(LOOPBACK_PROXIES.join(','))
    .transform((s) =>
      s.trim().toLowerCase() === 'none'
        ? []
        : s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
    )
    .refine((list) => list.every(isProxySpec), 'must be IP addresses or CIDRs, comma-separated, or none'),
  /** Failed sign-ins in a row, per account and address, before each further attempt must wait. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** A streak of failed sign-ins is forgotten after this long without a new failure. */
  LOGIN_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(24 * 60 * 60_000),
  /** The first wait after the free failures; each further failure doubles it. */
  LOGIN_BACKOFF_BASE_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60 * 60_000)
    .default(1000),
  /** The longest wait between sign-in attempts after failures (the wait doubles from the base up to this). */
  LOGIN_BACKOFF_MAX_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(15 * 60_000),
  WS_MAX_FRAME_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
  WS_HEARTBEAT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Open WebSockets one user may hold, every channel together; more are refused with 429. */
  WS_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(50),
  /** Open WebSockets one client address may hold (behind a proxy: see TRUSTED_PROXIES); more get 429. */
  WS_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /** How long a terminal session outlives its socket, waiting for the page to come back. */
  TERMINAL_RESUME_GRACE_MS: z.coerce.number().int().min(0).default(120_000),
  /** How long a command held by a guard-rail rule waits for a second person's approval (lib/policy/approvals.ts). */
  GUARD_APPROVAL_TIMEOUT_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  /** A terminal idle this long is closed (what counts as activity: TERMINAL_IDLE_COUNTS). */
  TERMINAL_IDLE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(30 * 60_000),
  /** `input-and-output`: a session watching `top` is not idle; `input`: only typing counts. */
  TERMINAL_IDLE_COUNTS: z.enum(['input-and-output', 'input']).default('input-and-output'),
  /**
   * Keep a screen model of each terminal session (xterm headless, in a worker thread), so that a
   * reloaded page starts from the exact screen (off: from the last 256 K characters of output).
   */
  TERMINAL_SCREEN_MODEL: onOff.default(true),
  TERMINAL_MAX_SESSIONS_PER_USER: z.coerce.number().int().min(1).max(1000).default(20),
  /** Network devices often allow only 5 VTY lines. */
  DEVICE_MAX_SESSIONS: z.coerce.number().int().min(1).max(1000).default(5),
  /**
   * How far the JavaScript heap may grow past what the last full garbage collection kept before the
   * next one starts, in percent (lib/server/heap.ts); 0 leaves it to V8.
   */
  HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1000).default(100),
  /** Tasks running at once on this node. */
  TASKS_MAX_RUNNING: z.coerce.number().int().min(1).max(100).default(4),
  /** At start-up, resume tasks a stopped server left unfinished (off: mark them interrupted). */
  TASKS_RESUME_ON_START: onOff.default(true),
  /** How often every device's reachability is probed. */
  STATUS_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  /** A probe (TCP connect + SSH banner) that takes longer than this has failed. */
  STATUS_PROBE_TIMEOUT_MS: z.coerce.number().int().min(50).default(5_000),
  STATUS_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
  /** Consecutive failed probes before a device counts as offline (one lost probe is not an outage). */
  STATUS_OFFLINE_AFTER: z.coerce.number().int().min(1).max(100).default(2),
  /** Consecutive good probes before an offline device counts as online again. */
  STATUS_ONLINE_AFTER: z.coerce.number().int().min(1).max(100).default(1),
  /** Requests one API token may make per minute (bursts up to the same number); more get 429. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** How often output history older than the admin's retention (Admin → Settings) is purged. */
  OUTPUT_PURGE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(60_000)
    .default(6 * 60 * 60_000),
  /** Record every terminal session (asciicast; a device group may turn it off for its devices). */
  RECORDINGS: onOff.default(true),
  /** Uncompressed bytes per recording; past it the recording stops (marked) and the session goes on. */
  RECORDING_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(4 * 1024 * 1024 * 1024)
    .default(256 * 1024 * 1024),
  /** Recordings older than this many days are deleted (0: kept for ever). */
  RECORDING_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  /** Keep the user's keystrokes in recordings too (off: passwords typed at prompts never reach them). */
  RECORDING_INPUT: onOff.default(false),
  /**
   * Where recordings are kept: `directory` (DATA_DIR/recordings), `database` (the RecordingChunk
   * table: every node of a cluster reads it), or `auto`: the database when DATABASE_URL is
   * PostgreSQL, the directory otherwise.
   */
  RECORDING_STORE: z.enum(['auto', 'directory', 'database']).default('auto'),
  /** Largest JSON body the REST API reads; larger ones get 413. */
  API_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(16 * 1024 * 1024),
});

export type EnvInput = z.input<typeof envSchema>;
export type Env = z.output<typeof envSchema>;

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Pure parse of an environment record; throws ConfigError listing every bad variable. */
export function parseEnv(env: Record<string, string | undefined>): Env {
  // Treat empty strings as unset, as shells and .env files often leave them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}
