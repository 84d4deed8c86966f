/**
 * SSH servers for the simulated devices: one ssh2 Server per device on its own port, password
 * authentication, shell and exec channels, fault injection, and a clean, bounded shutdown.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateEd25519KeyPair } from '../lib/devices/keys';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import path from 'node:path';

import ssh2 from 'ssh2';
import type { Connection, ServerChannel, Session } from 'ssh2';

import { H3C_PAGER_PROMPT, H3cCli } from './cli-h3c';
import { IOS_PAGER_PROMPT, IosCli } from './cli-ios';
import { JUNOS_PAGER_PROMPT, JunosCli } from './cli-junos';
import { VRP_PAGER_PROMPT, VrpCli } from './cli-vrp';
import { createDeviceModel, safeEqual, type CliMachine, type LabDeviceModel } from './model';
import {
  LabShellSession,
  runExecCommand,
  runFlood,
  runHungSession,
  SHELL_DEFAULT_ROWS,
  type SessionFaults,
} from './shell';
import type { LabDeviceSpec, LabFaults, LabVendor, RunningLabDevice } from './types';

const { Server: SshServer, utils: sshUtils } = ssh2;

export const LAB_DEFAULTS = {
  /** Interface the devices listen on unless told otherwise. */
  HOST: '127.0.0.1',
  /** Terminal rows when the client sends no pty size. */
  DEFAULT_ROWS: SHELL_DEFAULT_ROWS,
  /** Devices started by the CLI runner without --count. */
  DEFAULT_COUNT: 8,
  USERNAME: 'lab',
  PASSWORD: 'lab-password',
  ENABLE_PASSWORD: 'lab-enable',
  /** ssh2 `ident` values (ssh2 prepends `SSH-2.0-`). */
  VRP_IDENT: 'HUAWEI-1.5',
  IOS_IDENT: 'Cisco-1.25',
  H3C_IDENT: 'Comware-7.1.070',
  /** Junos runs OpenSSH: its ident does not name the vendor (detection has to look at the prompt). */
  JUNOS_IDENT: 'OpenSSH_7.5',
  VRP_PAGER_PROMPT,
  IOS_PAGER_PROMPT,
  H3C_PAGER_PROMPT,
  JUNOS_PAGER_PROMPT,
  /** close(): how long connected clients get to go away after the disconnect before being destroyed. */
  CLOSE_GRACE_MS: 300,
  /** Device name of the fleet member that talks GBK. */
  GBK_DEVICE: 'lab-vrp-02',
} as const;

export interface LabServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Host private key (OpenSSH/PEM text or Buffer), shared by all devices. */
  hostKey: string | Buffer;
}

export type LabDeviceHandle = RunningLabDevice & { close(): Promise<void> };

export interface RunningLab {
  devices: RunningLabDevice[];
  /** Take a device down (listener closed, sessions dropped) or bring it back on the same port, like a reboot. */
  setUp(name: string, up: boolean): Promise<boolean>;
  isUp(name: string): boolean;
  close(): Promise<void>;
}

/** ssh2 `ident` for a vendor: the server sends `SSH-2.0-<ident>`. */
export function identFor(vendor: LabVendor): string {
  switch (vendor) {
    case 'huawei_vrp':
      return LAB_DEFAULTS.VRP_IDENT;
    case 'cisco_ios':
      return LAB_DEFAULTS.IOS_IDENT;
    case 'h3c_comware':
      return LAB_DEFAULTS.H3C_IDENT;
    case 'juniper_junos':
      return LAB_DEFAULTS.JUNOS_IDENT;
  }
}

function createMachine(spec: LabDeviceSpec, model: LabDeviceModel, username: string): CliMachine {
  switch (spec.vendor) {
    case 'huawei_vrp':
      return new VrpCli(model);
    case 'cisco_ios':
      return new IosCli(model, { enableSecret: spec.enablePassword ?? spec.password });
    case 'h3c_comware':
      return new H3cCli(model);
    case 'juniper_junos':
      return new JunosCli(model, { username });
  }
}

/** The faults a shell or exec session applies itself. */
function sessionFaults(faults: LabFaults): SessionFaults {
  const { dropAfterEnable, dropOnCommand, promptOverride } = faults;
  return { dropAfterEnable, dropOnCommand, promptOverride };
}

/**
 * Destroys the socket once what was written is on its way, so a fault that cuts the connection mid-output
 * still delivers the part it promised (ssh2 hands its packets to the socket on a later tick).
 */
