/**
 * The CLI session (lib/devices/cli.ts) against the lab's personalities and against Debian's OpenSSH
 * sshd with bash (a peer nobody here wrote): enable, learned prompts, errors, questions, and sessions
 * that drop or are cancelled while the driver waits, each noticed at once rather than at a timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHostKey, startLabDevice, type LabDeviceHandle, type LabDeviceSpec } from '../lab';
import { CliError, DeviceCli, openSshShell, type CliTransport } from '../lib/devices/cli';
import { driverFor, type VendorDriver } from '../lib/devices/drivers';
import type { DeviceCredentials } from '../lib/devices/credentials';
import { connectSsh, type SshConnection } from '../lib/devices/ssh';
import { startSshd, type RealSshd } from './sshd';

const hostKey = generateHostKey();
const trustAll = { knownFingerprint: null, trust: async () => ({ ok: true as const }) };
/** Long enough that a wait ending because of it fails the "noticed at once" assertions below. */
const LONG_TIMEOUT_MS = 30_000;
/** "At once": a drop, a cancel or a refusal is reported within this, never at a timeout. */
const AT_ONCE_MS = 1_000;

const devices: LabDeviceHandle[] = [];
const connections: SshConnection[] = [];
afterAll(async () => {
  for (const c of connections) c.client.end();
  await Promise.all(devices.map((d) => d.close()));
});

async function lab(spec: Partial<LabDeviceSpec> & Pick<LabDeviceSpec, 'name' | 'vendor'>) {
  const d = await startLabDevice(
    { port: 0, username: 'lab', password: 'lab-password', enablePassword: 'lab-enable', ...spec },
    { hostKey },
  );
  devices.push(d);
  return d;
}

async function shell(target: { host: string; port: number }, creds: DeviceCredentials) {
  const conn = await connectSsh(target, creds, { hostKeys: trustAll });
  connections.push(conn);
  return openSshShell(conn);
}

async function open(
  d: LabDeviceHandle,
  opts: {
    enableSecret?: string;
    signal?: AbortSignal;
    driver?: VendorDriver;
    transport?: CliTransport;
    knownPrompt?: string;
  } = {},
) {
  const transport = opts.transport ?? (await shell(d, { username: 'lab', password: 'lab-password' }));
  return DeviceCli.open(transport, opts.driver ?? driverFor(d.vendor), 'utf-8', {
    enableSecret: opts.enableSecret,
    signal: opts.signal,
    timeoutMs: LONG_TIMEOUT_MS,
    knownPrompt: opts.knownPrompt,
  });
}

/** `inner` with everything written to the device kept in `writes`, in order. */
function recorded(inner: CliTransport): { transport: CliTransport; writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    transport: {
      ...inner,
      write: (data) => {
        writes.push(String(data));
        inner.write(data);
      },
    },
  };
}

/** How many bare Enters went out before the first command (the prompt's confirmation, or a nudge). */
const entersBeforeFirstCommand = (writes: string[]) => {
  const first = writes.findIndex((w) => w !== '\r');
  return first === -1 ? writes.length : first;
};

