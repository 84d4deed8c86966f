/**
 * Juniper Junos personality (EX4300-24T, 21.4R3-S5.4) as a pure state machine: lines in, text out.
 *
 * Junos differs from the IOS-like CLIs in ways drivers trip over: the prompt is `user@host> ` with a
 * trailing space, every command's output is followed by a blank line (and `[edit]` in configuration
 * mode), pipes chain (`| display set | no-more`), and the pager shows its progress (`---(more 45%)---`).
 * A real EX in a virtual chassis also prints `{master:0}` above each prompt; the lab leaves that out.
 */
import {
  caretLine,
  matchCommand,
  tokenize,
  type CommandSpec,
  type MatchFailure,
  type MatchSuccess,
} from './match';
import {
  interfaceState,
  localParts,
  maskToPrefix,
  seededRandom,
  type CliExecuteOptions,
  type CliMachine,
  type CliResult,
  type LabDeviceModel,
  type LabInterface,
  type PagerStyle,
} from './model';

export const JUNOS_PAGER_PROMPT = '---(more)---';
/** Junos erases its pager prompt by overwriting the line with spaces between two carriage returns. */
export const JUNOS_PAGER_ERASE = `\r${' '.repeat(40)}\r`;

const VERSION = '21.4R3-S5.4';
const MODEL = 'ex4300-24t';

type Mode = 'operational' | 'configuration';
type Asking = 'reboot' | 'exit-uncommitted' | null;

type Id =
  | 'show-version'
  | 'show-configuration'
  | 'show-interfaces-terse'
  | 'show-interfaces-descriptions'
  | 'show-interfaces'
  | 'show-system-uptime'
  | 'configure'
  | 'screen-length'
  | 'screen-width'
  | 'request-system-reboot'
  | 'exit'
  | 'exit-configuration-mode'
  | 'set'
  | 'delete'
  | 'commit'
  | 'commit-and-quit'
  | 'show-candidate'
  | 'run';

const OPERATIONAL: CommandSpec<Id>[] = [
  { id: 'show-version', words: ['show', 'version'] },
  { id: 'show-configuration', words: ['show', 'configuration'], args: 'optional' },
  { id: 'show-interfaces-terse', words: ['show', 'interfaces', 'terse'] },
  { id: 'show-interfaces-descriptions', words: ['show', 'interfaces', 'descriptions'] },
  { id: 'show-interfaces', words: ['show', 'interfaces'], args: 'optional' },
  { id: 'show-system-uptime', words: ['show', 'system', 'uptime'] },
  { id: 'configure', words: ['configure'] },
  { id: 'screen-length', words: ['set', 'cli', 'screen-length', '<int>'] },
  { id: 'screen-width', words: ['set', 'cli', 'screen-width', '<int>'] },
  { id: 'request-system-reboot', words: ['request', 'system', 'reboot'] },
  { id: 'exit', words: ['exit'] },
  { id: 'exit', words: ['quit'] },
];

const CONFIGURATION: CommandSpec<Id>[] = [
  { id: 'set', words: ['set'], args: 'required' },
  { id: 'delete', words: ['delete'], args: 'required' },
  { id: 'commit', words: ['commit'] },
  { id: 'commit-and-quit', words: ['commit', 'and-quit'] },
  { id: 'show-candidate', words: ['show'], args: 'optional' },
  { id: 'run', words: ['run'], args: 'required' },
  { id: 'exit', words: ['exit'] },
  { id: 'exit', words: ['quit'] },
  { id: 'exit-configuration-mode', words: ['exit', 'configuration-mode'] },
];

/** Help texts shown under `Possible completions:` when a word is ambiguous. */
const HELP: Record<string, string> = {
  show: 'Show system information',
  set: 'Set CLI properties, date/time, craft interface message',
  configure: 'Manipulate software configuration information',
  request: 'Make system-level requests',
  exit: 'Exit the management session',
  quit: 'Exit the management session',
  version: 'Show software process revision levels',
  configuration: 'Show current configuration',
  interfaces: 'Show interface information',
  system: 'Show system information',
  'screen-length': 'Set number of lines on screen',
  'screen-width': 'Set number of characters on a line',
  terse: 'Display terse output',
  descriptions: 'Display interface description strings',
  commit: 'Commit current set of changes',
  delete: 'Delete a data element',
  run: 'Run an operational-mode command',
  'and-quit': 'Quit configuration mode if commit succeeds',
  'configuration-mode': 'Exit configuration mode',
};

