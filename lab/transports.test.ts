import { createServer, type AddressInfo } from 'node:net';

import iconv from 'iconv-lite';
import ssh2 from 'ssh2';
import type { Client, ConnectConfig, KeyboardInteractiveAuthMethod, Prompt } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LAB_DEFAULTS, LEGACY_SSH_ALGORITHMS, generateHostKey, startLab, type RunningLab } from './server';
import { TelnetLogin, telnetLoginText } from './login';
import { TELNET_CMD, TELNET_OPT } from './telnet';
import { serveTelnet } from './telnet-server';
import {
  connectTelnet,
  connectTo,
  deviceNamed,
  openShell,
  telnetLogin,
  type OutputReader,
  type TelnetClient,
  type TelnetClientOptions,
} from './test-utils';
import type { LabDeviceSpec, LabVendor, RunningLabDevice } from './types';

const { Client: SshClient, utils: sshUtils } = ssh2;

const creds = { username: 'netops', password: 'S3cret!pw', enablePassword: 'En@ble' };
const TOKEN = '123456';

const specs: LabDeviceSpec[] = [
  { name: 'ios-t', vendor: 'cisco_ios', port: 0, ...creds, transport: 'telnet' },
  { name: 'vrp-t', vendor: 'huawei_vrp', port: 0, ...creds, transport: 'telnet' },
  { name: 'h3c-t', vendor: 'h3c_comware', port: 0, ...creds, transport: 'telnet' },
  { name: 'junos-t', vendor: 'juniper_junos', port: 0, ...creds, transport: 'telnet' },
  { name: 'vrp-t-gbk', vendor: 'huawei_vrp', port: 0, ...creds, transport: 'telnet', encoding: 'gbk' },
  {
    name: 'ios-t-refuse',
    vendor: 'cisco_ios',
    port: 0,
    ...creds,
    transport: 'telnet',
    faults: { refuseLogin: true },
  },
  {
    name: 'vrp-t-faulty',
    vendor: 'huawei_vrp',
    port: 0,
    ...creds,
    transport: 'telnet',
    faults: { flood: true, dropAfterMs: 300 },
  },
  { name: 'ios-legacy', vendor: 'cisco_ios', port: 0, ...creds, sshAlgorithms: 'legacy-only' },
  {
    name: 'vrp-token',
    vendor: 'huawei_vrp',
    port: 0,
    ...creds,
    auth: 'keyboard-interactive-token',
    token: TOKEN,
  },
  { name: 'ios-console', vendor: 'cisco_ios', port: 0, ...creds, transport: 'telnet', kind: 'console_line' },
  { name: 'vrp-console-ssh', vendor: 'huawei_vrp', port: 0, ...creds, kind: 'console_line' },
];

let lab: RunningLab;
const closers: (() => void)[] = [];

const device = (name: string): RunningLabDevice => deviceNamed(lab.devices, name);

beforeAll(async () => {
  lab = await startLab(specs, { hostKey: generateHostKey() });
});

afterAll(async () => {
  for (const close of closers) close();
  await lab?.close();
});

async function telnet(name: string, opts: TelnetClientOptions = {}): Promise<OutputReader<TelnetClient>> {
  const d = device(name);
  const sh = await connectTelnet(d, { ...opts, encoding: d.encoding });
  closers.push(() => sh.channel.end());
  return sh;
}

const LOGIN: Record<LabVendor, { username: RegExp; password: RegExp; prompt: (n: string) => RegExp }> = {
  cisco_ios: {
    username: /\r\nUser Access Verification\r\n\r\nUsername: $/,
    password: /\r\nPassword: $/,
    prompt: (n) => new RegExp(`\\r\\n${n}>$`),
  },
  huawei_vrp: {
    username: /\r\nLogin authentication\r\n\r\n\r\nUsername:$/,
    password: /\r\nPassword:$/,
    prompt: (n) => new RegExp(`<${n}>$`),
  },
  h3c_comware: {
    username: /New H3C Technologies Co\., Ltd\. All rights reserved\.\*\r\n[^]*\r\n\r\nLogin: $/,
    password: /\r\nPassword: $/,
    prompt: (n) => new RegExp(`\\r\\n<${n}>$`),
  },
  juniper_junos: {
    username: /\r\n\r\njunos-t \(ttyp0\)\r\n\r\nlogin: $/,
    password: /\r\nPassword:$/,
    prompt: (n) => new RegExp(`netops@${n}> $`),
  },
};

