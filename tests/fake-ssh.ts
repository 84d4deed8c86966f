import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import ssh2, { type Connection } from 'ssh2';
import { generateHostKey } from '../lab';
import { fingerprintOf } from '../lib/devices/ssh';

const { Server: SshServer, utils: sshUtils } = ssh2;

export interface FakeSsh {
  port: number;
  /** The fingerprint of the host key it presents. */
  fingerprint: string;
  /** Every password any client sent it. */
  passwords: string[];
  /** TCP connections it accepted. */
  connections: number;
  /** Resolves once a client has connected (TCP). */
  connected: Promise<void>;
  close(): Promise<void>;
}

export interface FakeSshOptions {
  /** Hold every password authentication until this resolves (to make two logins meet). */
  holdAuth?: Promise<void>;
  /** Called when a password authentication arrives (before it is held). */
  onAuth?: () => void;
}

/**
 * An impostor SSH server on 127.0.0.1 with its own host key: records every password it receives,
 * accepts any login, and gives a shell that answers with a VRP-like prompt.
 */
export async function startFakeSsh(opts: FakeSshOptions = {}): Promise<FakeSsh> {
  const hostKey = generateHostKey();
  const parsed = sshUtils.parseKey(hostKey);
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? parsed[0]! : parsed;
  const clients = new Set<Connection>();
  let markConnected!: () => void;
  const fake: FakeSsh = {
    port: 0,
    fingerprint: fingerprintOf(key.getPublicSSH()),
    passwords: [],
    connections: 0,
    connected: new Promise<void>((r) => (markConnected = r)),
    close: async () => {
      for (const c of clients) c.end();
      server.close();
      await once(server, 'close').catch(() => {});
    },
  };
  const server = new SshServer({ hostKeys: [hostKey] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'password') return ctx.reject(['password']);
      fake.passwords.push(ctx.password);
      opts.onAuth?.();
      void (opts.holdAuth ?? Promise.resolve()).then(() => ctx.accept());
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('pty', (ok) => ok?.());
        session.on('shell', (ok) => {
          const stream = ok();
          stream.write('\r\n<fake>');
          stream.on('data', (d: Buffer) => {
            if (d.toString().includes('\r')) stream.write('\r\n<fake>');
          });
        });
      });
    });
  });
  server.on('connection', () => {
    fake.connections++;
    markConnected();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  fake.port = (server.address() as AddressInfo).port;
  return fake;
}