/** One statement of the configuration: a leaf (`host-name sw1;`) or a block with children. */
interface ConfNode {
  name: string;
  children?: ConfNode[];
  /** Rendered with `## SECRET-DATA`, as Junos marks hashes and keys. */
  secret?: boolean;
}

const leaf = (name: string, secret = false): ConfNode => ({ name, ...(secret ? { secret } : {}) });
const block = (name: string, children: ConfNode[]): ConfNode => ({ name, children });

/** What the configuration commands may change before `commit`. */
interface Candidate {
  hostname: string;
  descriptions: Map<string, string>;
  disabled: Map<string, boolean>;
}

type PipeStep =
  | { kind: 'no-more' }
  | { kind: 'match' | 'except' | 'find'; re: RegExp }
  | { kind: 'count' }
  | { kind: 'display-set' }
  | { kind: 'last'; n: number };

export interface JunosCliOptions {
  /** The login user: the prompt is `user@host> `. */
  username: string;
}

export class JunosCli implements CliMachine {
  readonly vendor = 'juniper_junos' as const;
  readonly pager: PagerStyle = { prompt: JUNOS_PAGER_PROMPT, erase: JUNOS_PAGER_ERASE };
  private mode: Mode = 'operational';
  private asking: Asking = null;
  /** null = terminal rows, 0 = no paging. */
  private screenLength: number | null = null;
  private candidate: Candidate | null = null;
  private lastCommit: { at: Date; by: string } | null = null;
  /** Pager prompts shown for the current command. */
  private pagesShown = 0;

  constructor(
    private readonly model: LabDeviceModel,
    private readonly opts: JunosCliOptions,
  ) {}

  get prompt(): string {
    if (this.asking === 'reboot') return 'Reboot the system ? [yes,no] (no) ';
    if (this.asking === 'exit-uncommitted') return 'Exit with uncommitted changes? [yes,no] (yes) ';
    return `${this.opts.username}@${this.model.hostname}${this.mode === 'operational' ? '> ' : '# '}`;
  }

  get secret(): boolean {
    return false;
  }

  banner(): string[] {
    const last = new Date(this.model.now().getTime() - 2 * 3600_000 - 754_000);
    return [
      `Last login: ${junosLoginTime(last)} from 10.0.100.5`,
      `--- JUNOS ${VERSION} Kernel 64-bit  JNPR-12.1-20230321.be2ac0f_buil`,
    ];
  }

  pageSize(rows: number): number {
    if (this.screenLength === 0) return 0;
    return Math.max(1, (this.screenLength ?? rows) - 1);
  }

  /**
   * The first page goes out while Junos is still producing the output, so it shows no percentage;
   * later pages say how much has been shown.
   */
  pagerAt(shown: number, total: number): PagerStyle {
    if (this.pagesShown++ === 0) return this.pager;
    return {
      prompt: `---(more ${Math.min(99, Math.floor((shown / total) * 100))}%)---`,
      erase: JUNOS_PAGER_ERASE,
    };
  }

  interrupt(): CliResult {
    this.asking = null;
    return this.result([]);
  }

  toTop(): CliResult {
    this.asking = null;
    return this.result([]);
  }

  commandsNow(): readonly CommandSpec[] {
    return this.mode === 'operational' ? OPERATIONAL : CONFIGURATION;
  }

  execute(line: string, opts: CliExecuteOptions = {}): CliResult {
    const column = opts.column ?? 0;
    this.pagesShown = 0;
    if (this.asking) return this.answer(this.asking, line);
    const at = line.indexOf('|');
    const command = at < 0 ? line : line.slice(0, at);
    const commands = this.mode === 'operational' ? OPERATIONAL : CONFIGURATION;
    const m = matchCommand(commands, command);
    if (m === null) return at < 0 ? this.result([]) : this.syntaxError(at, column, 'unknown command.');
    if (!m.ok) return this.failure(commands, command, m, column);
    let pipes: PipeStep[] = [];
    if (at >= 0) {
      const parsed = parsePipes(line, at);
      if (!Array.isArray(parsed)) return this.syntaxError(parsed.column, column);
      pipes = parsed;
    }
    const out = this.run(m, column, pipes);
    return this.applyPipes(out, pipes);
  }

  // ---- results and errors ----------------------------------------------------------------------

  /** Junos follows every output with a blank line, plus `[edit]` in configuration mode. */
  private result(lines: string[], pageable = false, close = false): CliResult {
    const trailer = close ? [] : this.mode === 'configuration' ? ['', '[edit]'] : [''];
    return { lines: [...lines, ...trailer], pageable, prompt: this.prompt, close };
  }

