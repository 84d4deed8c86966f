/**
 * Direct ssh2 clients for the baselines: the same socket set-up as the portal's connectSsh (own TCP
 * socket with no-delay), an interactive shell with a PTY, and its output into a TextSink.
 */
import net from 'node:net';
import ssh2, { type Client, type ClientChannel } from 'ssh2';
import { fingerprintOf } from '../../lib/devices/ssh';
import { TextSink } from './text';

const { Client: SshClient } = ssh2;

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  /** Checked like the portal does (known fingerprint); absent = accept. */
  hostKeyFingerprint?: string;
}

export function sshConnect(
  t: SshTarget,
  readyTimeoutMs = 20_000,
): Promise<{ client: Client; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const client = new SshClient();
    const socket = net.connect({ host: t.host, port: t.port });
    socket.setNoDelay(true);
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      client.end();
      socket.destroy();
      reject(err);
    };
    socket.once('error', fail);
    client.on('error', fail);
    client.once('ready', () => {
      done = true;
      resolve({ client, socket });
    });
    socket.once('connect', () =>
      client.connect({
        sock: socket,
        username: t.username,
        ...(t.privateKey ? { privateKey: t.privateKey } : { password: t.password, tryKeyboard: true }),
        readyTimeout: readyTimeoutMs,
        hostVerifier: (key: Buffer) => !t.hostKeyFingerprint || fingerprintOf(key) === t.hostKeyFingerprint,
      }),
    );
  });
}

export interface SshShell {
  client: Client;
  socket: net.Socket;
  channel: ClientChannel;
  sink: TextSink;
  close(): void;
}

export async function sshShell(
  t: SshTarget,
  pty: { cols: number; rows: number; term: string },
  opts: { sinkKeep?: number; onData?: (chunk: Buffer) => void } = {},
): Promise<SshShell> {
  const { client, socket } = await sshConnect(t);
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    client.shell(pty, (err, ch) => (err ? reject(err) : resolve(ch))),
  );
  const sink = new TextSink(opts.sinkKeep);
  channel.on('data', opts.onData ?? ((d: Buffer) => sink.feed(d.toString('latin1'))));
  channel.stderr.on('data', (d: Buffer) => sink.feed(d.toString('latin1')));
  channel.on('close', () => sink.close('channel closed'));
  return {
    client,
    socket,
    channel,
    sink,
    close() {
      try {
        channel.close();
      } catch {
        // gone
      }
      client.end();
      socket.destroy();
    },
  };
}
