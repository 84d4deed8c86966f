import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import iconv from 'iconv-lite';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  LAB_DEFAULTS,
  defaultLabFleet,
  generateHostKey,
  loadOrCreateHostKey,
  startLab,
  startLabDevice,
  type RunningLab,
} from './server';
import {
  connectTo,
  deviceNamed,
  execCommand,
  firstLineFrom,
  openShell,
  type OutputReader,
} from './test-utils';
import type { LabDeviceSpec, RunningLabDevice } from './types';

const hostKey = generateHostKey();
const creds = { username: 'netops', password: 'S3cret!pw', enablePassword: 'En@ble' };
const LATENCY_MS = 150;
const DROP_AFTER_MS = 300;

const specs: LabDeviceSpec[] = [
  { name: 'vrp-a', vendor: 'huawei_vrp', port: 0, ...creds },
  { name: 'ios-a', vendor: 'cisco_ios', port: 0, ...creds },
  { name: 'vrp-gbk', vendor: 'huawei_vrp', port: 0, ...creds, encoding: 'gbk' },
  { name: 'vrp-slow', vendor: 'huawei_vrp', port: 0, ...creds, latencyMs: LATENCY_MS },
  { name: 'refuse', vendor: 'huawei_vrp', port: 0, ...creds, faults: { refuseLogin: true } },
  { name: 'drop', vendor: 'cisco_ios', port: 0, ...creds, faults: { dropAfterMs: DROP_AFTER_MS } },
  { name: 'hang-connect', vendor: 'huawei_vrp', port: 0, ...creds, faults: { hang: 'connect' } },
  { name: 'hang-session', vendor: 'cisco_ios', port: 0, ...creds, faults: { hang: 'session' } },
  { name: 'flood', vendor: 'huawei_vrp', port: 0, ...creds, faults: { flood: true } },
];

let lab: RunningLab;
const clients: Client[] = [];

const device = (name: string): RunningLabDevice => deviceNamed(lab.devices, name);

async function login(name: string, rows = 24): Promise<{ client: Client; sh: OutputReader }> {
  const d = device(name);
  const client = await connectTo(d);
  clients.push(client);
  const sh = await openShell(client, d.encoding, { rows, cols: 120, term: 'vt100' });
  return { client, sh };
}

beforeAll(async () => {
  lab = await startLab(specs, { hostKey });
});

afterAll(async () => {
  for (const c of clients) c.end();
  await lab?.close();
});

describe('lab SSH server', () => {
  it('binds to 127.0.0.1 on real ports and announces vendor ident strings', async () => {
    for (const d of lab.devices) {
      expect(d.host).toBe('127.0.0.1');
      expect(d.port).toBeGreaterThan(0);
    }
    expect(await firstLineFrom(device('vrp-a').port)).toBe('SSH-2.0-HUAWEI-1.5');
    expect(await firstLineFrom(device('ios-a').port)).toBe('SSH-2.0-Cisco-1.25');
  });

  it('rejects a wrong password with an authentication error', async () => {
    const d = device('vrp-a');
    await expect(connectTo({ ...d, password: 'wrong' })).rejects.toThrow(/authentication methods failed/i);
    await expect(connectTo({ ...d, username: 'admin' })).rejects.toThrow(/authentication methods failed/i);
  });

  it('survives garbage from a client', async () => {
    const socket = tcpConnect({ host: '127.0.0.1', port: device('vrp-a').port });
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write('GET / HTTP/1.1\r\n\r\n\x00\x01\x02garbage\r\n');
    socket.resume();
    // The device hangs up on the bogus client...
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    // ...and keeps serving real ones.
    const client = await connectTo(device('vrp-a'));
    client.end();
  });
});