  private question(lines: string[]): CliResult {
    return { lines, pageable: false, prompt: this.prompt, question: true };
  }

  private syntaxError(at: number, column: number, text = 'syntax error, expecting <command>.'): CliResult {
    return this.result([caretLine(column + at), text]);
  }

  private failure(commands: CommandSpec<Id>[], command: string, f: MatchFailure, column: number): CliResult {
    const words = tokenize(command);
    switch (f.kind) {
      case 'unrecognized':
        if (f.wordIndex === 0) return this.syntaxError(f.column, column, 'unknown command.');
        if (matchCommand(commands, command.slice(0, f.column))?.ok)
          return this.syntaxError(f.column, column, 'syntax error.');
        return this.syntaxError(f.column, column);
      case 'incomplete':
        return this.syntaxError(f.column, column);
      case 'ambiguous': {
        const typed = words[f.wordIndex].text.toLowerCase();
        const choices = new Set(
          commands
            .filter(
              (c) => c.words.length > f.wordIndex && c.words[f.wordIndex].toLowerCase().startsWith(typed),
            )
            .map((c) => c.words[f.wordIndex]),
        );
        return this.result([
          caretLine(column + f.column),
          `'${words[f.wordIndex].text}' is ambiguous.`,
          'Possible completions:',
          ...[...choices].sort().map((w) => `  ${w.padEnd(21)}${HELP[w] ?? ''}`.trimEnd()),
        ]);
      }
    }
  }

  private applyPipes(out: CliResult, pipes: PipeStep[]): CliResult {
    if (pipes.length === 0 || out.close || out.question) return out;
    const trailer = this.mode === 'configuration' ? 2 : 1;
    let body = out.lines.slice(0, out.lines.length - trailer);
    let pageable = out.pageable;
    for (const p of pipes) {
      switch (p.kind) {
        case 'no-more':
          pageable = false;
          break;
        case 'match':
          body = body.filter((l) => p.re.test(l));
          break;
        case 'except':
          body = body.filter((l) => !p.re.test(l));
          break;
        case 'find': {
          const at = body.findIndex((l) => p.re.test(l));
          body = at < 0 ? [] : body.slice(at);
          break;
        }
        case 'last':
          body = body.slice(-p.n);
          break;
        case 'count':
          body = [`Count: ${body.length} lines`];
          break;
        case 'display-set':
          break; // applied by `show configuration` itself
      }
    }
    return { ...out, lines: [...body, ...out.lines.slice(out.lines.length - trailer)], pageable };
  }

  private answer(question: Exclude<Asking, null>, line: string): CliResult {
    const typed = line.trim().toLowerCase();
    this.asking = null;
    if (question === 'reboot') {
      if (typed !== 'yes' && typed !== 'y') return this.result([]);
      const who = `${this.opts.username}@${this.model.hostname}`;
      return this.result(
        [
          '',
          'Shutdown NOW!',
          `[pid ${40000 + this.model.site * 7}]`,
          '',
          `*** FINAL System shutdown message from ${who} ***`,
          '',
          'System going down IMMEDIATELY',
          '',
          '',
        ],
        false,
        true,
      );
    }
    if (typed === '' || typed === 'yes' || typed === 'y') return this.leaveConfiguration();
    return this.result([]);
  }

  // ---- commands -----------------------------------------------------------------------------------

