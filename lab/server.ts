/**
 * Servers for the simulated devices: one listener per device on its own port, speaking SSH (ssh2 Server:
 * password or keyboard-interactive authentication, modern or legacy-only algorithms, shell and exec
 * channels) or telnet (the vendor's own login, then the same CLI session), fault injection, console-line
 * devices, and a clean, bounded shutdown.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateEd25519KeyPair } from '../lib/devices/keys';
import { hostSigningKey } from './host-key';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import path from 'node:path';

import ssh2 from 'ssh2';
import type { AuthContext, Connection, ServerChannel, ServerConfig, Session } from 'ssh2';

import { H3C_PAGER_PROMPT, H3cCli } from './cli-h3c';
import { IOS_PAGER_PROMPT, IosCli } from './cli-ios';
import { JUNOS_PAGER_PROMPT, JunosCli } from './cli-junos';
import { VRP_PAGER_PROMPT, VrpCli } from './cli-vrp';
import { TelnetLogin, credentialCheck, telnetLoginText } from './login';
import { createDeviceModel, safeEqual, type CliMachine, type LabDeviceModel } from './model';
import {
  LabShellSession,
  runExecCommand,
  runFlood,
  runHungSession,
  SHELL_DEFAULT_ROWS,
  type SessionFaults,
  type ShellGreeting,
  type ShellStream,
} from './shell';
import { serveTelnet } from './telnet-server';
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
  /** Keyboard-interactive prompts of an `auth: 'keyboard-interactive-token'` device. */
  KI_PASSWORD_PROMPT: 'Password: ',
  KI_TOKEN_PROMPT: 'Token: ',
  /** Size of the RSA host key generated for legacy-only devices. */
  LEGACY_RSA_BITS: 2048,
} as const;

/**
 * What a `sshAlgorithms: 'legacy-only'` device offers, and all it offers: an old IOS / VRP image's
 * key exchanges, an ssh-rsa host key, CBC and SHA-1 MACs. A client with today's defaults cannot agree.
 */
export const LEGACY_SSH_ALGORITHMS = {
  kex: ['diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1'],
  serverHostKey: ['ssh-rsa'],
  cipher: ['aes128-cbc'],
  hmac: ['hmac-sha1'],
  compress: ['none'],
} as const;

export interface LabServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Host private key (OpenSSH/PEM text or Buffer), shared by all modern-SSH devices. */
  hostKey: string | Buffer;
  /**
   * RSA host key of legacy-only devices (old images have no ed25519); default one generated once per
   * process (see legacyHostKey()).
   */
  legacyHostKey?: string | Buffer;
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

let generatedLegacyKey: string | undefined;

/** An RSA host key (OpenSSH text), generated on first use and then reused by every legacy-only device. */
export function legacyHostKey(): string {
  generatedLegacyKey ??= generateRsaHostKey();
  return generatedLegacyKey;
}

/** Generates an RSA host key (OpenSSH private key text) for legacy-only devices. */
export function generateRsaHostKey(bits: number = LAB_DEFAULTS.LEGACY_RSA_BITS): string {
  return sshUtils.generateKeyPairSync('rsa', { bits }).private;
}

/** ssh2 server configuration for a spec: its ident, and the legacy algorithms and key when it asks for them. */
function sshServerConfig(spec: LabDeviceSpec, opts: LabServerOptions): ServerConfig {
  const ident = identFor(spec.vendor);
  if (spec.sshAlgorithms !== 'legacy-only')
    return { hostKeys: [{ key: hostSigningKey(opts.hostKey) }], ident };
  const { kex, serverHostKey, cipher, hmac, compress } = LEGACY_SSH_ALGORITHMS;
  return {
    hostKeys: [{ key: hostSigningKey(opts.legacyHostKey ?? legacyHostKey()) }],
    ident,
    algorithms: {
      kex: [...kex],
      serverHostKey: [...serverHostKey],
      cipher: [...cipher],
      hmac: [...hmac],
      compress: [...compress],
    },
  };
}

/** Checks the parts of a spec that only make sense together; throws with the device's name. */
function validateSpec(spec: LabDeviceSpec): void {
  if (spec.auth === 'keyboard-interactive-token' && !spec.token) {
    throw new Error(`lab device ${spec.name}: auth 'keyboard-interactive-token' needs a token`);
  }
}