const VERSION: Record<LabVendor, { command: string; shows: RegExp }> = {
  cisco_ios: { command: 'show version', shows: /Cisco IOS/ },
  huawei_vrp: { command: 'display version', shows: /Huawei Versatile Routing Platform/ },
  h3c_comware: { command: 'display version', shows: /H3C Comware/ },
  juniper_junos: { command: 'show version', shows: /Hostname: junos-t/ },
};

/** Connects with raw ssh2 options (no password default), resolving with the negotiated algorithms. */
function sshConnect(
  d: RunningLabDevice,
  config: Partial<ConnectConfig>,
): Promise<{ client: Client; kex: string; hostKey: string; cipher: string; hmac: string; keyType: string }> {
  return new Promise((resolve, reject) => {
    const client = new SshClient();
    let negotiated = { kex: '', hostKey: '', cipher: '', hmac: '' };
    let keyType = '';
    client.on('handshake', (n) => {
      negotiated = { kex: n.kex, hostKey: n.serverHostKey, cipher: n.cs.cipher, hmac: n.cs.mac };
    });
    client.once('ready', () => {
      closers.push(() => client.end());
      resolve({ client, ...negotiated, keyType });
    });
    client.on('error', reject);
    client.connect({
      host: d.host,
      port: d.port,
      username: d.username,
      readyTimeout: 5000,
      hostVerifier: (key: Buffer) => {
        const parsed = sshUtils.parseKey(key);
        keyType = parsed instanceof Error ? 'invalid' : parsed.type;
        return true;
      },
      ...config,
    });
  });
}