  private run(m: MatchSuccess<Id>, column: number, pipes: PipeStep[]): CliResult {
    const displaySet = pipes.some((p) => p.kind === 'display-set');
    switch (m.id) {
      case 'show-version':
        return this.result(this.version(), true);
      case 'show-configuration':
        return this.result(this.configuration(this.configTree(this.committed()), m, displaySet, true), true);
      case 'show-candidate':
        return this.result(
          this.configuration(this.configTree(this.candidate ?? this.committed()), m, displaySet, false),
          true,
        );
      case 'show-interfaces-terse':
        return this.result(this.terse(this.model.interfaces), true);
      case 'show-interfaces-descriptions':
        return this.result(this.descriptions(), true);
      case 'show-interfaces': {
        if (m.args.length === 0)
          return this.result(
            this.model.interfaces.flatMap((i) => this.interfaceDetail(i)),
            true,
          );
        const iface = this.findInterface(m.args[0].text);
        if (!iface) return this.result([`error: device ${m.args[0].text} not found`]);
        const terse = m.args.length > 1 && 'terse'.startsWith(m.args[1].text.toLowerCase());
        return this.result(terse ? this.terse([iface]) : this.interfaceDetail(iface), true);
      }
      case 'show-system-uptime':
        return this.result(this.uptime());
      case 'configure':
        this.mode = 'configuration';
        this.candidate = this.committed();
        return this.result(['Entering configuration mode']);
      case 'screen-length':
        this.screenLength = Number(m.params[0]);
        return this.result([`Screen length set to ${m.params[0]}`]);
      case 'screen-width':
        return this.result([`Screen width set to ${m.params[0]}`]);
      case 'request-system-reboot':
        this.asking = 'reboot';
        return this.question([]);
      case 'exit':
        if (this.mode === 'operational') return this.result([], false, true);
        return this.exitConfiguration();
      case 'exit-configuration-mode':
        return this.exitConfiguration();
      case 'set':
      case 'delete':
        return this.edit(m, column);
      case 'commit':
        this.commit();
        return this.result(['commit complete']);
      case 'commit-and-quit':
        this.commit();
        this.mode = 'operational';
        this.candidate = null;
        return this.result(['commit complete', 'Exiting configuration mode']);
      case 'run': {
        const saved = this.mode;
        this.mode = 'operational';
        const res = this.execute(m.rest, { column: column + m.args[0].start });
        this.mode = saved;
        if (res.close || res.question) return res;
        return {
          ...res,
          lines: [...res.lines.slice(0, -1), ...(saved === 'configuration' ? ['', '[edit]'] : [''])],
          prompt: this.prompt,
        };
      }
    }
  }

  private exitConfiguration(): CliResult {
    if (this.candidate && !sameCandidate(this.candidate, this.committed())) {
      this.asking = 'exit-uncommitted';
      return this.question(['The configuration has been changed but not committed']);
    }
    return this.leaveConfiguration();
  }

  private leaveConfiguration(): CliResult {
    this.mode = 'operational';
    this.candidate = null;
    return this.result(['Exiting configuration mode']);
  }

  /** `set`/`delete` of the statements the lab knows: host-name, interface description and disable. */
  private edit(m: MatchSuccess<Id>, column: number): CliResult {
    const cand = this.candidate as Candidate;
    const args = m.args.map((a) => a.text);
    const del = m.id === 'delete';
    if (args[0] === 'system' && args[1] === 'host-name') {
      if (del) return this.result(['warning: statement not found']);
      if (args.length !== 3)
        return this.syntaxError(m.args[Math.min(args.length, 3) - 1].start, column, 'syntax error.');
      cand.hostname = args[2];
      return this.result([]);
    }
    if (args[0] === 'interfaces' && args.length >= 3) {
      const iface = this.findInterface(args[1]);
      if (!iface) return this.syntaxError(m.args[1].start, column, 'syntax error.');
      if (args[2] === 'disable' && args.length === 3) {
        cand.disabled.set(iface.name, !del);
        return this.result([]);
      }
      if (args[2] === 'description') {
        if (del) cand.descriptions.set(iface.name, '');
        else if (args.length < 4)
          return this.syntaxError(m.args[2].start, column, 'syntax error, expecting <string>.');
        else cand.descriptions.set(iface.name, unquote(m.rest.slice(m.args[3].start - m.args[0].start)));
        return this.result([]);
      }
    }
    const bad = m.args[Math.min(args.length - 1, args[0] === 'interfaces' || args[0] === 'system' ? 1 : 0)];
    return this.syntaxError(bad.start, column, 'syntax error.');
  }

  private commit(): void {
    const cand = this.candidate;
    if (!cand) return;
    const model = this.model;
    model.hostname = cand.hostname;
    for (const i of model.interfaces) {
      i.description = cand.descriptions.get(i.name) ?? i.description;
      i.adminUp = !(cand.disabled.get(i.name) ?? !i.adminUp);
    }
    model.lastChange = model.now();
    this.lastCommit = { at: model.lastChange, by: this.opts.username };
    this.candidate = this.committed();
  }

  private committed(): Candidate {
    return {
      hostname: this.model.hostname,
      descriptions: new Map(this.model.interfaces.map((i) => [i.name, i.description])),
      disabled: new Map(this.model.interfaces.map((i) => [i.name, !i.adminUp])),
    };
  }

  /** Physical names (`ge-0/0/1`) and units (`irb.10`, `lo0.0`, `ge-0/0/1.0`). */
  private findInterface(name: string): LabInterface | undefined {
    const lower = name.toLowerCase();
    return this.model.interfaces.find((i) => i.name === lower || `${i.name}.0` === lower);
  }

  // ---- show output -------------------------------------------------------------------------------

