import { spawn } from 'node:child_process';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { connectTelnet, connectTo, telnetLogin } from './test-utils';

const CLI = path.join(import.meta.dirname, 'cli.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the lab CLI under tsx; `onReady` gets the first stdout line and may stop the process. */
function runCli(args: string[], onReady?: (line: string, kill: () => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let readySeen = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!readySeen && stdout.includes('\n')) {
        readySeen = true;
        onReady?.(stdout.split('\n')[0], () => child.kill('SIGTERM'));
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('lab CLI runner', () => {
  it('prints one ready line of JSON, serves the devices, and exits cleanly on SIGTERM', async () => {
    let devices: {
      name: string;
      vendor: string;
      host: string;
      port: number;
      encoding: string;
      username: string;
    }[] = [];
    let loginOk = false;
    const run = await runCli(
      ['--count', '3', '--username', 'u1', '--password', 'p1', '--enable-password', 'e1', '--latency', '5'],
      (line, kill) => {
        const ready = JSON.parse(line) as { ready: boolean; devices: typeof devices };
        expect(ready.ready).toBe(true);
        devices = ready.devices;
        connectTo({ host: devices[1].host, port: devices[1].port, username: 'u1', password: 'p1' })
          .then((client) => {
            loginOk = true;
            client.end();
          })
          .finally(kill);
      },
    );
    expect(run.code).toBe(0);
    expect(loginOk).toBe(true);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).not.toContain('p1');
    expect(devices.map((d) => [d.name, d.vendor, d.encoding, d.username, d.host])).toEqual([
      ['lab-vrp-01', 'huawei_vrp', 'utf-8', 'u1', '127.0.0.1'],
      ['lab-ios-01', 'cisco_ios', 'utf-8', 'u1', '127.0.0.1'],
      ['lab-vrp-02', 'huawei_vrp', 'gbk', 'u1', '127.0.0.1'],
    ]);
    expect(devices.every((d) => d.port > 0)).toBe(true);
  });

  it('rejects bad flags with a message on stderr and exit code 2', async () => {
    const bad = await runCli(['--count', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--count must be an integer');
    expect(bad.stdout).toBe('');
    const unknown = await runCli(['--vendor', 'juniper']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "--vendor must be one of mix, huawei_vrp, cisco_ios, h3c_comware, juniper_junos; got 'juniper'",
    );
    const flag = await runCli(['--nope']);
    expect(flag.code).toBe(2);
  });

  it('serves a single new vendor with --vendor', async () => {
    let vendors: string[] = [];
    const run = await runCli(['--count', '2', '--vendor', 'juniper_junos'], (line, kill) => {
      vendors = (JSON.parse(line) as { devices: { name: string; vendor: string }[] }).devices.map(
        (d) => `${d.name}:${d.vendor}`,
      );
      kill();
    });
    expect(run.code).toBe(0);
    expect(vendors).toEqual(['lab-junos-01:juniper_junos', 'lab-junos-02:juniper_junos']);
  });

  it('serves telnet devices with --transport telnet, and says which flags go together', async () => {
    let prompt = '';
    let transports: string[] = [];
    const run = await runCli(
      [
        '--count',
        '1',
        '--vendor',
        'cisco_ios',
        '--transport',
        'telnet',
        '--username',
        'u1',
        '--password',
        'p1',
      ],
      (line, kill) => {
        const ready = JSON.parse(line) as { devices: { host: string; port: number; transport: string }[] };
        transports = ready.devices.map((d) => d.transport);
        connectTelnet(ready.devices[0])
          .then(async (sh) => {
            await telnetLogin(
              sh,
              { username: /Username: $/, password: /Password: $/ },
              { username: 'u1', password: 'p1' },
            );
            prompt = (await sh.waitFor(/lab-ios-01>$/)).slice(-11);
            sh.channel.end();
          })
          .finally(kill);
      },
    );
    expect(run.code).toBe(0);
    expect(transports).toEqual(['telnet']);
    expect(prompt).toBe('lab-ios-01>');

    const mixed = await runCli(['--transport', 'telnet', '--ssh-algorithms', 'legacy-only']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--ssh-algorithms and --auth apply to --transport ssh only');
    const noToken = await runCli(['--auth', 'keyboard-interactive-token']);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('needs --token');
    const badKind = await runCli(['--kind', 'console']);
    expect(badKind.stderr).toContain("--kind must be one of device, console_line; got 'console'");
    expect(badKind.stderr).toContain('--transport telnet');
  });
});