describe('telnet devices', () => {
  it('negotiates ECHO, SGA, NAWS and TTYPE before the login', async () => {
    const sh = await telnet('ios-t');
    await sh.waitFor(LOGIN.cisco_ios.username);
    const { IAC, SB, SE } = TELNET_CMD;
    expect(sh.channel.received).toEqual([
      { verb: 'WILL', option: TELNET_OPT.ECHO },
      { verb: 'WILL', option: TELNET_OPT.SGA },
      { verb: 'DO', option: TELNET_OPT.NAWS },
      { verb: 'DO', option: TELNET_OPT.TTYPE },
    ]);
    // The client said WILL TTYPE: the device asks for the terminal type.
    sh.write('netops\r\n');
    await sh.waitFor(LOGIN.cisco_ios.password);
    expect(sh.channel.subs).toEqual([{ option: TELNET_OPT.TTYPE, payload: Buffer.from([1]) }]);
    expect([IAC, SB, SE]).toEqual([255, 250, 240]);
  });

  for (const spec of specs.filter((s) => s.transport === 'telnet' && !s.faults && !s.kind && !s.encoding)) {
    it(`${spec.vendor}: logs in with the vendor's prompts and runs the same CLI`, async () => {
      const sh = await telnet(spec.name, { rows: 200 });
      const login = LOGIN[spec.vendor];
      await telnetLogin(sh, login, creds);
      await sh.waitFor(login.prompt(spec.name));
      // The username is echoed by the device, the password never is.
      expect(sh.text).toContain('netops');
      expect(sh.text).not.toContain(creds.password);
      // Comware shows its copyright before the login, not again after it.
      expect(sh.text.match(/Copyright/g)?.length ?? 0).toBe(spec.vendor === 'h3c_comware' ? 1 : 0);
      sh.write(`${VERSION[spec.vendor].command}\r`);
      const out = await sh.waitFor(login.prompt(spec.name));
      expect(out).toMatch(VERSION[spec.vendor].shows);
    });
  }

  it('prints the vendor failure and asks again; hangs up after three wrong passwords', async () => {
    const sh = await telnet('vrp-t');
    const login = LOGIN.huawei_vrp;
    for (let i = 0; i < 3; i++) {
      await sh.waitFor(/Username:$/);
      sh.write('netops\r\n');
      await sh.waitFor(login.password);
      sh.write('wrong\r\n');
      await sh.waitFor(/\r\nError: Failed to authenticate\.\r\n/);
    }
    await sh.waitClosed();
    expect(sh.text.match(/Username:/g)).toHaveLength(3);
  });

  it('refuses every login on a refuseLogin device, the Cisco way', async () => {
    const sh = await telnet('ios-t-refuse');
    await telnetLogin(sh, LOGIN.cisco_ios, creds);
    await sh.waitFor(/\r\n% Login invalid\r\n\r\nUsername: $/);
  });

  it('applies session faults after a telnet login: flood, then the drop', async () => {
    const sh = await telnet('vrp-t-faulty');
    await telnetLogin(sh, LOGIN.huawei_vrp, creds);
    await sh.waitFor(/%%01IFNET\/4\/LINK_STATE/);
    await sh.waitClosed();
  });

  it('hangs up on a login left unanswered', async () => {
    const server = createServer((socket) => {
      socket.on('error', () => {});
      serveTelnet(socket, {
        login: new TelnetLogin(telnetLoginText('cisco_ios', 'x'), () => true),
        loginTimeoutMs: 50,
        onSession: () => {},
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => server.close());
    const address = server.address() as AddressInfo;
    const sh = await connectTelnet({ host: '127.0.0.1', port: address.port });
    await sh.waitFor(/Username: $/);
    await sh.waitClosed();
  });

  it('pages by the NAWS window size and follows a resize', async () => {
    const sh = await telnet('vrp-t', { rows: 8 });
    await telnetLogin(sh, LOGIN.huawei_vrp, creds);
    await sh.waitFor(/<vrp-t>$/);
    sh.write('display current-configuration\r');
    const first = await sh.waitFor(/---- More ----$/);
    expect(first.split('\r\n')).toHaveLength(1 + 7 + 1);
    sh.write('q');
    await sh.waitFor(/<vrp-t>$/);
    sh.channel.resize(120, 20);
    sh.write('display current-configuration\r');
    const second = await sh.waitFor(/---- More ----$/);
    expect(second.split('\r\n')).toHaveLength(1 + 19 + 1);
    // IAC IP (the client's interrupt) stops the pager like Ctrl+C.
    sh.channel.writeRaw(Buffer.from([TELNET_CMD.IAC, TELNET_CMD.IP]));
    await sh.waitFor(/<vrp-t>$/);
  });

  it('strips telnet commands from input, even in the middle of a command', async () => {
    const sh = await telnet('ios-t', { rows: 200 });
    await telnetLogin(sh, LOGIN.cisco_ios, creds);
    await sh.waitFor(/ios-t>$/);
    const { IAC, NOP, DO } = TELNET_CMD;
    sh.write('show ver');
    sh.channel.writeRaw(Buffer.from([IAC, NOP, IAC, DO, TELNET_OPT.BINARY]));
    sh.write('sion\r');
    const out = await sh.waitFor(/ios-t>$/);
    expect(out).toMatch(/^show version\r\nCisco IOS/);
    // The device refused BINARY.
    expect(sh.channel.received).toContainEqual({ verb: 'WONT', option: TELNET_OPT.BINARY });
  });

  it('talks GBK over telnet, both ways', async () => {
    const sh = await telnet('vrp-t-gbk', { rows: 200 });
    await telnetLogin(sh, LOGIN.huawei_vrp, creds);
    await sh.waitFor(/<vrp-t-gbk>$/);
    sh.write('screen-length 0 temporary\r');
    await sh.waitFor(/<vrp-t-gbk>$/);
    const before = sh.bytes.length;
    sh.write('display interface description\r');
    await sh.waitFor(/<vrp-t-gbk>$/);
    const raw = sh.bytes.subarray(before);
    expect(raw.includes(iconv.encode('上联核心交换机', 'gbk'))).toBe(true);
    expect(raw.includes(Buffer.from('上联核心交换机', 'utf8'))).toBe(false);
    sh.channel.write(iconv.encode('测试', 'gbk'));
    await sh.waitFor(/测试$/);
  });

  it('ends the telnet connection when the CLI session ends', async () => {
    const sh = await telnet('ios-t');
    await telnetLogin(sh, LOGIN.cisco_ios, creds);
    await sh.waitFor(/ios-t>$/);
    sh.write('exit\r');
    await sh.waitClosed();
  });
});

describe('legacy-only SSH device', () => {
  it('cannot be reached with ssh2 default algorithms', async () => {
    await expect(connectTo(device('ios-legacy'))).rejects.toThrow(/handshake failed|no matching/i);
  });

  it('logs in with group1-sha1, an ssh-rsa host key, aes128-cbc and hmac-sha1', async () => {
    const d = device('ios-legacy');
    const { client, kex, hostKey, cipher, hmac, keyType } = await sshConnect(d, {
      password: d.password,
      algorithms: {
        kex: ['diffie-hellman-group1-sha1'],
        serverHostKey: ['ssh-rsa'],
        cipher: ['aes128-cbc'],
        hmac: ['hmac-sha1'],
      },
    });
    expect({ kex, hostKey, cipher, hmac, keyType }).toEqual({
      kex: 'diffie-hellman-group1-sha1',
      hostKey: 'ssh-rsa',
      cipher: 'aes128-cbc',
      hmac: 'hmac-sha1',
      keyType: 'ssh-rsa',
    });
    const sh = await openShell(client);
    await sh.waitFor(/ios-legacy>$/);
  });

  it('also offers diffie-hellman-group14-sha1, and nothing modern', async () => {
    const d = device('ios-legacy');
    const { kex } = await sshConnect(d, {
      password: d.password,
      algorithms: {
        kex: ['curve25519-sha256', 'diffie-hellman-group14-sha1'],
        serverHostKey: ['ssh-ed25519', 'ssh-rsa'],
        cipher: ['aes128-gcm@openssh.com', 'aes128-cbc'],
        hmac: ['hmac-sha2-256', 'hmac-sha1'],
      },
    });
    expect(kex).toBe('diffie-hellman-group14-sha1');
    expect(LEGACY_SSH_ALGORITHMS.kex).toEqual(['diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1']);
  });
});

describe('keyboard-interactive device with a token', () => {
  /** Answers the server's prompts with `answers`, recording what was asked. */
  function kiLogin(answers: string[]): { asked: Prompt[]; config: Partial<ConnectConfig> } {
    const asked: Prompt[] = [];
    const method: KeyboardInteractiveAuthMethod = {
      type: 'keyboard-interactive',
      username: creds.username,
      prompt: (_name, _instructions, _lang, prompts, finish) => {
        asked.push(...prompts);
        finish(answers);
      },
    };
    return { asked, config: { authHandler: [method] } };
  }

  it('asks Password (hidden) and Token (shown), and lets the right answers in', async () => {
    const d = device('vrp-token');
    const { asked, config } = kiLogin([creds.password, TOKEN]);
    const { client } = await sshConnect(d, config);
    expect(asked).toEqual([
      { prompt: LAB_DEFAULTS.KI_PASSWORD_PROMPT, echo: false },
      { prompt: LAB_DEFAULTS.KI_TOKEN_PROMPT, echo: true },
    ]);
    expect(asked.map((p) => p.prompt)).toEqual(['Password: ', 'Token: ']);
    const sh = await openShell(client);
    await sh.waitFor(/<vrp-token>$/);
  });

  it('refuses a wrong token, a wrong password, and password authentication', async () => {
    const d = device('vrp-token');
    await expect(sshConnect(d, kiLogin([creds.password, '654321']).config)).rejects.toThrow(
      /authentication methods failed/i,
    );
    await expect(sshConnect(d, kiLogin(['nope', TOKEN]).config)).rejects.toThrow(
      /authentication methods failed/i,
    );
    await expect(connectTo(d)).rejects.toThrow(/authentication methods failed/i);
  });
});

describe('console-server line', () => {
  it('over telnet: no login, silent until Enter, then the prompt and a working CLI', async () => {
    const sh = await telnet('ios-console', { rows: 200 });
    sh.write('\r');
    await sh.waitFor(/ios-console>$/);
    // Nothing came before the Enter: no banner, no login, no prompt.
    expect(sh.text).toBe('\r\nios-console>');
    sh.write('show version\r');
    expect(await sh.waitFor(/ios-console>$/)).toMatch(/Cisco IOS/);
  });

  it('over SSH: any login gets in, and the line is silent until Enter', async () => {
    const d = device('vrp-console-ssh');
    const client = await connectTo({ ...d, username: 'whoever', password: 'anything' });
    closers.push(() => client.end());
    const sh = await openShell(client);
    sh.write('\r');
    await sh.waitFor(/<vrp-console-ssh>$/);
    expect(sh.text).toBe('\r\n<vrp-console-ssh>');
  });
});