/** Starts one simulated device. Port 0 picks a free port; the returned `port` is the real one. */
export async function startLabDevice(spec: LabDeviceSpec, opts: LabServerOptions): Promise<LabDeviceHandle> {
  validateSpec(spec);
  const host = opts.host ?? LAB_DEFAULTS.HOST;
  const faults = spec.faults ?? {};
  const encoding = spec.encoding ?? 'utf-8';
  const transport = spec.transport ?? 'ssh';
  const consoleLine = spec.kind === 'console_line';
  const model = createDeviceModel(spec.vendor, spec.name);
  const sockets = new Set<Socket>();
  const socketsByPeer = new Map<string, Socket>();
  const connections = new Set<Connection>();
  const timers = new Set<NodeJS.Timeout>();

  /** Fault `dropAfterMs`: after login, the TCP connection is destroyed; `onClose` cancels it. */
  const armDropTimer = (socket: Socket | undefined, onClose: (cancel: () => void) => void): void => {
    if (faults.dropAfterMs === undefined) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      socket?.destroy();
    }, faults.dropAfterMs);
    timers.add(timer);
    onClose(() => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  };

  /**
   * Runs the CLI (or the fault that replaces it) on a shell stream, SSH channel or telnet line alike.
   * Returns the session, whose rows follow the client's window, when there is one.
   */
  const openCli = (
    stream: ShellStream,
    username: string,
    rows: number,
    greeting: ShellGreeting,
    hooks: { drop: () => void; onExit: () => void },
  ): LabShellSession | undefined => {
    if (faults.hang === 'session') {
      runHungSession(stream);
      return undefined;
    }
    if (faults.flood) {
      runFlood(stream, spec.vendor, model.hostname, encoding);
      return undefined;
    }
    model.activeSessions++;
    let counted = true;
    const release = (): void => {
      if (counted) model.activeSessions--;
      counted = false;
    };
    stream.on('close', release);
    const shell = new LabShellSession(stream, createMachine(spec, model, username), {
      encoding,
      latencyMs: spec.latencyMs,
      rows,
      greeting,
      faults: sessionFaults(faults),
      drop: hooks.drop,
      // Real devices drop the connection when the CLI session ends (quit / exit / logout).
      onExit: () => {
        release();
        hooks.onExit();
      },
    });
    shell.start();
    return shell;
  };

  const authenticate = (ctx: AuthContext): void => {
    const userOk = safeEqual(ctx.username, spec.username);
    if (faults.refuseLogin) {
      ctx.reject([spec.auth === 'keyboard-interactive-token' ? 'keyboard-interactive' : 'password']);
      return;
    }
    // A console server passes the serial line through: whatever the client offers gets it in.
    if (consoleLine) {
      ctx.accept();
      return;
    }
    if (spec.auth === 'keyboard-interactive-token') {
      if (ctx.method !== 'keyboard-interactive') {
        ctx.reject(['keyboard-interactive']);
        return;
      }
      ctx.prompt(
        [
          { prompt: LAB_DEFAULTS.KI_PASSWORD_PROMPT, echo: false },
          { prompt: LAB_DEFAULTS.KI_TOKEN_PROMPT, echo: true },
        ],
        (answers) => {
          // ssh2 passes an Error instead when the client gave up mid-prompt.
          if (!Array.isArray(answers)) return;
          const passOk = safeEqual(answers[0] ?? '', spec.password);
          const tokenOk = safeEqual(answers[1] ?? '', spec.token ?? '');
          if (userOk && passOk && tokenOk && answers.length === 2) ctx.accept();
          else ctx.reject(['keyboard-interactive']);
        },
      );
      return;
    }
    if (ctx.method !== 'password') {
      ctx.reject(['password']);
      return;
    }
    const passOk = safeEqual(ctx.password, spec.password);
    if (userOk && passOk) ctx.accept();
    else ctx.reject(['password']);
  };

  const ssh = new SshServer(sshServerConfig(spec, opts), (client, info) => {
    connections.add(client);
    const socket = (): Socket | undefined => socketsByPeer.get(`${info.ip}:${info.port}`);
    let username = spec.username;
    client.on('error', noop);
    client.on('close', () => connections.delete(client));

    client.on('authentication', (ctx) => {
      authenticate(ctx);
      username = ctx.username || spec.username;
    });

    client.on('ready', () => {
      armDropTimer(socket(), (cancel) => client.on('close', cancel));
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
      shell = openCli(stream, username, rows, consoleLine ? 'none' : 'banner', {
        drop,
        onExit: () => {
          const t = setTimeout(() => {
            timers.delete(t);
            client.end();
          }, 10);
          timers.add(t);
        },
      });
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

  /** A telnet connection: the vendor's login (none on a console line), then the CLI. */
  const acceptTelnet = (socket: Socket): void => {
    const text = telnetLoginText(spec.vendor, model.hostname);
    const check = faults.refuseLogin ? () => false : credentialCheck(spec.username, spec.password);
    serveTelnet(socket, {
      login: consoleLine ? undefined : new TelnetLogin(text, check),
      onSession: (channel, user) => {
        armDropTimer(socket, (cancel) => socket.on('close', cancel));
        const greeting: ShellGreeting = consoleLine ? 'none' : text.bannerAfterLogin ? 'banner' : 'prompt';
        const shell = openCli(
          channel,
          user ?? spec.username,
          channel.rows ?? LAB_DEFAULTS.DEFAULT_ROWS,
          greeting,
          {
            drop: () => destroySoon(socket),
            // The shell has already ended the line; nothing more to do.
            onExit: noop,
          },
        );
        channel.on('resize', () => shell?.setRows(channel.rows ?? LAB_DEFAULTS.DEFAULT_ROWS));
      },
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
    // 'connect' hang: TCP accepted, but no SSH identification (or telnet negotiation) is ever sent.
    if (faults.hang === 'connect') return;
    if (transport === 'telnet') acceptTelnet(socket);
    else ssh.injectSocket(socket);
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
        // Telnet lines and sockets without an SSH session on top (hung, mid-handshake) just get a FIN.
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

  return { ...spec, encoding, transport, port, host, close };
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
