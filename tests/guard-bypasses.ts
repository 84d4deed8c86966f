import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { LAB_CREDS, TestClient, type Portal } from './harness';

/**
 * The ways of typing a denied command that the guard-rails issue lists, and the devices they are
 * typed at (the lab's VRP and IOS, Debian's OpenSSH with bash), for guard-rails-bypass.test.ts and
 * guard-rails-slow-link.test.ts. Every target denies its command to operator2 by `guardRules`.
 */

/** The rules the bypass suites type against, for operator2, at the top of the list. */
export async function guardRules(portal: Portal): Promise<void> {
  const { policy } = portal.runtime;
  const first = (await policy.list())[0]!.id;
  const op2 = [portal.users.operator2];
  const made = await Promise.all([
    policy.create(
      portal.users.admin,
      { name: 'No reboots for op2', patterns: ['reboot', 'reload'], action: 'deny', userIds: op2 },
      first,
    ),
    policy.create(
      portal.users.admin,
      {
        name: 'No shutdown in configuration',
        patterns: ['shutdown'],
        action: 'deny',
        modes: ['config'],
        vendors: ['huawei_vrp', 'cisco_ios'],
        userIds: op2,
      },
      first,
    ),
    policy.create(portal.users.admin, {
      name: 'No touching (shell)',
      patterns: ['touch *'],
      action: 'deny',
      vendors: ['generic'],
      userIds: op2,
    }),
  ]);
  expect(made.every((r) => r.ok)).toBe(true);
}

/** operator2's terminal on `name`, connected. */
export async function openTerminal(portal: Portal, name: string): Promise<TestClient> {
  const c = await TestClient.open(
    portal,
    `/ws/terminal/${await portal.deviceId(name)}`,
    portal.users.operator2,
  );
  c.send({ type: 'connect', cols: 120, rows: 30 });
  await c.waitFrame('terminal_connected', 20_000);
  return c;
}

export interface Target {
  device: string;
  /** The prompt the test types at, at the end of the output. */
  prompt: RegExp;
  /** From the login prompt to `prompt` (IOS: privileged EXEC). */
  reach?: (c: TestClient) => Promise<void>;
  /** The denied command as a user types it in full. */
  command: string;
  /** An abbreviation the device's CLI takes for it (shells take none). */
  abbreviated?: string;
  /** Keys that complete the command with Tab. */
  tab: string;
  /** Case matters to the device (a shell): the mixed-case case types the command as it is. */
  caseSensitive?: boolean;
  /** The rule's notice. */
  notice: RegExp;
  /** Whether the denied command reached the device (its output, or what it did). */
  ran: (out: string) => boolean;
  /** A rule that denies the first harmless command (for the history test). */
  recallRule: string;
  /** Harmless commands, and what each prints when it runs. */
  harmless: [{ keys: string; shows: RegExp }, { keys: string; shows: RegExp }];
  /** An error the device prints for a line it did not take (an erase that left something behind). */
  error: RegExp;
}

export const VRP: Target = {
  device: 'lab-vrp-01',
  prompt: /<lab-vrp-01>$/,
  command: 'reboot',
  abbreviated: 'reb',
  tab: 'reb\t',
  notice: /Not sent: Rule «No reboots for op2» denies/,
  ran: (out) => /system will reboot|Continue\?/i.test(out),
  recallRule: 'display clock',
  harmless: [
    { keys: 'display clock', shows: /Time Zone/ },
    { keys: 'display version', shows: /VRP \(R\) software/ },
  ],
  error: /Error:/,
};

export async function enable(c: TestClient) {
  await c.waitOutput(/lab-ios-01>$/, 20_000);
  c.send({ type: 'input', data: 'enable\r' });
  await c.waitOutput(/Password: $/);
  c.send({ type: 'input', data: `${LAB_CREDS.enablePassword}\r` });
}

export const IOS: Target = {
  device: 'lab-ios-01',
  prompt: /lab-ios-01#$/,
  reach: enable,
  command: 'reload',
  abbreviated: 'rel',
  tab: 'rel\t',
  notice: /Not sent: Rule «No reboots for op2» denies/,
  ran: (out) => /Proceed with reload|%SYS-5-RELOAD/.test(out),
  recallRule: 'show clock',
  harmless: [
    { keys: 'show clock', shows: /\d\d:\d\d:\d\d/ },
    { keys: 'show version', shows: /Cisco IOS/ },
  ],
  error: /% Invalid|% Incomplete|% Ambiguous/,
};

/** bash, whose denied `touch` would create `marker`. */
export const bashTarget = (marker: string): Target => ({
  device: 'debian-openssh',
  prompt: /[$#] $/,
  command: `touch ${marker}`,
  tab: `tou\t ${marker}`,
  caseSensitive: true,
  notice: /Not sent: Rule «No touching \(shell\)» denies/,
  ran: () => existsSync(marker),
  recallRule: 'echo *',
  harmless: [
    { keys: 'echo first-$((6*7))', shows: /[\r\n]first-42\r\n/ },
    { keys: 'echo second-$((6*7))', shows: /[\r\n]second-42\r\n/ },
  ],
  error: /command not found|No such file/,
});

const mixedCase = (s: string) =>
  [...s].map((ch, i) => (i % 2 ? ch.toLowerCase() : ch.toUpperCase())).join('');

/** The ways of typing a denied command the issue lists, as the keys a terminal sends. */
export function bypasses(t: Target): [string, string | string[]][] {
  const cmd = t.command;
  const head = cmd.slice(0, 3);
  const tail = cmd.slice(3);
  const cases: [string, string | string[]][] = [
    ['typed whole', `${cmd}\r`],
    ['tab completion', `${t.tab}\r`],
    ['Ctrl+A editing', `${tail}\x01${head}\r`],
    // a typo typed, Left arrows back to it, Backspace, Ctrl+E to the end
    ['Left arrow, Backspace and Ctrl+E editing', `${head}x${tail}${'\x1b[D'.repeat(tail.length)}\x7f\x05\r`],
    ['leading spaces and mixed case', `   ${t.caseSensitive ? cmd : mixedCase(cmd)}\r`],
    ['a line split across many input frames (a key per frame)', [...`${cmd}\r`]],
    ['a look-alike letter (Cyrillic о)', `${cmd.replace('o', '\u043e')}\r`],
  ];
  if (t.abbreviated) cases.push(['abbreviated', `${t.abbreviated}\r`]);
  return cases;
}
