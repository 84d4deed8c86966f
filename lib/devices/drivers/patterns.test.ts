import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CLEANUP_PATTERNS, DRIVERS, NOT_SECRET_LINE, type VendorDriver } from './index';
import { LearnedPrompt } from './shared';

/** Every RegExp a driver holds, wherever it sits (a new pattern is covered without editing this test). */
function patternsOf(value: unknown, path: string): [string, RegExp][] {
  if (value instanceof RegExp) return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => patternsOf(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => patternsOf(v, `${path}.${k}`));
  return [];
}

const MIB = 1024 * 1024;
const BUDGET_MS = 200;

/** Output a hostile or broken device could print: long runs and repeated fragments, no newline. */
const ADVERSARIAL: [string, string, string][] = [
  // [name, prefix, repeated unit]
  ['spaces', '', ' '],
  ['spaces after a newline', '\n', ' '],
  ['tabs', '', '\t'],
  ['newlines', '', '\n'],
  ['CR LF', '', '\r\n'],
  ['newline space', '', '\n '],
  ['More fragments', '', '---- More'],
  ['More with spaces', '', '  ---- More ----  '],
  ['More without dashes after', '', ' -- More '],
  ['IOS More', '', ' --More-- '],
  ['IOS More with backspaces', '', '--More--\b\b\b  '],
  ['More and erase', '', '  ---- More ----\x1b[16D                '],
  ['escape fragments', '', '\x1b[1'],
  ['OSC fragments', '\x1b]', 'a'],
  ['VRP prompt fragments', '', '<lab-vrp-01'],
  ['VRP view fragments', '', '[~lab'],
  ['IOS prompt fragments', '', 'lab-ios-01(config'],
  ['word after a newline', '\n', 'x'],
  ['word after a CR', '\r', 'a'],
  ['shell prompt fragments', '', 'user@host:~'],
  ['dashes', '', '-'],
  ['error fragments', '', '-a: '],
  ['percent fragments', '', '% '],
  ['password fragments', '', 'Password'],
  ['hashes and angles', '', '#>'],
  ['Junos pager fragments', '', '---(more'],
  ['Junos pager with percent', '', '---(more 45%'],
  ['Junos user@host', '', 'user@host'],
  ['Junos context', '', '{master:0}'],
  ['Junos context lines', '', '{master:0}\n'],
  ['Junos edit fragments', '', '[edit'],
  ['Junos edit lines', '\n', '[edit interfaces]\n'],
  ['IOS mode groups', 'sw1', '(s1)'],
  ['Ruijie mode with spaces', '', 'rj(config-if-GigabitEthernet 0/1'],
  ['VRP view dashes', '[sw1', '-'],
  ['firewall standby prefix', '', 'HRP_M<'],
  ['question fragments', '', '[Y/N'],
  ['question defaults', '', '(y/n)?  [n'],
  ['filename question', '', '[startup-config]'],
  ['are you sure', '\n', 'Are you sure'],
  ['shell error prefix', '\n', '-bash: '],
  ['dash error prefix', '\n', 'sh: 1: x'],
  ['window title', '', '\x1b]0;user@host: ~'],
  ['more percent', '', '--More--(12%'],
  ['CR padding', '', '\r\x00 '],
  // what the secrets rules look for (configuration keywords, cipher texts, quotes, key blocks)
  ['cipher keywords', '', ' cipher '],
  ['cipher keywords after a newline', '\n', ' irreversible-cipher simple plain '],
  ['password keywords', '', ' password '],
  ['indented passwords', '', '\n password 7 '],
  ['secret keywords', '', ' secret 9 '],
  ['key keywords', '', ' key 7 '],
  ['indented keys', '', '\n key '],
  ['key numbers', '', '\n key 1 {'],
  ['SNMP communities', '', 'snmp-server community '],
  ['SNMP community lines', '', 'snmp-server community 7 x\n'],
  ['SNMP hosts', '\n', 'snmp-server host 10.0.0.1 version 2c '],
  ['SNMP users', '\nsnmp-server user u ', ' auth md5 x priv'],
  ['SNMP agent users', '\nsnmp-agent usm-user v3 ', 'authentication-mode '],
  ['username lines', '\nusername x', ' privilege 15'],
  ['tacacs lines', '\ntacacs-server', ' host'],
  ['VRP cipher texts', '', '%^%#'],
  ['Comware cipher texts', '', ' $c$3$'],
  ['quotes', '', '"'],
  ['quoted secrets', '', ' secret "'],
  ['SECRET-DATA', '', ' x; ## SECRET-DATA'],
  ['unterminated quoted secret', ' encrypted-password "', 'a'],
  ['Junos communities', '\n', 'community x '],
  ['key blocks', '', '-----BEGIN RSA PRIVATE KEY-----\n'],
  ['key block body', '-----BEGIN RSA PRIVATE KEY-----\n', 'QUJD-'],
  ['key block dashes', '-----BEGIN RSA PRIVATE KEY-----\n', '----'],
  ['description words', '\n', 'description password cipher '],
];