function destroySoon(socket: Socket | undefined): void {
  if (!socket) return;
  setImmediate(() => {
    if (socket.writableLength === 0) socket.destroy();
    else socket.once('drain', () => socket.destroy());
  });
}

const noop = (): void => {};

/** Starts one simulated device. Port 0 picks a free port; the returned `port` is the real one. */
export async function startLabDevice(spec: LabDeviceSpec, opts: LabServerOptions): Promise<LabDeviceHandle> {
  const host = opts.host ?? LAB_DEFAULTS.HOST;
  const faults = spec.faults ?? {};
  const encoding = spec.encoding ?? 'utf-8';
  const model = createDeviceModel(spec.vendor, spec.name);
  const sockets = new Set<Socket>();
  const socketsByPeer = new Map<string, Socket>();
  const connections = new Set<Connection>();
  const timers = new Set<NodeJS.Timeout>();

  const ssh = new SshServer({ hostKeys: [opts.hostKey], ident: identFor(spec.vendor) }, (client, info) => {
    connections.add(client);
    const socket = (): Socket | undefined => socketsByPeer.get(`${info.ip}:${info.port}`);
    let username = spec.username;
    client.on('error', noop);
    client.on('close', () => connections.delete(client));

    client.on('authentication', (ctx) => {
      if (ctx.method !== 'password' || faults.refuseLogin) {
        ctx.reject(['password']);
        return;
      }
      const userOk = safeEqual(ctx.username, spec.username);
      const passOk = safeEqual(ctx.password, spec.password);
      if (userOk && passOk) {
        username = ctx.username;
        ctx.accept();
      } else ctx.reject(['password']);
    });

    client.on('ready', () => {
      if (faults.dropAfterMs !== undefined) {
        const s = socket();
        const timer = setTimeout(() => {
          timers.delete(timer);
          s?.destroy();
        }, faults.dropAfterMs);
        timers.add(timer);
        client.on('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
      }
      const drop = (): void => destroySoon(socket());
      client.on('session', (accept) => handleSession(accept(), client, username, drop));
    });
  });
  ssh.on('error', noop);

  const handleSession = (session: Session, client: Connection, username: string, drop: () => void): void => {
    let rows: number = LAB_DEFAULTS.DEFAULT_ROWS;
    let shell: LabShellSession | undefined;
    session.on('error', noop);
    session.on('pty', (accept, _reject, info) => {
      rows = info.rows || LAB_DEFAULTS.DEFAULT_ROWS;
      accept?.();
    });
    session.on('window-change', (accept, _reject, info) => {
      rows = info.rows || LAB_DEFAULTS.DEFAULT_ROWS;
      shell?.setRows(rows);
      accept?.();
    });
    session.on('env', (accept) => accept?.());
    session.on('shell', (accept) => {
      const stream: ServerChannel = accept();
      stream.on('error', noop);
      if (faults.hang === 'session') {
        runHungSession(stream);
        return;
      }
      if (faults.flood) {
        runFlood(stream, spec.vendor, model.hostname, encoding);
        return;
      }
      model.activeSessions++;
      let counted = true;
      const release = (): void => {
        if (counted) model.activeSessions--;
        counted = false;
      };
      stream.on('close', release);
      shell = new LabShellSession(stream, createMachine(spec, model, username), {
        encoding,
        latencyMs: spec.latencyMs,
        rows,
        faults: sessionFaults(faults),
        drop,
        // Real devices drop the connection when the CLI session ends (quit / exit / logout).
        onExit: () => {
          release();
          const t = setTimeout(() => {
            timers.delete(t);
            client.end();
          }, 10);
          timers.add(t);
        },
      });
      shell.start();
    });
    session.on('exec', (accept, reject, info) => {
      if (faults.hang === 'session') {
        runHungSession(accept());
        return;
      }
      const stream = accept();
      stream.on('error', noop);
      runExecCommand(stream, createMachine(spec, model, username), info.command, {
        encoding,
        latencyMs: spec.latencyMs,
        faults: sessionFaults(faults),
        drop,
      });
    });
  };

  const tcp: NetServer = createServer((socket) => {
    sockets.add(socket);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    socketsByPeer.set(peer, socket);
    socket.on('error', noop);
    socket.on('close', () => {
      sockets.delete(socket);
      socketsByPeer.delete(peer);
    });
    socket.setNoDelay(true);
    // 'connect' hang: TCP accepted, but no SSH identification is ever sent.
    if (faults.hang === 'connect') return;
    ssh.injectSocket(socket);
  });
  tcp.on('error', noop);

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    tcp.once('error', onError);
    tcp.listen({ port: spec.port, host }, () => {
      tcp.removeListener('error', onError);
      resolve();
    });
  });
  const address = tcp.address();
  const port = typeof address === 'object' && address ? address.port : spec.port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      tcp.close(() => resolve());
      for (const c of connections) {
        try {
          c.end();
        } catch {
          // already gone
        }
      }
      for (const s of sockets) {
        // Sockets without an SSH session on top (hung, mid-handshake) just get a FIN.
        if (!s.destroyed) s.end();
      }
      if (sockets.size > 0) {
        const t = setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, LAB_DEFAULTS.CLOSE_GRACE_MS);
        t.unref();
      }
    });
    return closing;
  };

  return { ...spec, encoding, port, host, close };
}

