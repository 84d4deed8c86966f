/**
 * Standalone lab runner:
 *
 *   tsx lab/cli.ts --count 500 --base-port 20000 [--host 127.0.0.1] [--latency 20]
 *     [--vendor mix|huawei_vrp|cisco_ios|h3c_comware|juniper_junos] [--username u --password p --enable-password e]
 *     [--host-key FILE] [--transport ssh|telnet] [--kind device|console_line]
 *     [--ssh-algorithms modern|legacy-only] [--auth password|keyboard-interactive-token --token T]
 *
 * Prints one JSON line `{"ready":true,"devices":[...]}` on stdout once every device listens, nothing else
 * on stdout; closes all servers and exits on SIGINT/SIGTERM. Bad flags: message on stderr, exit code 2.
 */
import { parseArgs } from 'node:util';

import { LAB_DEFAULTS, defaultLabFleet, generateHostKey, loadOrCreateHostKey, startLab } from './server';
import {
  LAB_AUTH_MODES,
  LAB_DEVICE_KINDS,
  LAB_SSH_ALGORITHMS,
  LAB_TRANSPORTS,
  LAB_VENDORS,
  type LabAuthMode,
  type LabDeviceKind,
  type LabSshAlgorithms,
  type LabTransport,
  type LabVendor,
} from './types';

const USAGE = `Usage: tsx lab/cli.ts [--count N] [--base-port P] [--host H] [--latency MS]
       [--vendor mix|${LAB_VENDORS.join('|')}] [--username U] [--password P] [--enable-password E]
       [--host-key FILE] [--transport ${LAB_TRANSPORTS.join('|')}] [--kind ${LAB_DEVICE_KINDS.join('|')}]
       [--ssh-algorithms ${LAB_SSH_ALGORITHMS.join('|')}] [--auth ${LAB_AUTH_MODES.join('|')}] [--token T]

  --transport telnet      every device speaks telnet with the vendor's own login (default ssh)
  --kind console_line     no login of its own; silent until Enter, then the device's prompt
  --ssh-algorithms legacy-only
                          offer only diffie-hellman-group1/14-sha1, ssh-rsa, aes128-cbc, hmac-sha1
  --auth keyboard-interactive-token
                          refuse password auth; keyboard-interactive asks Password: and Token: (--token)`;

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
  transport: LabTransport;
  kind: LabDeviceKind;
  sshAlgorithms: LabSshAlgorithms;
  auth: LabAuthMode;
  token?: string;
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

/** The value of --name when it is one of `choices`, else a usage error naming them. */
function choice<T extends string>(name: string, value: string | undefined, choices: readonly T[]): T {
  const v = value ?? choices[0];
  if (!(choices as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got '${v}'`);
  }
  return v as T;
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
        transport: { type: 'string' },
        kind: { type: 'string' },
        'ssh-algorithms': { type: 'string' },
        auth: { type: 'string' },
        token: { type: 'string' },
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
  for (const flag of ['username', 'password', 'enable-password', 'host', 'host-key', 'token'] as const) {
    if (values[flag] === '') throw new UsageError(`--${flag} must not be empty`);
  }
  const transport = choice('transport', values.transport, LAB_TRANSPORTS);
  const sshAlgorithms = choice('ssh-algorithms', values['ssh-algorithms'], LAB_SSH_ALGORITHMS);
  const auth = choice('auth', values.auth, LAB_AUTH_MODES);
  if (transport === 'telnet' && (sshAlgorithms !== 'modern' || auth !== 'password')) {
    throw new UsageError('--ssh-algorithms and --auth apply to --transport ssh only');
  }
  if (auth === 'keyboard-interactive-token' && values.token === undefined) {
    throw new UsageError('--auth keyboard-interactive-token needs --token');
  }
  return {
    transport,
    kind: choice('kind', values.kind, LAB_DEVICE_KINDS),
    sshAlgorithms,
    auth,
    token: values.token,
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
    transport: args.transport,
    kind: args.kind,
    sshAlgorithms: args.sshAlgorithms,
    auth: args.auth,
    ...(args.token !== undefined ? { token: args.token } : {}),
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
    transport: d.transport ?? 'ssh',
    kind: d.kind ?? 'device',
  }));
  process.stdout.write(`${JSON.stringify({ ready: true, devices })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`lab: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