// Runs in a worker so a catastrophic pattern can be stopped instead of freezing the test run.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { source, flags, inputs, size } = workerData;
for (const [name, prefix, unit] of inputs) {
  const input = (prefix + unit.repeat(Math.ceil(size / unit.length))).slice(0, size);
  const re = new RegExp(source, flags);
  const t0 = performance.now();
  if (re.global) input.replace(re, '');
  else re.test(input);
  parentPort.postMessage({ name, ms: performance.now() - t0 });
}
parentPort.postMessage({ done: true });
`;

/** Time `re` on every adversarial input; inputs it could not finish within the hard limit count as slow. */
function timeOnAdversarialInput(re: RegExp): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { source: re.source, flags: re.flags, inputs: ADVERSARIAL, size: MIB },
  });
  return new Promise((resolve, reject) => {
    const finish = () => {
      clearTimeout(limit);
      void worker.terminate();
      for (const [name] of ADVERSARIAL) if (!times.has(name)) times.set(name, Infinity);
      resolve(times);
    };
    const limit = setTimeout(finish, ADVERSARIAL.length * BUDGET_MS + 2000);
    worker.on('message', (m: { name?: string; ms?: number; done?: boolean }) => {
      if (m.done) finish();
      else times.set(m.name!, m.ms!);
    });
    worker.on('error', reject);
  });
}

const drivers = Object.values(DRIVERS) as VendorDriver[];
/** A learned prompt (`promptFor`), and the pattern shared by every name that its `test` runs. */
function learnedPatternsOf(d: VendorDriver): [string, RegExp][] {
  const re = d.promptFor('sw1');
  const own: [string, RegExp] = [`${d.vendor}.promptFor`, re];
  return re instanceof LearnedPrompt ? [own, [`${d.vendor}.promptFor.shared`, re.shared]] : [own];
}

const all = [
  ...drivers.flatMap((d) => patternsOf(d, d.vendor)),
  ...drivers.flatMap(learnedPatternsOf),
  ...patternsOf(CLEANUP_PATTERNS, 'cleanup'),
  ...patternsOf(NOT_SECRET_LINE, 'NOT_SECRET_LINE'),
];

describe('driver patterns run in linear time on hostile output (finding 6)', () => {
  it('finds the patterns of every driver', () => {
    expect(all.length).toBeGreaterThanOrEqual(drivers.length * 4);
    expect(all.map(([p]) => p)).toEqual(
      expect.arrayContaining([
        'huawei_vrp.pagerArtifact',
        'juniper_junos.prompt',
        'juniper_junos.promptFor.shared',
        'cisco_ios.promptFor.shared',
        'generic.question',
        'cisco_ios.enable.refused',
        'cleanup.ansi',
        'cleanup.control',
        'cisco_ios.secrets[0].pattern',
        'generic.secrets[0].pattern',
        'NOT_SECRET_LINE',
      ]),
    );
  });
  for (const [path, re] of all) {
    it(`${path} ${re} takes under ${BUDGET_MS} ms on 1 MiB of each adversarial input`, async () => {
      const times = await timeOnAdversarialInput(re);
      const slow = [...times]
        .filter(([, ms]) => ms > BUDGET_MS)
        .map(([n, ms]) => `${n}: ${Math.round(ms)} ms`);
      expect(slow).toEqual([]);
    }, 30_000);
  }
});