describe('VRP over SSH', () => {
  it('shows the banner and prompt, walks system-view / quit / return', async () => {
    const { sh } = await login('vrp-a');
    await sh.waitFor(/The current login time is \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+08:00\.\r\n<vrp-a>$/);
    sh.write('system-view\r');
    await sh.waitFor(/system-view\r\nEnter system view, return user view with Ctrl\+Z\.\r\n\[vrp-a\]$/);
    sh.write('interface GigabitEthernet0/0/1\r');
    await sh.waitFor(/\[vrp-a-GigabitEthernet0\/0\/1\]$/);
    sh.write('quit\r');
    await sh.waitFor(/quit\r\n\[vrp-a\]$/);
    sh.write('int g0/0/2\r');
    await sh.waitFor(/\[vrp-a-GigabitEthernet0\/0\/2\]$/);
    sh.write('return\r');
    await sh.waitFor(/return\r\n<vrp-a>$/);
    sh.write('quit\r');
    await sh.waitClosed();
  });

  it('marks unknown commands with a caret under the bad word', async () => {
    const { sh } = await login('vrp-a');
    await sh.waitFor(/<vrp-a>$/);
    sh.write('display foo\r');
    const out = await sh.waitFor(/<vrp-a>$/);
    // '<vrp-a>' is 7 columns, 'foo' starts at column 8 of the line.
    expect(out).toBe(
      `display foo\r\n${' '.repeat(15)}^\r\nError: Unrecognized command found at '^' position.\r\n<vrp-a>`,
    );
    sh.write('\r');
    expect(await sh.waitFor(/<vrp-a>$/)).toBe('\r\n<vrp-a>');
  });

  it('pages with ---- More ----: space continues, q aborts; screen-length 0 temporary turns it off', async () => {
    const { sh } = await login('vrp-a');
    await sh.waitFor(/<vrp-a>$/);
    sh.write('dis cur\r');
    const page1 = await sh.waitFor(/ {2}---- More ----$/);
    expect(page1).toContain('sysname vrp-a');
    sh.write(' ');
    const page2 = await sh.waitFor(/ {2}---- More ----$/);
    expect(page2.startsWith('\x1b[16D                \x1b[16D')).toBe(true);
    expect(page2.split('\r\n')).toHaveLength(24);
    sh.write('q');
    expect(await sh.waitFor(/<vrp-a>$/)).toBe('\x1b[16D                \x1b[16D<vrp-a>');

    sh.write('scr 0 temp\r');
    await sh.waitFor(
      /Info: The configuration takes effect on the current user terminal interface only\.\r\n<vrp-a>$/,
    );
    sh.write('display current-configuration\r');
    const all = await sh.waitFor(/\r\nreturn\r\n<vrp-a>$/);
    expect(all).not.toContain('More');
    expect(all.split('\r\n').length).toBeGreaterThan(150);
    expect(all).toContain('user-interface vty 0 4');

    sh.write('undo screen-length temporary\r');
    await sh.waitFor(/<vrp-a>$/);
    sh.channel.setWindow(8, 120, 0, 0);
    sh.write('display version\r');
    const short = await sh.waitFor(/---- More ----$/);
    expect(short.split('\r\n')).toHaveLength(1 + 7 + 1);
    sh.write('\x03');
    await sh.waitFor(/<vrp-a>$/);
  });

  it('talks GBK on a gbk device', async () => {
    const { sh } = await login('vrp-gbk');
    await sh.waitFor(/<vrp-gbk>$/);
    sh.write('screen-length 0 temporary\r');
    await sh.waitFor(/<vrp-gbk>$/);
    const before = sh.bytes.length;
    sh.write('display interface description\r');
    await sh.waitFor(/<vrp-gbk>$/);
    const raw = sh.bytes.subarray(before);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(raw)).toThrow();
    expect(raw.includes(Buffer.from('上联核心交换机', 'utf8'))).toBe(false);
    expect(raw.includes(iconv.encode('上联核心交换机', 'gbk'))).toBe(true);
    const text = iconv.decode(raw, 'gbk');
    expect(text).toContain('上联核心交换机');
    expect(text).toContain('财务部-三楼');
    // Chinese input is decoded as GBK too and echoed back in GBK.
    sh.write(iconv.encode('测试', 'gbk'));
    await sh.waitFor(/测试$/);
  });
});