  private version(): string[] {
    const os = '[20230321.be2ac0f_builder_stable_12_214]';
    const junos = '[20230329.213117_builder_junos_214_r3_s5]';
    return [
      `Hostname: ${this.model.hostname}`,
      `Model: ${MODEL}`,
      `Junos: ${VERSION}`,
      `JUNOS OS Kernel 64-bit  ${os}`,
      `JUNOS OS libs ${os}`,
      `JUNOS OS runtime ${os}`,
      `JUNOS OS time zone information ${os}`,
      `JUNOS network stack and utilities ${junos}`,
      `JUNOS libs ${junos}`,
      `JUNOS OS libs compat32 ${os}`,
      `JUNOS OS 32-bit compatibility ${os}`,
      `JUNOS libs compat32 ${junos}`,
      `JUNOS runtime ${junos}`,
      `JUNOS py extensions ${junos}`,
      `JUNOS py base ${junos}`,
      `JUNOS OS crypto ${os}`,
      `JUNOS na telemetry [${VERSION}]`,
      `JUNOS Security Intelligence ${junos}`,
      `JUNOS Packet Forwarding Engine Support (EX4300) ${junos}`,
      `JUNOS Online Documentation ${junos}`,
      `JUNOS EX 4300 Software Suite ${junos}`,
      `JUNOS Kernel Software Suite ${junos}`,
      `JUNOS Crypto Software Suite ${junos}`,
      `JUNOS Routing Software Suite ${junos}`,
      `JUNOS jsd [i386-${VERSION}-jet-1]`,
    ];
  }

