/**
 * Jump hosts: the same batch task (D lab devices, one command each, concurrency C) once straight to
 * the devices and once through one SSH jump host (Debian's OpenSSH sshd on loopback, default
 * settings but for its port), against a plain ssh2 script that does the same through one connection
 * to the same sshd (`forwardOut` per device). What a hop costs the portal, and whether the portal's
 * shared hop connection keeps it near what a hand-written script does.
 */
import { performance } from 'node:perf_hooks';
import ssh2, { type Client, type ClientChannel } from 'ssh2';
import { huaweiVrp } from '../lib/devices/drivers';
import { fingerprintOf } from '../lib/devices/ssh';
import {
  closeAll,
  labDeviceRow,
  vrpSpecs,
  type BenchContext,
  type BenchResult,
  type LabReady,
} from './lib/common';
import { startChild } from './lib/proc';
import { row } from './lib/report';
import { sshConnect } from './lib/ssh';
import { startBenchSshd } from './lib/sshd';
import { round } from './lib/stats';
import { mapLimit, TextSink } from './lib/text';
import type { PortalReady, TaskRun } from './fixtures/portal';
import type { RunningLabDevice } from '../lab/types';

const { Client: SshClient } = ssh2;

export interface JumpOptions {
  devices: number;
  concurrency: number;
  latencyMs: number;
}

const COMMAND = 'display version';
const TIMEOUT_S = 60;

/** A device session through the hop's connection: forwardOut, SSH over the channel, shell, commands. */
async function viaHop(hop: Client, d: RunningLabDevice, lab: LabReady): Promise<void> {
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    hop.forwardOut('127.0.0.1', 0, d.host, d.port, (err, ch) => (err ? reject(err) : resolve(ch))),
  );
  const client = new SshClient();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    client.connect({
      sock: channel,
      username: d.username,
      password: d.password,
      readyTimeout: TIMEOUT_S * 1000,
      hostVerifier: (key: Buffer) => fingerprintOf(key) === lab.hostKeyFingerprint,
    });
  });
  try {
    const shell = await new Promise<ClientChannel>((resolve, reject) =>
      client.shell({ cols: 256, rows: 24, term: 'vt100' }, (err, ch) => (err ? reject(err) : resolve(ch))),
    );
    const sink = new TextSink();
    shell.on('data', (b: Buffer) => sink.feed(b.toString('latin1')));
    await sink.waitFor(huaweiVrp.prompt, TIMEOUT_S * 1000);
    for (const command of [...huaweiVrp.sessionSetup, COMMAND]) {
      sink.mark();
      shell.write(`${command}\r`);
      await sink.waitFor(huaweiVrp.prompt, TIMEOUT_S * 1000);
    }
  } finally {
    client.end();
    channel.destroy();
  }
}

export async function runJump(o: JumpOptions, ctx: BenchContext): Promise<BenchResult> {
  const closers: (() => Promise<unknown> | unknown)[] = [];
  try {
    ctx.log(`jump: starting ${o.devices} lab devices (${o.latencyMs} ms per command) and an sshd jump host`);
    const lab = await startChild<LabReady>(
      'lab.ts',
      { specs: vrpSpecs('jump', o.devices, { latencyMs: o.latencyMs }) },
      { readyTimeoutMs: 120_000 },
    );
    closers.push(() => lab.close());
    const sshd = await startBenchSshd();
    closers.push(() => sshd.close());
    const portal = await startChild<PortalReady>('portal.ts', { progressIntervalMs: 250 });
    closers.push(() => portal.close());

    const devices = lab.ready.devices;
    const hopIds = await portal.request<Record<string, string>>('addDevices', {
      devices: [
        {
          name: 'bench-hop',
          host: sshd.host,
          port: sshd.port,
          vendor: 'generic',
          username: sshd.username,
          privateKey: sshd.privateKey,
        },
      ],
    });
    const direct = await portal.request<Record<string, string>>('addDevices', {
      devices: devices.map((d) => labDeviceRow(d, lab.ready)),
    });
    const jumped = await portal.request<Record<string, string>>('addDevices', {
      devices: devices.map((d) => ({
        ...labDeviceRow(d, lab.ready),
        name: `${d.name}-via-hop`,
        jumpHostId: hopIds['bench-hop'],
      })),
    });
    const task = (ids: string[]) =>
      portal.request<TaskRun>(
        'runTask',
        { deviceIds: ids, commands: [COMMAND], concurrency: o.concurrency, timeoutSeconds: TIMEOUT_S },
        600_000,
      );
    const directIds = devices.map((d) => direct[d.name]!);
    const jumpedIds = devices.map((d) => jumped[`${d.name}-via-hop`]!);

    const hop = await sshConnect({
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      privateKey: sshd.privateKey,
    });
    closers.push(() => {
      hop.client.end();
      hop.socket.destroy();
    });
    const plain = async () => {
      const t0 = performance.now();
      await mapLimit(devices, o.concurrency, (d) => viaHop(hop.client, d, lab.ready));
      return performance.now() - t0;
    };

    ctx.log('jump: warm-up (each job once)');
    await plain();
    for (const ids of [directIds, jumpedIds]) await task(ids);

    ctx.log(
      `jump: ${o.devices} devices, concurrency ${o.concurrency}: direct, via the hop, plain script via the hop`,
    );
    const d = await task(directIds);
    const j = await task(jumpedIds);
    const p = await plain();
    for (const [what, run] of [
      ['direct', d],
      ['via hop', j],
    ] as const)
      if (run.status !== 'completed' || run.succeeded !== o.devices)
        throw new Error(
          `the ${what} task ended ${run.status} with ${run.succeeded}/${o.devices} devices succeeded`,
        );

    const label = `${o.devices} devices, ${o.latencyMs} ms, concurrency ${o.concurrency}`;
    return {
      rows: [
        row({
          benchmark: 'jump',
          metric: `task wall time through one jump host vs direct, ${label}`,
          unit: 's',
          portal: round(j.wallMs / 1000, 2),
          baseline: round(d.wallMs / 1000, 2),
          // what a hop costs by itself (every byte is encrypted twice, one sshd relays every device):
          // reported, not a target; the row below is what the portal is held to
          target: '',
          met: null,
        }),
        row({
          benchmark: 'jump',
          metric: 'through the jump host: portal task vs plain ssh2 script (one hop connection)',
          unit: 's',
          portal: round(j.wallMs / 1000, 2),
          baseline: round(p / 1000, 2),
          target: '≤ 1.30× plain script',
          met: j.wallMs <= 1.3 * p,
        }),
      ],
      details: {
        ...o,
        command: COMMAND,
        directMs: round(d.wallMs, 1),
        viaHopMs: round(j.wallMs, 1),
        plainViaHopMs: round(p, 1),
      },
    };
  } finally {
    await closeAll(closers);
  }
}
