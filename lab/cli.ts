/**
 * Standalone lab runner:
 *
 *   tsx lab/cli.ts --count 500 --base-port 20000 [--host 127.0.0.1] [--latency 20]
 *     [--vendor mix|huawei_vrp|cisco_ios|h3c_comware|juniper_junos] [--username u --password p --enable-password e]
 *     [--host-key FILE]
 *
 * Prints one JSON line `{"ready":true,"devices":[...]}` on stdout once every device listens, nothing else
 * on stdout; closes all servers and exits on SIGINT/SIGTERM. Bad flags: message on stderr, exit code 2.
 */
import { parseArgs } from 'node:util';

import { LAB_DEFAULTS, defaultLabFleet, generateHostKey, loadOrCreateHostKey, startLab } from './server';
import { LAB_VENDORS, type LabVendor } from './types';

const USAGE = `Usage: tsx lab/cli.ts [--count N] [--base-port P] [--host H] [--latency MS]
       [--vendor mix|${LAB_VENDORS.join('|')}] [--username U] [--password P] [--enable-password E]
       [--host-key FILE]`;

interface RunnerArgs {
  count: number;
  basePort: number;
  host: string;
  latency: number;
  vendor: 'mix' | LabVendor;
  username: string;
  password: string;
  enablePassword: string;
  hostKeyFile?: string;
}

class UsageError extends Error {}

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be an integer, got '${value}'`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function isVendorChoice(value: string): value is 'mix' | LabVendor {
  return value === 'mix' || (LAB_VENDORS as readonly string[]).includes(value);
}

function parseRunnerArgs(argv: string[]): RunnerArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        count: { type: 'string' },
        'base-port': { type: 'string' },
        host: { type: 'string' },
        latency: { type: 'string' },
        vendor: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        'enable-password': { type: 'string' },
        'host-key': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const count = integer('count', values.count, LAB_DEFAULTS.DEFAULT_COUNT, 1, 10_000);
  const basePort = integer('base-port', values['base-port'], 0, 0, 65535);
  if (basePort > 0 && basePort + count - 1 > 65535) {
    throw new UsageError(`--base-port ${basePort} leaves no room for ${count} devices`);
  }
  const vendor = values.vendor ?? 'mix';
  if (!isVendorChoice(vendor)) {
    throw new UsageError(`--vendor must be one of mix, ${LAB_VENDORS.join(', ')}; got '${vendor}'`);
  }
  for (const flag of ['username', 'password', 'enable-password', 'host', 'host-key'] as const) {
    if (values[flag] === '') throw new UsageError(`--${flag} must not be empty`);
  }
  return {
    count,
    basePort,
    host: values.host ?? LAB_DEFAULTS.HOST,
    latency: integer('latency', values.latency, 0, 0, 600_000),
    vendor,
    username: values.username ?? LAB_DEFAULTS.USERNAME,
    password: values.password ?? LAB_DEFAULTS.PASSWORD,
    enablePassword: values['enable-password'] ?? LAB_DEFAULTS.ENABLE_PASSWORD,
    hostKeyFile: values['host-key'],
  };
}

async function main(): Promise<void> {
  let args: RunnerArgs;
  try {
    args = parseRunnerArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`lab: ${err.message}\n${USAGE}\n`);
      process.exit(2);
    }
    throw err;
  }

  const specs = defaultLabFleet(args.count, args, args.vendor).map((s, i) => ({
    ...s,
    port: args.basePort > 0 ? args.basePort + i : 0,
    latencyMs: args.latency,
  }));
  const hostKey = args.hostKeyFile ? loadOrCreateHostKey(args.hostKeyFile) : generateHostKey();
  const lab = await startLab(specs, { host: args.host, hostKey });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    lab.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`lab: error while closing: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const devices = lab.devices.map((d) => ({
    name: d.name,
    vendor: d.vendor,
    host: d.host,
    port: d.port,
    encoding: d.encoding ?? 'utf-8',
    username: d.username,
  }));
  process.stdout.write(`${JSON.stringify({ ready: true, devices })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`lab: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
