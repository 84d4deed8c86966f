import type { CliMode } from '../devices/drivers';
import type { Vendor } from '../devices/schema';
import { commandWords, compileWords, normaliseLine, patternMatches, type CommandPattern } from './match';

/**
 * What the guard rails know about each vendor's CLI beyond its driver: whether keywords abbreviate,
 * how a command reaches another mode (`do`, `run`, `alias exec`), how the input line is erased, what
 * the modes are called, and which commands change mode. Pure.
 */

type Family = 'bracket' | 'ios' | 'junos' | 'shell';

const FAMILY: Record<Vendor, Family> = {
  huawei_vrp: 'bracket',
  h3c_comware: 'bracket',
  cisco_ios: 'ios',
  cisco_nxos: 'ios',
  arista_eos: 'ios',
  ruijie_os: 'ios',
  juniper_junos: 'junos',
  generic: 'shell',
};

function familyOf(vendor: string): Family {
  return Object.hasOwn(FAMILY, vendor) ? FAMILY[vendor as Vendor] : 'shell';
}

/** Network CLIs take an unambiguous prefix of every keyword; a Unix shell takes whole words only. */
export function abbreviates(vendor: string): boolean {
  return familyOf(vendor) !== 'shell';
}

/**
 * Keys that erase what is typed at the device's prompt, wherever the cursor is: end of line, then
 * delete everything to its left (VRP and Comware: Ctrl+E, Ctrl+X; the IOS family, Junos and shells:
 * Ctrl+E, Ctrl+U). Ctrl+C is not used: in IOS configuration mode it leaves the mode.
 */
export function killLineKeys(vendor: string): string {
  return familyOf(vendor) === 'bracket' ? '\x05\x18' : '\x05\x15';
}

export const POLICY_MODES = ['user', 'exec', 'config'] as const satisfies readonly CliMode[];

/** What each vendor calls its modes (policy pages, notices). */
export function modeLabel(vendor: string, mode: CliMode): string {
  switch (familyOf(vendor)) {
    case 'bracket':
      return mode === 'config' ? 'system view' : 'user view';
    case 'ios':
      return mode === 'config' ? 'configuration' : mode === 'exec' ? 'privileged EXEC' : 'user EXEC';
    case 'junos':
      return mode === 'config' ? 'configuration' : 'operational';
    case 'shell':
      return 'shell';
  }
}

/** One command of a line, with the mode it runs in (null: not known). */
export interface JudgedCommand {
  command: string;
  mode: CliMode | null;
}

/**
 * Words a shell puts in front of a command that still run it (`sudo reboot`, `env X=1 reboot`), with
 * their options that take an argument (`sudo -u root reboot`).
 */
const SHELL_WRAPPERS: Record<string, string[]> = {
  sudo: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T'],
  doas: ['-u', '-C'],
  env: ['-u', '-S', '-C'],
  nice: ['-n'],
  timeout: ['-s', '-k'],
  exec: ['-a'],
  nohup: [],
  command: [],
  builtin: [],
  time: [],
  xargs: [],
  stdbuf: [],
};
/** What separates commands on a shell line, or opens a nested one. */
const SHELL_SEPARATORS = /;|&&|\|\||\||&|`|\$\(|\(|\)|\{|\}|\n/;

function shellCommands(line: string): string[] {
  const out: string[] = [];
  for (const part of line.split(SHELL_SEPARATORS)) {
    let words = commandWords(part.trim());
    // `X=1 cmd`, `sudo -u root cmd`: the command that runs is further in
    const variants: string[] = [];
    for (let guard = 0; words.length > 0 && guard < 8; guard++) {
      variants.push(words.join(' '));
      const first = words[0]!;
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(first)) words = words.slice(1);
      else if (Object.hasOwn(SHELL_WRAPPERS, first.replace(/^.*\//, ''))) {
        const withArgument = SHELL_WRAPPERS[first.replace(/^.*\//, '')]!;
        words = words.slice(1);
        while (words[0]?.startsWith('-')) words = words.slice(withArgument.includes(words[0]) ? 2 : 1);
        // `timeout 5 cmd`: its duration comes first
        if (first === 'timeout' && /^\d/.test(words[0] ?? '')) words = words.slice(1);
      } else break;
    }
    out.push(...variants);
  }
  return out.filter((c) => c !== '');
}

const ALIAS = compileWords('alias *');
const MODE_OF_ALIAS: Record<string, CliMode> = { exec: 'exec', configure: 'config' };

/**
 * The commands a line asks the device to run, as the guard rails judge them: the part before a pipe
 * (`| include …` filters output); an IOS `do …` or a Junos `run …` in configuration mode is an exec
 * command; `alias exec rl reload` is judged as the alias and as `reload` (running `rl` later would
 * run it); on a shell, every command of a `;` / `&&` / `|` chain and what `sudo` or `env` run.
 */
export function commandsOf(vendor: string, line: string, mode: CliMode | null): JudgedCommand[] {
  const text = normaliseLine(line);
  if (!text) return [];
  const family = familyOf(vendor);
  if (family === 'shell') return shellCommands(text).map((command) => ({ command, mode }));
  const command = text.split('|')[0]!.trim();
  if (!command) return [];
  const out: JudgedCommand[] = [{ command, mode }];
  const words = commandWords(command);
  const first = words[0]!.toLowerCase();
  if (words.length > 1 && ((family === 'ios' && first === 'do') || (family === 'junos' && first === 'run')))
    out.push(...commandsOf(vendor, words.slice(1).join(' '), 'exec'));
  if (ALIAS.ok && family === 'ios' && words.length > 3 && patternMatches(ALIAS.pattern, command, true)) {
    const target = MODE_OF_ALIAS[words[1]!.toLowerCase()] ?? 'config';
    out.push(...commandsOf(vendor, words.slice(3).join(' '), target));
  }
  return out;
}

function words(...sources: string[]): CommandPattern[] {
  return sources.flatMap((s) => {
    const r = compileWords(s);
    return r.ok ? [r.pattern] : [];
  });
}

const ENTER_CONFIG: Record<Family, CommandPattern[]> = {
  bracket: words('sys(tem-view)'),
  ios: words('conf(igure)'),
  junos: words('conf(igure)', 'edit'),
  shell: [],
};
const LEAVE_CONFIG: Record<Family, CommandPattern[]> = {
  bracket: words('ret(urn)'),
  ios: words('end'),
  junos: words('exit configuration-mode'),
  shell: [],
};
const LEAVE_ONE: Record<Family, CommandPattern[]> = {
  bracket: words('q(uit)'),
  ios: words('exit'),
  junos: words('exit', 'quit', 'top', 'up'),
  shell: [],
};

/**
 * The mode each command of a list will run in, predicted before a task runs (it starts where the CLI
 * session leaves it: privileged exec). After a command that leaves one level of configuration the
 * mode is not known (null) until one that says where it goes (`return`, `end`). The executor checks
 * again on the device with the mode its prompt shows.
 */
export function predictModes(vendor: string, commands: string[]): (CliMode | null)[] {
  const family = familyOf(vendor);
  let mode: CliMode | null = 'exec';
  return commands.map((line) => {
    const now = mode;
    const text = normaliseLine(line);
    const is = (patterns: CommandPattern[]) =>
      patterns.some((p) => patternMatches(p, text, family !== 'shell'));
    if (is(ENTER_CONFIG[family])) mode = 'config';
    else if (is(LEAVE_CONFIG[family])) mode = 'exec';
    else if (mode === 'config' && is(LEAVE_ONE[family])) mode = null;
    return now;
  });
}