/** The CliError a promise rejects with, and how long that took. */
async function failure(p: Promise<unknown>): Promise<{ err: CliError; ms: number }> {
  const t0 = Date.now();
  try {
    await p;
  } catch (err) {
    if (err instanceof CliError) return { err, ms: Date.now() - t0 };
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('enable', () => {
  it('enters privileged mode with the stored secret: privileged commands answer', async () => {
    const d = await lab({ name: 'ios-en', vendor: 'cisco_ios' });
    const cli = await open(d, { enableSecret: 'lab-enable' });
    expect(cli.mode).toBe('exec');
    expect(cli.currentPrompt).toBe('ios-en#');
    const r = await cli.run({ command: 'show running-config' }, LONG_TIMEOUT_MS);
    expect(r.status).toBe('success');
    expect(r.output).toContain('hostname ios-en');
    cli.close();
  });

  it('without a secret the session stays unprivileged and privileged commands are rejected, not success', async () => {
    const d = await lab({ name: 'ios-noen', vendor: 'cisco_ios' });
    const cli = await open(d);
    expect(cli.mode).toBe('user');
    const r = await cli.run({ command: 'show running-config' }, LONG_TIMEOUT_MS);
    expect(r.status).toBe('error');
    expect(r.output).toMatch(/% Invalid input/);
    cli.close();
  });

  it('a wrong enable secret is a clear error, at once', async () => {
    const d = await lab({ name: 'ios-bad', vendor: 'cisco_ios' });
    const { err, ms } = await failure(open(d, { enableSecret: 'not-the-secret' }));
    expect(err.code).toBe('enable_failed');
    expect(err.message).toMatch(/refused the enable secret/);
    expect(ms).toBeLessThan(5_000);
  });

  it('a connection dropped right after enable is noticed at once, saying so', async () => {
    const d = await lab({ name: 'ios-drop-en', vendor: 'cisco_ios', faults: { dropAfterEnable: true } });
    const { err, ms } = await failure(open(d, { enableSecret: 'lab-enable' }));
    expect(err.code).toBe('closed');
    expect(err.message).toMatch(/closed the session while entering privileged mode/);
    expect(ms).toBeLessThan(5_000);
  });

  it('cancel while entering privileged mode ends the wait within a second', async () => {
    const d = await lab({ name: 'ios-cancel', vendor: 'cisco_ios', latencyMs: 10_000 });
    const inner = await shell(d, { username: 'lab', password: 'lab-password' });
    const abort = new AbortController();
    let abortedAt = 0;
    // cancel the moment `enable` goes out, whatever the timing of the device
    const transport: CliTransport = {
      ...inner,
      write: (data) => {
        inner.write(data);
        if (String(data) === 'enable\r') {
          abortedAt = Date.now();
          setImmediate(() => abort.abort());
        }
      },
    };
    const { err } = await failure(open(d, { enableSecret: 'lab-enable', signal: abort.signal, transport }));
    expect(err.code).toBe('cancelled');
    expect(err.message).toMatch(/privileged mode/);
    expect(Date.now() - abortedAt).toBeLessThan(AT_ONCE_MS);
  });
});

describe('prompts', () => {
  it('learns the exact prompt, and a renamed device is followed', async () => {
    const d = await lab({ name: 'vrp-name', vendor: 'huawei_vrp' });
    const cli = await open(d);
    expect(cli.currentPrompt).toBe('<vrp-name>');
    await cli.run({ command: 'system-view' });
    expect(cli.currentPrompt).toBe('[vrp-name]');
    await cli.run({ command: 'sysname core-01' });
    expect(cli.currentPrompt).toBe('[core-01]');
    const r = await cli.run({ command: 'display clock' });
    expect(r.status).toBe('success');
    cli.close();
  });

  it.each([
    ['h3c_comware', 'h3c-p', '<h3c-p>'],
    ['juniper_junos', 'junos-p', 'lab@junos-p>'],
  ] as const)('%s: learns %s and runs the version command with paging off', async (vendor, name, prompt) => {
    const d = await lab({ name, vendor });
    const cli = await open(d);
    expect(cli.currentPrompt).toBe(prompt);
    const r = await cli.run({ command: driverFor(vendor).versionCommand });
    expect(r.status).toBe('success');
    expect(r.output).not.toMatch(/more|More/);
    cli.close();
  });

  it('the prompt of the last login is taken without a confirming Enter; a changed one is confirmed and learned', async () => {
    const d = await lab({ name: 'vrp-known', vendor: 'huawei_vrp' });
    const login = () => shell(d, { username: 'lab', password: 'lab-password' });

    const first = recorded(await login());
    const learnt = await open(d, { transport: first.transport });
    expect(learnt.loginPrompt).toBe('<vrp-known>');
    expect(entersBeforeFirstCommand(first.writes)).toBe(1);
    learnt.close();

    const again = recorded(await login());
    const known = await open(d, { transport: again.transport, knownPrompt: learnt.loginPrompt });
    expect(entersBeforeFirstCommand(again.writes)).toBe(0);
    expect(again.writes[0]).toBe(`${driverFor('huawei_vrp').sessionSetup[0]}\r`);
    expect(known.currentPrompt).toBe('<vrp-known>');
    const r = await known.run({ command: 'display clock' });
    expect(r.status).toBe('success');
    known.close();

    // renamed since (or another device now at this address): confirmed as an unknown prompt
    const renamed = recorded(await login());
    const stale = await open(d, { transport: renamed.transport, knownPrompt: '<vrp-old-name>' });
    expect(entersBeforeFirstCommand(renamed.writes)).toBe(1);
    expect(stale.loginPrompt).toBe('<vrp-known>');
    stale.close();
  });

  it('a known prompt is the login prompt, before enable', async () => {
    const d = await lab({ name: 'ios-known', vendor: 'cisco_ios' });
    const cli = await open(d, { enableSecret: 'lab-enable' });
    expect(cli.loginPrompt).toBe('ios-known>');
    expect(cli.currentPrompt).toBe('ios-known#');
    cli.close();
    const again = recorded(await shell(d, { username: 'lab', password: 'lab-password' }));
    const known = await open(d, {
      transport: again.transport,
      enableSecret: 'lab-enable',
      knownPrompt: cli.loginPrompt,
    });
    expect(again.writes[0]).toBe('enable\r');
    expect(known.mode).toBe('exec');
    known.close();
  });

  it('a prompt the driver does not recognise is reported with what the device sent', async () => {
    const d = await lab({ name: 'vrp8', vendor: 'huawei_vrp', faults: { promptOverride: 'vrp8>' } });
    const { err, ms } = await failure(open(d));
    expect(err.code).toBe('unknown_prompt');
    expect(err.message).toMatch(/not one Huawei VRP shows/);
    expect(err.message).toContain('vrp8>');
    expect(ms).toBeLessThan(5_000);
  });
});

describe('errors and questions', () => {
  it("each personality's error messages are errors", async () => {
    const cases: [LabDeviceSpec['vendor'], string][] = [
      ['huawei_vrp', 'display nonsense'],
      ['huawei_vrp', 'display'],
      ['cisco_ios', 'show nonsense'],
      ['cisco_ios', 'show'],
      ['h3c_comware', 'display nonsense'],
      ['h3c_comware', 'display'],
      ['juniper_junos', 'frobnicate'],
      ['juniper_junos', 'show nonsense'],
    ];
    for (const [vendor, command] of cases) {
      const d = await lab({ name: `err-${vendor}`.replace('_', '-') + devices.length, vendor });
      const cli = await open(d, { enableSecret: 'lab-enable' });
      const r = await cli.run({ command });
      expect(r.status, `${vendor}: ${command}\n${r.output}`).toBe('error');
      cli.close();
    }
  });

  it('an expected question is answered; an unexpected one fails at once, showing the question', async () => {
    const d = await lab({ name: 'vrp-save', vendor: 'huawei_vrp' });
    const cli = await open(d);
    const ok = await cli.run({ command: 'save', answers: [{ prompt: '[Y/N]', answer: 'y' }] });
    expect(ok.status).toBe('success');
    const { err, ms } = await failure(cli.run({ command: 'save' }, LONG_TIMEOUT_MS));
    expect(err.code).toBe('question');
    expect(err.message).toMatch(/"save" asked «.*\[Y\/N\]/);
    expect(ms).toBeLessThan(3_000);
    cli.close();
  });
});

describe('sessions that drop', () => {
  for (const when of ['before-output', 'mid-output', 'mid-pager'] as const) {
    it(`a drop ${when} is noticed at once and names the command`, async () => {
      const command = 'display current-configuration';
      const d = await lab({
        name: `vrp-${when}`,
        vendor: 'huawei_vrp',
        faults: { dropOnCommand: { command, when } },
      });
      // mid-pager needs paging on: no session setup
      const driver = { ...driverFor('huawei_vrp'), sessionSetup: [] };
      const cli = await open(d, { driver });
      const { err, ms } = await failure(cli.run({ command }, LONG_TIMEOUT_MS));
      expect(err.code).toBe('closed');
      expect(err.command).toBe(command);
      expect(err.message).toContain(`while running "${command}"`);
      expect(ms).toBeLessThan(AT_ONCE_MS + 500);
      if (when !== 'before-output') expect(err.partialOutput.length).toBeGreaterThan(0);
    });
  }

  it('a command that restarts the device ends the session, naming it', async () => {
    const d = await lab({ name: 'ios-reload', vendor: 'cisco_ios' });
    const cli = await open(d, { enableSecret: 'lab-enable' });
    const { err } = await failure(
      cli.run({ command: 'reload', answers: [{ prompt: '[confirm]', answer: '' }] }, LONG_TIMEOUT_MS),
    );
    expect(err.code).toBe('closed');
    expect(err.message).toContain('while running "reload"');
  });
});

describe('output fidelity', () => {
  it('paged interactive output equals the exec output: only echo, pager and prompt are removed', async () => {
    const d = await lab({ name: 'vrp-fidelity', vendor: 'huawei_vrp' });
    const conn = await connectSsh(d, { username: 'lab', password: 'lab-password' }, { hostKeys: trustAll });
    connections.push(conn);
    const exec = await new Promise<string>((resolve, reject) =>
      conn.client.exec('display current-configuration', (err, ch) => {
        if (err) return reject(err);
        let out = '';
        ch.on('data', (b: Buffer) => (out += b.toString('utf8')));
        ch.on('close', () => resolve(out));
      }),
    );
    const driver = { ...driverFor('huawei_vrp'), sessionSetup: [] }; // keep the pager on
    const cli = await DeviceCli.open(await openSshShell(conn), driver, 'utf-8', {
      timeoutMs: LONG_TIMEOUT_MS,
    });
    const r = await cli.run({ command: 'display current-configuration' });
    expect(r.output).toBe(exec.replace(/\r\n/g, '\n').replace(/\n$/, ''));
    cli.close();
  });
});

describe("generic driver against Debian's OpenSSH sshd and bash", () => {
  let sshd: RealSshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(() => sshd?.close());
  const openBash = async () =>
    DeviceCli.open(
      await shell(sshd, { username: sshd.username, privateKey: sshd.privateKey }),
      driverFor('generic'),
      'utf-8',
      { timeoutMs: LONG_TIMEOUT_MS },
    );

  it('learns the shell prompt, keeps output exactly, flags an unknown command', async () => {
    const cli = await openBash();
    expect(cli.currentPrompt).toMatch(/[$#]$/);
    const r = await cli.run({ command: 'printf "a\\n\\n  b  \\n\\n"' });
    expect(r.output).toBe('a\n\n  b  \n');
    const bad = await cli.run({ command: 'no-such-command-here' });
    expect(bad.status).toBe('error');
    cli.close();
  });

  it('answers a question it expects; an unexpected one fails at once', async () => {
    const cli = await openBash();
    const ask = 'read -p "Proceed? [y/N] " a; echo "got=$a"';
    const r = await cli.run({ command: ask, answers: [{ prompt: '[y/N]', answer: 'y' }] });
    expect(r.output).toContain('got=y');
    const { err, ms } = await failure(cli.run({ command: ask }, LONG_TIMEOUT_MS));
    expect(err.code).toBe('question');
    expect(err.message).toContain('Proceed? [y/N]');
    expect(ms).toBeLessThan(3_000);
    cli.close();
  });

  it("bash's prompt of the last login is taken without a confirming Enter", async () => {
    const first = await openBash();
    expect(first.loginPrompt).toMatch(/[$#]$/);
    first.close();
    const again = recorded(await shell(sshd, { username: sshd.username, privateKey: sshd.privateKey }));
    const cli = await DeviceCli.open(again.transport, driverFor('generic'), 'utf-8', {
      timeoutMs: LONG_TIMEOUT_MS,
      knownPrompt: first.loginPrompt,
    });
    expect(entersBeforeFirstCommand(again.writes)).toBe(0);
    const r = await cli.run({ command: 'echo known-prompt-$((6*7))' });
    expect(r.output).toBe('known-prompt-42');
    cli.close();
  });

  it('a shell killed mid-command is noticed at once, naming the command', async () => {
    const cli = await openBash();
    const command = 'echo started; kill -9 $$';
    const { err, ms } = await failure(cli.run({ command }, LONG_TIMEOUT_MS));
    expect(err.code).toBe('closed');
    expect(err.message).toContain(`while running "${command}"`);
    expect(ms).toBeLessThan(AT_ONCE_MS);
  });
});