/** Starts many devices in parallel (each its own server and port). Fails as a whole: nothing left running. */
export async function startLab(specs: readonly LabDeviceSpec[], opts: LabServerOptions): Promise<RunningLab> {
  const settled = await Promise.allSettled(specs.map((s) => startLabDevice(s, opts)));
  const started = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((d) => d.close()));
    throw failed.reason;
  }
  const devices: RunningLabDevice[] = started.map((d) => {
    const device: RunningLabDevice & { close?: unknown } = { ...d };
    delete device.close;
    return device;
  });
  const handles = new Map<string, LabDeviceHandle | null>(started.map((d) => [d.name, d]));
  let closing: Promise<void> | undefined;
  return {
    devices,
    isUp: (name) => Boolean(handles.get(name)),
    async setUp(name, up) {
      if (!handles.has(name) || closing) return false;
      const current = handles.get(name);
      if (up && !current) {
        const spec = devices.find((d) => d.name === name)!;
        handles.set(name, await startLabDevice({ ...spec, port: spec.port }, opts));
      } else if (!up && current) {
        handles.set(name, null);
        await current.close();
      }
      return true;
    },
    close: () =>
      (closing ??= Promise.all([...handles.values()].map((d) => d?.close())).then(() => undefined)),
  };
}

/** Generates an ed25519 host key (OpenSSH private key text). */
export function generateHostKey(): string {
  return generateEd25519KeyPair().private;
}

/**
 * Reads the host key from `file`, or creates it (ed25519, OpenSSH format, mode 0600, parent directories
 * created) when it does not exist yet.
 */
export function loadOrCreateHostKey(file: string): string {
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    const parsed = sshUtils.parseKey(text);
    if (parsed instanceof Error) throw new Error(`Invalid lab host key in ${file}: ${parsed.message}`);
    return text;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = generateHostKey();
  writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

export interface LabCredentials {
  username: string;
  password: string;
  enablePassword: string;
}

/** Device name prefix per vendor: lab-vrp-01, lab-ios-01, lab-h3c-01, lab-junos-01. */
const FLEET_NAMES: Record<LabVendor, string> = {
  huawei_vrp: 'vrp',
  cisco_ios: 'ios',
  h3c_comware: 'h3c',
  juniper_junos: 'junos',
};

/**
 * `count` devices alternating VRP / IOS: lab-vrp-01, lab-ios-01, lab-vrp-02, ... on port 0 (callers set
 * ports). lab-vrp-02 talks GBK. `vendor` restricts the fleet to one personality (any of LAB_VENDORS);
 * 'mix' stays VRP / IOS only, as the portal's seeded inventory and its tests expect.
 */
export function defaultLabFleet(
  count: number,
  creds: LabCredentials,
  vendor: 'mix' | LabVendor = 'mix',
): LabDeviceSpec[] {
  const specs: LabDeviceSpec[] = [];
  const counters: Record<LabVendor, number> = {
    huawei_vrp: 0,
    cisco_ios: 0,
    h3c_comware: 0,
    juniper_junos: 0,
  };
  for (let i = 0; i < count; i++) {
    const v: LabVendor = vendor === 'mix' ? (i % 2 === 0 ? 'huawei_vrp' : 'cisco_ios') : vendor;
    const n = ++counters[v];
    const name = `lab-${FLEET_NAMES[v]}-${String(n).padStart(2, '0')}`;
    specs.push({
      name,
      vendor: v,
      port: 0,
      username: creds.username,
      password: creds.password,
      ...(v === 'cisco_ios' ? { enablePassword: creds.enablePassword } : {}),
      encoding: name === LAB_DEFAULTS.GBK_DEVICE ? 'gbk' : 'utf-8',
    });
  }
  return specs;
}