  private terse(interfaces: LabInterface[]): string[] {
    const lines = ['Interface               Admin Link Proto    Local                 Remote'];
    const row = (name: string, admin: boolean, link: boolean, proto = '', local = ''): void => {
      lines.push(
        `${name.padEnd(24)}${(admin ? 'up' : 'down').padEnd(6)}${(link ? 'up' : 'down').padEnd(5)}${proto.padEnd(9)}${local}`.trimEnd(),
      );
    };
    const units = interfaces.filter((i) => i.name.startsWith('irb.'));
    // Ports in slot order, then the other interfaces by name, as Junos lists them.
    const ordered = [
      ...interfaces.filter((i) => i.kind === 'ethernet'),
      ...interfaces
        .filter((i) => i.kind !== 'ethernet')
        .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })),
    ];
    for (const i of ordered) {
      const up = interfaceState(i) === 'up';
      const address = i.ipv4 ? `${i.ipv4.address}/${maskToPrefix(i.ipv4.mask)}` : '';
      if (i.kind === 'ethernet') {
        row(i.name, i.adminUp, i.linkUp && i.adminUp);
        row(`${i.name}.0`, true, up, 'eth-switch');
      } else if (i.kind === 'loopback') {
        row(i.name, true, true);
        row(`${i.name}.0`, true, true, 'inet', `${i.ipv4?.address ?? ''}        --> 0/0`);
      } else if (i.kind === 'mgmt') {
        row(i.name, true, i.linkUp);
        row(`${i.name}.0`, true, i.linkUp, 'inet', address);
      } else if (i === units[0]) {
        row('irb', true, true);
      }
      if (i.name.startsWith('irb.')) row(i.name, i.adminUp, up, 'inet', address);
    }
    return lines;
  }

  private descriptions(): string[] {
    const lines = ['Interface       Admin Link Description'];
    for (const i of this.model.interfaces) {
      if (!i.description) continue;
      const link = interfaceState(i) === 'up' ? 'up' : 'down';
      lines.push(
        `${i.name.padEnd(16)}${(i.adminUp ? 'up' : 'down').padEnd(6)}${link.padEnd(5)}${i.description}`,
      );
    }
    return lines;
  }

  private interfaceDetail(i: LabInterface): string[] {
    const model = this.model;
    const index = 650 + model.interfaces.indexOf(i);
    const state = interfaceState(i);
    const rand = seededRandom(`detail:${model.hostname}:${i.name}`);
    const bps = state === 'up' ? Math.floor(rand() * 900_000) : 0;
    const flapped = `${junosTime(model.bootedAt)} (${junosAgo(model.now().getTime() - model.bootedAt.getTime())} ago)`;
    const lines = [
      `Physical interface: ${i.name}, ${i.adminUp ? 'Enabled' : 'Administratively down'}, Physical link is ${state === 'up' ? 'Up' : 'Down'}`,
      `  Interface index: ${index}, SNMP ifIndex: ${index - 135}`,
    ];
    if (i.description) lines.push(`  Description: ${i.description}`);
    lines.push(
      `  Link-level type: Ethernet, MTU: 1514, Speed: ${i.name.startsWith('xe-') ? '10Gbps' : '1000mbps'}, Duplex: Full-Duplex`,
      `  Current address: ${model.mac}, Hardware address: ${model.mac}`,
      `  Last flapped   : ${flapped}`,
      `  Input rate     : ${bps} bps (${Math.floor(bps / 800)} pps)`,
      `  Output rate    : ${Math.floor(bps / 2)} bps (${Math.floor(bps / 1600)} pps)`,
    );
    if (i.ipv4) {
      lines.push(
        '',
        `  Logical interface ${i.name.includes('.') ? i.name : `${i.name}.0`} (Index ${index - 100}) (SNMP ifIndex ${index - 130})`,
        '    Protocol inet, MTU: 1500',
        `      Addresses, Flags: Is-Preferred Is-Primary`,
        `        Destination: ${i.ipv4.address}/${maskToPrefix(i.ipv4.mask)}, Local: ${i.ipv4.address}`,
      );
    }
    lines.push('');
    return lines;
  }

  private uptime(): string[] {
    const model = this.model;
    const now = model.now();
    const since = (d: Date): string => `${junosTime(d)} (${junosAgo(now.getTime() - d.getTime())} ago)`;
    const protocols = new Date(model.bootedAt.getTime() + 121_000);
    const by = this.lastCommit?.by ?? 'admin';
    const upMs = now.getTime() - model.bootedAt.getTime();
    const days = Math.floor(upMs / 86_400_000);
    const hm = new Date(upMs).toISOString().slice(11, 16).replace(/^0/, ' ');
    const p = localParts(now);
    const clock = `${((p.h + 11) % 12) + 1}:${String(p.mi).padStart(2, '0')}${p.h < 12 ? 'AM' : 'PM'}`;
    const users = Math.max(1, model.activeSessions);
    return [
      `Current time: ${junosTime(now)}`,
      'Time Source:  NTP CLOCK ',
      `System booted: ${since(model.bootedAt)}`,
      `Protocols started: ${since(protocols)}`,
      `Last configured: ${since(model.lastChange)} by ${by}`,
      `${clock.padStart(7)}  up ${days} days, ${hm}, ${users} ${users === 1 ? 'user' : 'users'}, load averages: 0.42, 0.38, 0.35`,
    ];
  }

  // ---- configuration -----------------------------------------------------------------------------

  private configuration(
    tree: ConfNode[],
    m: MatchSuccess<Id>,
    displaySet: boolean,
    withHeader: boolean,
  ): string[] {
    const path = m.args.map((a) => a.text);
    const found = findPath(tree, path);
    if (!found) return [];
    if (displaySet) return renderSet(found.nodes, found.prefix);
    const header =
      withHeader && path.length === 0
        ? [
            `## Last commit: ${junosTime(this.lastCommit?.at ?? this.model.lastChange)} by ${this.lastCommit?.by ?? 'admin'}`,
          ]
        : [];
    return [...header, ...renderCurly(found.nodes, 0)];
  }

  private configTree(c: Candidate): ConfNode[] {
    const model = this.model;
    const s = model.site;
    const secret = (seed: string): string => `"$6$${hashText(seed, 8)}$${hashText(`${seed}!`, 86)}"`;
    const vlanName = (id: number): string =>
      id === 1 ? 'default' : (model.vlans.get(id) || `vlan${id}`).replace(/\s+/g, '-');
    const vlanIds = [...model.vlans.keys()].sort((a, b) => a - b);

    const port = (i: LabInterface): ConfNode => {
      const children: ConfNode[] = [];
      const description = c.descriptions.get(i.name) ?? i.description;
      if (c.disabled.get(i.name)) children.push(leaf('disable'));
      if (description) children.push(leaf(`description ${quote(description)}`));
      if (i.kind === 'ethernet') {
        const members =
          i.mode === 'trunk'
            ? (i.trunkVlans ?? '')
                .split(/[\s,]+/)
                .filter(Boolean)
                .map((v) => vlanName(Number(v)))
            : [vlanName(i.accessVlan ?? 1)];
        const switching =
          i.mode !== 'trunk' && (i.accessVlan ?? 1) === 1
            ? leaf('family ethernet-switching')
            : block('family ethernet-switching', [
                leaf(`interface-mode ${i.mode === 'trunk' ? 'trunk' : 'access'}`),
                block('vlan', [
                  leaf(`members ${members.length === 1 ? members[0] : `[ ${members.join(' ')} ]`}`),
                ]),
              ]);
        children.push(block('unit 0', [switching]));
      } else if (i.ipv4) {
        children.push(
          block('unit 0', [
            block('family inet', [leaf(`address ${i.ipv4.address}/${maskToPrefix(i.ipv4.mask)}`)]),
          ]),
        );
      }
      return block(i.name, children);
    };

    const irbUnits = model.interfaces
      .filter((i) => i.name.startsWith('irb.'))
      .map((i) => {
        const description = c.descriptions.get(i.name) ?? i.description;
        return block(`unit ${i.name.slice(4)}`, [
          ...(c.disabled.get(i.name) ? [leaf('disable')] : []),
          ...(description ? [leaf(`description ${quote(description)}`)] : []),
          ...(i.ipv4
            ? [block('family inet', [leaf(`address ${i.ipv4.address}/${maskToPrefix(i.ipv4.mask)}`)])]
            : []),
        ]);
      });
    const physical = model.interfaces.filter((i) => !i.name.startsWith('irb.'));
    const ospf = model.interfaces
      .filter((i) => i.ipv4 && i.kind !== 'mgmt')
      .map((i) => {
        const unit = i.name.includes('.') ? i.name : `${i.name}.0`;
        return i.name === 'irb.100'
          ? leaf(`interface ${unit}`)
          : block(`interface ${unit}`, [leaf('passive')]);
      });

    return [
      leaf(`version ${VERSION}`),
      block('system', [
        leaf(`host-name ${c.hostname}`),
        block('root-authentication', [leaf(`encrypted-password ${secret(`${model.hostname}:root`)}`, true)]),
        block('login', [
          block(`user ${this.opts.username}`, [
            leaf('uid 2000'),
            leaf('class super-user'),
            block('authentication', [leaf(`encrypted-password ${secret(`${model.hostname}:user`)}`, true)]),
          ]),
        ]),
        block('services', [block('ssh', [leaf('root-login deny')]), block('netconf', [leaf('ssh')])]),
        leaf('time-zone Asia/Shanghai'),
        block('syslog', [
          block('user *', [leaf('any emergency')]),
          block('host 10.0.100.10', [leaf('any notice')]),
          block('file messages', [leaf('any notice'), leaf('authorization info')]),
          block('file interactive-commands', [leaf('interactive-commands any')]),
        ]),
        block('ntp', [leaf('server 10.0.100.1')]),
      ]),
      block('chassis', [block('redundancy', [leaf('graceful-switchover')])]),
      block('interfaces', [...physical.map(port), block('irb', irbUnits)]),
      block('snmp', [
        leaf('location "Lab Rack 3"'),
        leaf('contact "noc@lab.local"'),
        block(`community ${hashText(`${model.hostname}snmp`, 12).replace(/[^A-Za-z0-9]/g, 'x')}`, [
          leaf('authorization read-only'),
        ]),
      ]),
      block('routing-options', [
        block('static', [leaf(`route 0.0.0.0/0 next-hop 10.${s}.100.254`)]),
        leaf(`router-id 10.255.255.${s}`),
      ]),
      block('protocols', [
        block('ospf', [block('area 0.0.0.0', ospf)]),
        block('lldp', [leaf('interface all')]),
        leaf('rstp'),
      ]),
      block('vlans', [
        block('default', [leaf('vlan-id 1')]),
        ...vlanIds.map((id) => block(vlanName(id), [leaf(`vlan-id ${id}`), leaf(`l3-interface irb.${id}`)])),
      ]),
    ];
  }
}