describe('IOS over SSH', () => {
  it('enable with wrong and right password, show running-config refused in user mode', async () => {
    const { sh } = await login('ios-a');
    await sh.waitFor(/^\r\nios-a>$/);
    sh.write('show running-config\r');
    const refused = await sh.waitFor(/ios-a>$/);
    expect(refused).toBe(
      `show running-config\r\n${' '.repeat(11)}^\r\n% Invalid input detected at '^' marker.\r\n\r\nios-a>`,
    );
    sh.write('enable\r');
    await sh.waitFor(/enable\r\nPassword: $/);
    sh.write('nope\r');
    expect(await sh.waitFor(/ios-a>$/)).toBe('\r\n% Access denied\r\n\r\nios-a>');
    sh.write('en\r');
    await sh.waitFor(/Password: $/);
    sh.write(`${creds.enablePassword}\r`);
    expect(await sh.waitFor(/ios-a#$/)).toBe('\r\nios-a#');
    expect(sh.text).not.toContain(creds.enablePassword);
  });

  it('pages with --More-- and shows the whole configuration after terminal length 0', async () => {
    const { sh } = await login('ios-a');
    await sh.waitFor(/ios-a>$/);
    sh.write('enable\r');
    await sh.waitFor(/Password: $/);
    sh.write(`${creds.enablePassword}\r`);
    await sh.waitFor(/ios-a#$/);
    sh.write('sh run\r');
    const page1 = await sh.waitFor(/ --More-- $/);
    expect(page1).toContain('Building configuration...');
    sh.write(' ');
    await sh.waitFor(/\x08{10} {10}\x08{10}[^]* --More-- $/);
    sh.write('\r');
    const oneLine = await sh.waitFor(/ --More-- $/);
    expect(oneLine.split('\r\n')).toHaveLength(2);
    sh.write('q');
    await sh.waitFor(/\x08{10} {10}\x08{10}ios-a#$/);
    sh.write('terminal length 0\r');
    await sh.waitFor(/ios-a#$/);
    sh.write('show running-config\r');
    const all = await sh.waitFor(/\r\nend\r\n\r\nios-a#$/);
    expect(all).not.toContain('--More--');
    expect(all.split('\r\n').length).toBeGreaterThan(150);
    expect(all).toContain('上联核心交换机');
  });

  it('walks configuration modes and closes the session on exit', async () => {
    const { client, sh } = await login('ios-a');
    await sh.waitFor(/ios-a>$/);
    sh.write('terminal length 0\r');
    await sh.waitFor(/ios-a>$/);
    sh.write(`enable\r${creds.enablePassword}\r`);
    await sh.waitFor(/ios-a#$/);
    sh.write('conf t\r');
    await sh.waitFor(
      /Enter configuration commands, one per line\. {2}End with CNTL\/Z\.\r\nios-a\(config\)#$/,
    );
    sh.write('interface GigabitEthernet1/0/1\r');
    await sh.waitFor(/ios-a\(config-if\)#$/);
    sh.write('exit\r');
    await sh.waitFor(/exit\r\nios-a\(config\)#$/);
    sh.write('int gi1/0/2\r');
    await sh.waitFor(/ios-a\(config-if\)#$/);
    sh.write('end\r');
    await sh.waitFor(/end\r\nios-a#$/);
    sh.write('sh ip int br\r');
    await sh.waitFor(/Interface {14}IP-Address {6}OK\? Method Status {16}Protocol[^]*ios-a#$/);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    sh.write('exit\r');
    await sh.waitClosed();
    await closed;
  });

  it('answers invalid commands with the IOS marker', async () => {
    const { sh } = await login('ios-a');
    await sh.waitFor(/ios-a>$/);
    sh.write('show ip foo\r');
    expect(await sh.waitFor(/ios-a>$/)).toBe(
      `show ip foo\r\n${' '.repeat(6 + 8)}^\r\n% Invalid input detected at '^' marker.\r\n\r\nios-a>`,
    );
  });
});

describe('exec channel and latency', () => {
  it('runs one command without paging and exits 0', async () => {
    const client = await connectTo(device('vrp-a'));
    clients.push(client);
    const res = await execCommand(client, 'display current-configuration');
    const text = res.stdout.toString('utf8');
    expect(res.code).toBe(0);
    expect(text).not.toContain('More');
    expect(text.endsWith('return\r\n')).toBe(true);
    const ios = await connectTo(device('ios-a'));
    clients.push(ios);
    const ver = await execCommand(ios, 'show version');
    expect(ver.stdout.toString('utf8')).toContain('Cisco IOS XE Software');
  });

  it('delays command output by latencyMs but echoes immediately', async () => {
    const { sh } = await login('vrp-slow');
    await sh.waitFor(/<vrp-slow>$/);
    const started = performance.now();
    sh.write('display clock\r');
    await sh.waitFor(/display clock\r\n/);
    const echoAt = performance.now() - started;
    await sh.waitFor(/Time Zone\(Beijing\)/);
    const outputAt = performance.now() - started;
    expect(outputAt).toBeGreaterThanOrEqual(LATENCY_MS - 1);
    expect(echoAt).toBeLessThan(outputAt);

    const client = await connectTo(device('vrp-slow'));
    clients.push(client);
    const t0 = performance.now();
    await execCommand(client, 'display version');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(LATENCY_MS - 1);
  });
});

describe('faults', () => {
  it('refuseLogin: every attempt fails authentication', async () => {
    await expect(connectTo(device('refuse'))).rejects.toThrow(/authentication methods failed/i);
  });

  it('dropAfterMs: the connection is cut after login', async () => {
    const started = performance.now();
    const { client, sh } = await login('drop');
    await sh.waitFor(/drop>$/);
    client.on('error', () => {});
    await new Promise<void>((resolve) => client.once('close', () => resolve()));
    expect(performance.now() - started).toBeGreaterThanOrEqual(DROP_AFTER_MS - 1);
  });

  it("hang 'connect': no SSH banner, the client's readyTimeout fires", async () => {
    await expect(connectTo(device('hang-connect'), { readyTimeout: 400 })).rejects.toThrow(/timed out/i);
  });

  it("hang 'session': login and shell succeed, nothing is ever written", async () => {
    const { sh } = await login('hang-session');
    sh.write('\r\nshow version\r\n');
    await expect(sh.waitFor(/[^]/, 400)).rejects.toThrow(/timed out/);
    expect(sh.bytes.length).toBe(0);
  });

  it('flood: streams more than 1 MB of log lines, then the client closes cleanly', async () => {
    const { client, sh } = await login('flood');
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (sh.bytes.length > 1024 * 1024) resolve();
        else sh.channel.once('data', check);
      };
      check();
    });
    expect(sh.text).toMatch(/%%01IFNET\/4\/LINK_STATE\(l\)\[\d+\]:The line protocol IP on the interface/);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    sh.channel.close();
    await sh.waitClosed();
    client.end();
    await closed;
    // The device still serves new clients afterwards.
    const again = await connectTo(device('flood'));
    again.end();
  });
});

describe('startLab / fleet / host key', () => {
  it('starts 50 devices and closes them promptly, even with idle clients connected', async () => {
    const fleet = defaultLabFleet(50, creds);
    const t0 = performance.now();
    const big = await startLab(fleet, { hostKey });
    expect(big.devices).toHaveLength(50);
    expect(new Set(big.devices.map((d) => d.port)).size).toBe(50);
    const idle = await connectTo(big.devices[0]);
    idle.on('error', () => {});
    const idleShell = await openShell(idle);
    await idleShell.waitFor(/<lab-vrp-01>$/);
    const idle2 = await connectTo(big.devices[1]);
    idle2.on('error', () => {});
    const raw = tcpConnect({ host: '127.0.0.1', port: big.devices[2].port });
    raw.on('error', () => {});
    await new Promise<void>((resolve) => raw.once('data', () => resolve()));
    // A client that never reads nor answers: close() must not wait for it forever.
    const deaf = tcpConnect({ host: '127.0.0.1', port: big.devices[4].port });
    deaf.on('error', () => {});
    await new Promise<void>((resolve) => deaf.once('connect', () => resolve()));
    deaf.pause();
    const t1 = performance.now();
    await big.close();
    expect(performance.now() - t1).toBeLessThan(2000);
    expect(performance.now() - t0).toBeLessThan(10_000);
    await expect(connectTo(big.devices[3], { readyTimeout: 1000 })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('names the default fleet lab-vrp-01, lab-ios-01, ... with lab-vrp-02 in GBK', () => {
    const fleet = defaultLabFleet(5, creds);
    expect(fleet.map((s) => s.name)).toEqual([
      'lab-vrp-01',
      'lab-ios-01',
      'lab-vrp-02',
      'lab-ios-02',
      'lab-vrp-03',
    ]);
    expect(fleet.map((s) => s.vendor)).toEqual([
      'huawei_vrp',
      'cisco_ios',
      'huawei_vrp',
      'cisco_ios',
      'huawei_vrp',
    ]);
    expect(fleet.map((s) => s.encoding)).toEqual(['utf-8', 'utf-8', 'gbk', 'utf-8', 'utf-8']);
    expect(fleet.every((s) => s.port === 0 && s.username === creds.username)).toBe(true);
    expect(fleet[1].enablePassword).toBe(creds.enablePassword);
    expect(defaultLabFleet(3, creds, 'cisco_ios').map((s) => s.name)).toEqual([
      'lab-ios-01',
      'lab-ios-02',
      'lab-ios-03',
    ]);
    expect(LAB_DEFAULTS.DEFAULT_ROWS).toBe(24);
  });

  it('creates the host key file once, mode 0600, and reuses it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lab-key-'));
    try {
      const file = path.join(dir, 'nested', 'deeper', 'lab_host_key');
      const key = loadOrCreateHostKey(file);
      expect(key).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(loadOrCreateHostKey(file)).toBe(key);
      expect(readFileSync(file, 'utf8')).toBe(key);
      const dev = await startLabDevice(
        { name: 'k', vendor: 'cisco_ios', port: 0, ...creds },
        { hostKey: key },
      );
      const client = await connectTo(dev);
      client.end();
      await dev.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