const PIPES = ['no-more', 'count', 'display', 'last', 'match', 'except', 'find'] as const;

/** Parses `| match x | no-more | display set ...`; on failure, the column of the bad word. */
function parsePipes(line: string, firstBar: number): PipeStep[] | { column: number } {
  const steps: PipeStep[] = [];
  for (let from = firstBar; from >= 0; from = line.indexOf('|', from + 1)) {
    const next = line.indexOf('|', from + 1);
    const segment = line.slice(from + 1, next < 0 ? undefined : next);
    const words = tokenize(segment);
    const at = (k: number): number => from + 1 + (words[k]?.start ?? segment.trimEnd().length + 1);
    const head = words[0]?.text.toLowerCase() ?? '';
    const pipe = PIPES.find((p) => head !== '' && p.startsWith(head));
    const arg = words[1]?.text ?? '';
    const pattern = words
      .slice(1)
      .map((w) => w.text)
      .join(' ')
      .replace(/^"(.*)"$/, '$1');
    switch (pipe) {
      case undefined:
        return { column: at(0) };
      case 'no-more':
      case 'count':
        steps.push({ kind: pipe });
        break;
      case 'display':
        if (arg === '' || !'set'.startsWith(arg.toLowerCase())) return { column: at(1) };
        steps.push({ kind: 'display-set' });
        break;
      case 'last':
        if (!/^\d+$/.test(arg)) return { column: at(1) };
        steps.push({ kind: 'last', n: Number(arg) });
        break;
      default:
        if (pattern === '') return { column: at(1) };
        steps.push({ kind: pipe, re: safeRegExp(pattern) });
    }
  }
  return steps;
}

function safeRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch {
    return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  }
}

function renderCurly(nodes: readonly ConfNode[], depth: number): string[] {
  const indent = '    '.repeat(depth);
  return nodes.flatMap((n) => {
    if (!n.children) return [`${indent}${n.name};${n.secret ? ' ## SECRET-DATA' : ''}`];
    if (n.children.length === 0) return [`${indent}${n.name};`];
    return [`${indent}${n.name} {`, ...renderCurly(n.children, depth + 1), `${indent}}`];
  });
}

/** `set` commands, one per leaf; a `[ a b ]` list becomes one command per value, as Junos shows it. */
function renderSet(nodes: readonly ConfNode[], prefix: string): string[] {
  return nodes.flatMap((n) => {
    const path = prefix ? `${prefix} ${n.name}` : n.name;
    if (n.children && n.children.length > 0) return renderSet(n.children, path);
    const list = /^(.*) \[ (.*) \]$/.exec(n.name);
    if (list) return list[2].split(' ').map((v) => `set ${prefix ? `${prefix} ` : ''}${list[1]} ${v}`);
    return [`set ${path}`];
  });
}

/** The nodes under a hierarchy path (`system login`, `interfaces ge-0/0/1`); statements may be two words. */
function findPath(tree: ConfNode[], path: string[]): { nodes: ConfNode[]; prefix: string } | undefined {
  let nodes = tree;
  const taken: string[] = [];
  for (let k = 0; k < path.length;) {
    const one = path[k];
    const two = `${path[k]} ${path[k + 1] ?? ''}`;
    // `host-name` finds the leaf `host-name sw1`: a leaf is named by its first word.
    const hit =
      nodes.find((n) => n.name === two) ??
      nodes.find((n) => n.name === one) ??
      nodes.find((n) => !n.children && n.name.split(' ')[0] === one);
    if (!hit) return undefined;
    taken.push(hit.name);
    k += hit.name === two ? 2 : 1;
    nodes = hit.children ?? [hit];
    if (!hit.children) return { nodes: [hit], prefix: taken.slice(0, -1).join(' ') };
  }
  return { nodes, prefix: taken.join(' ') };
}

function sameCandidate(a: Candidate, b: Candidate): boolean {
  if (a.hostname !== b.hostname) return false;
  for (const [k, v] of a.descriptions) if (b.descriptions.get(k) !== v) return false;
  for (const [k, v] of a.disabled) if (b.disabled.get(k) !== v) return false;
  return true;
}

/** Junos quotes a string unless it is one plain word. */
function quote(text: string): string {
  return /^[\w./:@-]+$/.test(text) ? text : `"${text.replace(/"/g, '\\"')}"`;
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

function hashText(seed: string, length: number): string {
  const rand = seededRandom(seed);
  const alphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `2025-11-24 14:19:00 CST` */
function junosTime(d: Date): string {
  const p = localParts(d);
  return `${p.y}-${two(p.mo + 1)}-${two(p.d)} ${two(p.h)}:${two(p.mi)}:${two(p.s)} CST`;
}

/** `Mon Nov 24 12:05:31 2025` */
function junosLoginTime(d: Date): string {
  const p = localParts(d);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][p.wd];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][p.mo];
  return `${day} ${month} ${two(p.d)} ${two(p.h)}:${two(p.mi)}:${two(p.s)} ${p.y}`;
}

/** `7w6d 05:07`, `1d 04:06`, `04:06`: how Junos writes a duration. */
export function junosAgo(ms: number): string {
  let minutes = Math.max(0, Math.floor(ms / 60_000));
  const weeks = Math.floor(minutes / 10080);
  minutes -= weeks * 10080;
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hm = `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
  const big = `${weeks ? `${weeks}w` : ''}${weeks || days ? `${days}d` : ''}`;
  return big ? `${big} ${hm}` : hm;
}

export function createJunosCli(model: LabDeviceModel, opts: JunosCliOptions): JunosCli {
  return new JunosCli(model, opts);
}
