/**
 * Huawei VRP personality (S5735, V200R022C00SPC500) as a pure state machine: lines in, text out.
 */
import {
  applyFilter,
  caretLine,
  matchCommand,
  parseFilter,
  splitPipe,
  type CommandSpec,
  type MatchFailure,
  type MatchSuccess,
} from './match';
import {
  formatUptime,
  maskToPrefix,
  interfaceState,
  networkOf,
  resolveInterface,
  seededRandom,
  shortInterfaceName,
  vrpDateTime,
  vrpDayName,
  wildcardOf,
  isIpv4,
  type CliExecuteOptions,
  type CliMachine,
  type CliResult,
  type LabDeviceModel,
  type LabInterface,
} from './model';

export const VRP_PAGER_PROMPT = '  ---- More ----';
export const VRP_PAGER_ERASE = `\x1b[16D${' '.repeat(16)}\x1b[16D`;

type VrpView =
  | { kind: 'user' }
  | { kind: 'system' }
  | { kind: 'interface'; iface: LabInterface }
  | { kind: 'vlan'; id: number };

type Id =
  | 'display-version'
  | 'display-interface-brief'
  | 'display-interface-description'
  | 'display-interface'
  | 'display-current-configuration'
  | 'display-this'
  | 'display-clock'
  | 'display-vlan'
  | 'system-view'
  | 'quit'
  | 'return'
  | 'save'
  | 'reboot'
  | 'screen-length'
  | 'undo-screen-length'
  | 'terminal-monitor'
  | 'undo-terminal-monitor'
  | 'sysname'
  | 'interface'
  | 'vlan'
  | 'vlan-batch'
  | 'undo-vlan'
  | 'global-extra'
  | 'description'
  | 'undo-description'
  | 'shutdown'
  | 'undo-shutdown'
  | 'link-type-access'
  | 'link-type-trunk'
  | 'link-type-hybrid'
  | 'default-vlan'
  | 'trunk-allow'
  | 'ip-address'
  | 'undo-ip-address'
  | 'iface-extra'
  | 'vlan-name';

const DISPLAY: CommandSpec<Id>[] = [
  { id: 'display-version', words: ['display', 'version'] },
  { id: 'display-interface-brief', words: ['display', 'interface', 'brief'] },
  { id: 'display-interface-description', words: ['display', 'interface', 'description'] },
  { id: 'display-interface', words: ['display', 'interface'], args: 'optional' },
  { id: 'display-current-configuration', words: ['display', 'current-configuration'] },
  { id: 'display-this', words: ['display', 'this'] },
  { id: 'display-clock', words: ['display', 'clock'] },
  { id: 'display-vlan', words: ['display', 'vlan'] },
];

const USER: CommandSpec<Id>[] = [
  ...DISPLAY,
  { id: 'system-view', words: ['system-view'] },
  { id: 'quit', words: ['quit'] },
  { id: 'save', words: ['save'] },
  { id: 'reboot', words: ['reboot'] },
  { id: 'screen-length', words: ['screen-length', '<int>', 'temporary'] },
  { id: 'undo-screen-length', words: ['undo', 'screen-length', 'temporary'] },
  { id: 'terminal-monitor', words: ['terminal', 'monitor'] },
  { id: 'undo-terminal-monitor', words: ['undo', 'terminal', 'monitor'] },
];

const LEAVE: CommandSpec<Id>[] = [
  { id: 'quit', words: ['quit'] },
  { id: 'return', words: ['return'] },
];

const SYSTEM: CommandSpec<Id>[] = [
  ...DISPLAY,
  ...LEAVE,
  { id: 'sysname', words: ['sysname'], args: 'required' },
  { id: 'interface', words: ['interface'], args: 'required' },
  { id: 'vlan', words: ['vlan', '<int>'] },
  { id: 'vlan-batch', words: ['vlan', 'batch'], args: 'required' },
  { id: 'undo-vlan', words: ['undo', 'vlan'], args: 'required' },
  { id: 'global-extra', words: ['ip', 'route-static'], args: 'required' },
  { id: 'global-extra', words: ['ntp-service', 'unicast-server'], args: 'required' },
  { id: 'global-extra', words: ['info-center', 'loghost'], args: 'required' },
  { id: 'global-extra', words: ['snmp-agent'], args: 'optional' },
  { id: 'global-extra', words: ['stp', 'mode'], args: 'required' },
];

const INTERFACE: CommandSpec<Id>[] = [
  ...DISPLAY,
  ...LEAVE,
  { id: 'interface', words: ['interface'], args: 'required' },
  { id: 'description', words: ['description'], args: 'required' },
  { id: 'undo-description', words: ['undo', 'description'] },
  { id: 'shutdown', words: ['shutdown'] },
  { id: 'undo-shutdown', words: ['undo', 'shutdown'] },
  { id: 'link-type-access', words: ['port', 'link-type', 'access'] },
  { id: 'link-type-trunk', words: ['port', 'link-type', 'trunk'] },
  { id: 'link-type-hybrid', words: ['port', 'link-type', 'hybrid'] },
  { id: 'default-vlan', words: ['port', 'default', 'vlan', '<int>'] },
  { id: 'trunk-allow', words: ['port', 'trunk', 'allow-pass', 'vlan'], args: 'required' },
  { id: 'ip-address', words: ['ip', 'address', '<word>', '<word>'] },
  { id: 'undo-ip-address', words: ['undo', 'ip', 'address'] },
  { id: 'iface-extra', words: ['stp', 'edged-port', 'enable'] },
  { id: 'iface-extra', words: ['undo', 'stp', 'edged-port'] },
  { id: 'iface-extra', words: ['loopback-detect', 'enable'] },
];

const VLAN: CommandSpec<Id>[] = [
  ...DISPLAY,
  ...LEAVE,
  { id: 'vlan-name', words: ['description'], args: 'required' },
  { id: 'vlan-name', words: ['name'], args: 'required' },
];

const DISPLAY_IDS = new Set<Id>(DISPLAY.map((c) => c.id));

export interface VrpCliOptions {
  /** Shown in the login banner; default 5. */
  maxVtyUsers?: number;
}

export class VrpCli implements CliMachine {
  readonly vendor = 'huawei_vrp' as const;
  readonly pager = { prompt: VRP_PAGER_PROMPT, erase: VRP_PAGER_ERASE };
  private view: VrpView = { kind: 'user' };
  /** null = default (terminal rows), 0 = off, N = N lines per screen. */
  private screenLength: number | null = null;
  /** A question waiting for its answer. */
  private asking: 'save' | 'reboot' | null = null;

  constructor(
    private readonly model: LabDeviceModel,
    private readonly opts: VrpCliOptions = {},
  ) {}

  get prompt(): string {
    if (this.asking === 'save')
      return 'Warning: The current configuration will be written to the device. Continue? [Y/N]:';
    if (this.asking === 'reboot') return 'Warning: The system will reboot. Continue? [Y/N]:';
    const name = this.model.hostname;
    switch (this.view.kind) {
      case 'user':
        return `<${name}>`;
      case 'system':
        return `[${name}]`;
      case 'interface':
        return `[${name}-${this.view.iface.name}]`;
      case 'vlan':
        return `[${name}-vlan${this.view.id}]`;
    }
  }

  get secret(): boolean {
    return false;
  }

  banner(): string[] {
    const users = Math.max(1, this.model.activeSessions);
    return [
      '',
      `Info: The max number of VTY users is ${this.opts.maxVtyUsers ?? 5}, and the number`,
      `      of current VTY users on line is ${users}.`,
      `      The current login time is ${vrpDateTime(this.model.now())}.`,
    ];
  }

  pageSize(rows: number): number {
    if (this.screenLength === 0) return 0;
    return Math.max(1, (this.screenLength ?? rows) - 1);
  }

  interrupt(): CliResult {
    this.asking = null;
    return this.result([]);
  }

  toTop(): CliResult {
    this.asking = null;
    this.view = { kind: 'user' };
    return this.result([]);
  }

  execute(line: string, opts: CliExecuteOptions = {}): CliResult {
    const column = opts.column ?? 0;
    if (this.asking) return this.answer(this.asking, /^\s*y(es)?\s*$/i.test(line));
    const { command, pipeColumn, pipeText } = splitPipe(line);
    const m = matchCommand(this.commands(), command);
    if (m === null) {
      return pipeText === undefined
        ? this.result([])
        : this.failure({ column: 0, kind: 'unrecognized' }, column);
    }
    if (!m.ok) return this.failure(m, column);
    if (pipeText !== undefined && pipeColumn !== undefined) {
      if (!DISPLAY_IDS.has(m.id))
        return this.failure({ kind: 'unrecognized', column: pipeColumn - 1 }, column);
      const f = parseFilter(pipeText, pipeColumn, ['include', 'exclude', 'begin']);
      if (!f.ok) return this.failure(f, column);
      const out = this.run(m, column);
      return { ...out, lines: applyFilter(out.lines, f.filter) };
    }
    return this.run(m, column);
  }

  private answer(question: 'save' | 'reboot', yes: boolean): CliResult {
    this.asking = null;
    if (!yes) return this.result([]);
    if (question === 'reboot') return this.result(['Info: system is rebooting ,please wait...'], false, true);
    this.model.lastChange = this.model.now();
    return this.result([
      'Now saving the current configuration to the slot 0.',
      'Info: Save the configuration successfully.',
    ]);
  }

  private commands(): CommandSpec<Id>[] {
    switch (this.view.kind) {
      case 'user':
        return USER;
      case 'system':
        return SYSTEM;
      case 'interface':
        return INTERFACE;
      case 'vlan':
        return VLAN;
    }
  }

  private result(lines: string[], pageable = false, close = false): CliResult {
    return { lines, pageable, prompt: this.prompt, close, question: this.asking !== null };
  }

  private failure(f: Pick<MatchFailure, 'kind' | 'column'>, column: number): CliResult {
    const what = { unrecognized: 'Unrecognized', ambiguous: 'Ambiguous', incomplete: 'Incomplete' }[f.kind];
    return this.result([caretLine(column + f.column), `Error: ${what} command found at '^' position.`]);
  }

  private wrongParameter(at: number, column: number): CliResult {
    return this.result([caretLine(column + at), "Error: Wrong parameter found at '^' position."]);
  }

  private run(m: MatchSuccess<Id>, column: number): CliResult {
    const model = this.model;
    const view = this.view;
    switch (m.id) {
      case 'display-version':
        return this.result(this.version(), true);
      case 'display-interface-brief':
        return this.result(this.interfaceBrief(), true);
      case 'display-interface-description':
        return this.result(this.interfaceDescription(), true);
      case 'display-interface': {
        if (m.args.length === 0)
          return this.result(
            model.interfaces.flatMap((i) => this.interfaceDetail(i)),
            true,
          );
        const iface = resolveInterface(model, m.rest, false);
        if (!iface) return this.wrongParameter(m.args[0].start, column);
        return this.result(this.interfaceDetail(iface), true);
      }
      case 'display-current-configuration':
        return this.result(this.currentConfiguration(), true);
      case 'display-this':
        if (view.kind === 'interface')
          return this.result(['#', ...this.interfaceConfig(view.iface), '#', 'return'], true);
        if (view.kind === 'vlan') return this.result(['#', ...this.vlanConfig(view.id), '#', 'return'], true);
        return this.result(this.currentConfiguration(), true);
      case 'display-clock':
        return this.result([
          vrpDateTime(model.now()),
          vrpDayName(model.now()),
          'Time Zone(Beijing) : UTC+08:00',
        ]);
      case 'display-vlan':
        return this.result(this.vlanTable(), true);
      case 'system-view':
        this.view = { kind: 'system' };
        return this.result(['Enter system view, return user view with Ctrl+Z.']);
      case 'quit':
        switch (view.kind) {
          case 'user':
            return this.result(['  Configuration console exit, please retry to log on'], false, true);
          case 'system':
            this.view = { kind: 'user' };
            return this.result([]);
          default:
            this.view = { kind: 'system' };
            return this.result([]);
        }
      case 'return':
        this.view = { kind: 'user' };
        return this.result([]);
      case 'save':
        this.asking = 'save';
        return this.result([]);
      case 'reboot':
        // Real VRP first compares the configuration and may ask to save it; the lab asks only this.
        this.asking = 'reboot';
        return this.result([]);
      case 'screen-length': {
        const n = Number(m.params[0]);
        if (n > 512) return this.wrongParameter(m.words[1].start, column);
        this.screenLength = n;
        return this.result([
          'Info: The configuration takes effect on the current user terminal interface only.',
        ]);
      }
      case 'undo-screen-length':
        this.screenLength = null;
        return this.result([
          'Info: The configuration takes effect on the current user terminal interface only.',
        ]);
      case 'terminal-monitor':
        return this.result(['Info: Current terminal monitor is on.']);
      case 'undo-terminal-monitor':
        return this.result(['Info: Current terminal monitor is off.']);
      case 'sysname': {
        if (m.args.length !== 1 || m.rest.length > 246)
          return this.wrongParameter(m.args[m.args.length - 1].start, column);
        model.hostname = m.rest;
        this.changed();
        return this.result([]);
      }
      case 'interface': {
        const iface = resolveInterface(model, m.rest, true);
        if (!iface) return this.wrongParameter(m.args[0].start, column);
        this.view = { kind: 'interface', iface };
        return this.result([]);
      }
      case 'vlan': {
        const id = Number(m.params[0]);
        if (id < 1 || id > 4094) return this.wrongParameter(m.words[1].start, column);
        if (!model.vlans.has(id)) model.vlans.set(id, '');
        this.changed();
        this.view = { kind: 'vlan', id };
        return this.result([]);
      }
      case 'vlan-batch': {
        const ids = parseVlanList(m.args.map((a) => a.text));
        if (!ids) return this.wrongParameter(m.args[0].start, column);
        for (const id of ids) if (!model.vlans.has(id)) model.vlans.set(id, '');
        this.changed();
        return this.result(['Info: This operation may take a few seconds. Please wait for a moment...done.']);
      }
      case 'undo-vlan': {
        const ids = parseVlanList(
          m.args[0]?.text === 'batch' ? m.args.slice(1).map((a) => a.text) : [m.rest],
        );
        if (!ids) return this.wrongParameter(m.args[0].start, column);
        for (const id of ids) model.vlans.delete(id);
        this.changed();
        return this.result([]);
      }
      case 'global-extra':
        model.extraConfig.push(m.words.map((w) => w.text).join(' '));
        this.changed();
        return this.result([]);
      default:
        return this.runInterfaceOrVlan(m, column);
    }
  }

  private runInterfaceOrVlan(m: MatchSuccess<Id>, column: number): CliResult {
    const view = this.view;
    if (view.kind === 'vlan') {
      if (m.id === 'vlan-name') this.model.vlans.set(view.id, m.rest);
      this.changed();
      return this.result([]);
    }
    if (view.kind !== 'interface') return this.failure({ kind: 'unrecognized', column: 0 }, column);
    const iface = view.iface;
    switch (m.id) {
      case 'description':
        if (m.rest.length > 242) return this.wrongParameter(m.args[0].start, column);
        iface.description = m.rest;
        break;
      case 'undo-description':
        iface.description = '';
        break;
      case 'shutdown':
        iface.adminUp = false;
        break;
      case 'undo-shutdown':
        iface.adminUp = true;
        break;
      case 'link-type-access':
      case 'link-type-hybrid':
        iface.mode = 'access';
        iface.trunkVlans = undefined;
        iface.accessVlan ??= 1;
        break;
      case 'link-type-trunk':
        iface.mode = 'trunk';
        iface.accessVlan = undefined;
        break;
      case 'default-vlan': {
        const id = Number(m.params[0]);
        if (iface.mode !== 'access') return this.result(['Error: Please renew the default configurations.']);
        if (id < 1 || id > 4094) return this.wrongParameter(m.words[3].start, column);
        iface.accessVlan = id;
        break;
      }
      case 'trunk-allow': {
        if (iface.mode !== 'trunk') return this.result(['Error: Please renew the default configurations.']);
        if (!parseVlanList(m.args.map((a) => a.text))) return this.wrongParameter(m.args[0].start, column);
        iface.trunkVlans = m.rest;
        break;
      }
      case 'ip-address': {
        const [address, mask] = m.params;
        if (!isIpv4(address)) return this.wrongParameter(m.words[2].start, column);
        if (!isIpv4(mask)) return this.wrongParameter(m.words[3].start, column);
        if (iface.kind === 'ethernet')
          return this.failure({ kind: 'unrecognized', column: m.words[0].start }, column);
        iface.ipv4 = { address, mask };
        break;
      }
      case 'undo-ip-address':
        iface.ipv4 = undefined;
        break;
      case 'iface-extra': {
        const text = m.words.map((w) => w.text).join(' ');
        if (!iface.extra.includes(text)) iface.extra.push(text);
        break;
      }
      default:
        return this.failure({ kind: 'unrecognized', column: 0 }, column);
    }
    this.changed();
    return this.result([]);
  }

  private changed(): void {
    this.model.lastChange = this.model.now();
  }

  // ---- display output -------------------------------------------------------------------------

  private version(): string[] {
    const model = this.model;
    const up = model.now().getTime() - model.bootedAt.getTime();
    return [
      'Huawei Versatile Routing Platform Software',
      'VRP (R) software, Version 5.170 (S5735 V200R022C00SPC500)',
      'Copyright (C) 2000-2023 HUAWEI TECH Co., Ltd.',
      `HUAWEI S5735-L24T4S-A1 Routing Switch uptime is ${formatUptime(up, false)}`,
      '',
      `ES5D2T28S005 0(Master) : uptime is ${formatUptime(up - 60_000, false)}`,
      'DDR             Memory Size : 512   M bytes',
      'FLASH Total     Memory Size : 512   M bytes',
      'FLASH Available Memory Size : 223   M bytes',
      'Pcb           Version   : VER.B',
      'BootROM       Version   : 0206.0000',
      'BootLoad      Version   : 0206.0000',
      'CPLD          Version   : 0107',
      'Software      Version   : VRP (R) Software, Version 5.170 (V200R022C00SPC500)',
      'FLASH         Version   : 0000.0000',
      `Board         Type      : S5735-L24T4S-A1`,
      `Serial        Number    : ${model.serial}`,
    ];
  }

  private stateWords(i: LabInterface): { phy: string; protocol: string } {
    const state = interfaceState(i);
    if (i.kind === 'null' || i.kind === 'loopback') return { phy: 'up', protocol: 'up(s)' };
    if (state === 'admin-down') return { phy: '*down', protocol: 'down' };
    return { phy: state, protocol: state };
  }

  private interfaceBrief(): string[] {
    const rand = seededRandom(`brief:${this.model.hostname}`);
    const lines = [
      'PHY: Physical',
      '*down: administratively down',
      '^down: standby',
      '(l): loopback',
      '(s): spoofing',
      '(E): E-Trunk down',
      '(b): BFD down',
      '(B): Bit-error-detection down',
      '(e): ETHOAM down',
      '(d): Dampening Suppressed',
      '(p): port alarm down',
      '(ld): loop-detect trigger down',
      '(c): CFM down',
      '(sd): Signal Degraded',
      'InUti/OutUti: input utility rate/output utility rate',
      'Interface                         PHY      Protocol  InUti OutUti   inErrors  outErrors',
    ];
    for (const i of this.model.interfaces) {
      const { phy, protocol } = this.stateWords(i);
      const physical = i.kind === 'ethernet' || i.kind === 'mgmt';
      const up = interfaceState(i) === 'up';
      const util = (): string => (!physical ? '--' : up ? `${(rand() * 3).toFixed(2)}%` : '0%');
      const inErr = physical && up ? Math.floor(rand() * rand() * 40) : 0;
      lines.push(
        `${i.name.padEnd(34)}${phy.padEnd(9)}${protocol.padEnd(9)}${util().padStart(6)}${util().padStart(7)}` +
          `${String(inErr).padStart(11)}${String(0).padStart(11)}`,
      );
    }
    return lines;
  }

  private interfaceDescription(): string[] {
    const lines = [
      'PHY: Physical',
      '*down: administratively down',
      '(l): loopback',
      '(s): spoofing',
      '(E): E-Trunk down',
      '(b): BFD down',
      '(B): Bit-error-detection down',
      '(e): ETHOAM down',
      '(d): Dampening Suppressed',
      '(p): port alarm down',
      '(dl): DLDP down',
      '(c): CFM down',
      '(sd): Signal Degraded',
      'Interface                     PHY     Protocol Description',
    ];
    for (const i of this.model.interfaces) {
      const { phy, protocol } = this.stateWords(i);
      const name = shortInterfaceName('huawei_vrp', i.name);
      const desc =
        i.description || (i.kind === 'null' || i.kind === 'mgmt' ? '' : `HUAWEI, ${i.name} Interface`);
      lines.push(`${name.padEnd(30)}${phy.padEnd(8)}${protocol.padEnd(9)}${desc}`.trimEnd());
    }
    return lines;
  }

  private interfaceDetail(i: LabInterface): string[] {
    const model = this.model;
    const rand = seededRandom(`detail:${model.hostname}:${i.name}`);
    const state = interfaceState(i);
    const now = model.now();
    const upState = state === 'up' ? 'UP' : state === 'down' ? 'DOWN' : 'Administratively DOWN';
    const lines = [
      `${i.name} current state : ${upState} (ifindex: ${5 + model.interfaces.indexOf(i)})`,
      `Line protocol current state : ${state === 'up' ? 'UP' : 'DOWN'}`,
      `Description: ${i.description || `HUAWEI, ${i.name} Interface`}`,
    ];
    if (i.kind === 'ethernet') {
      const inRate = state === 'up' ? Math.floor(rand() * 900_000) : 0;
      const outRate = state === 'up' ? Math.floor(rand() * 900_000) : 0;
      lines.push(
        `Switch Port, PVID : ${String(i.accessVlan ?? 1).padStart(4)}, TPID : 8100(Hex), The Maximum Frame Length is 9216`,
        `IP Sending Frames' Format is PKTFMT_ETHNT_2, Hardware address is ${model.mac}`,
        `Last physical up time   : ${vrpDateTime(model.bootedAt)}`,
        `Last physical down time : ${vrpDateTime(new Date(model.bootedAt.getTime() - 4000))}`,
        `Current system time: ${vrpDateTime(now)}`,
        'Port Mode: COMMON COPPER, Port Split: -',
        `Speed : ${state === 'up' ? 1000 : 'AUTO'},  Loopback: NONE`,
        `Duplex: ${state === 'up' ? 'FULL' : 'AUTO'},  Negotiation: ENABLE`,
        'Mdi   : AUTO,  Flow-control: DISABLE',
        `Last 300 seconds input rate ${inRate} bits/sec, ${Math.floor(inRate / 800)} packets/sec`,
        `Last 300 seconds output rate ${outRate} bits/sec, ${Math.floor(outRate / 800)} packets/sec`,
        `Input peak rate ${inRate * 7} bits/sec, Record time: ${vrpDateTime(model.bootedAt).slice(0, 19)}`,
        `Output peak rate ${outRate * 5} bits/sec, Record time: ${vrpDateTime(model.bootedAt).slice(0, 19)}`,
        `Input:  ${Math.floor(inRate * 3000)} packets, ${Math.floor(inRate * 90000)} bytes`,
        `  Unicast:  ${Math.floor(inRate * 2900)},  Multicast:  ${Math.floor(inRate * 60)}`,
        `  Broadcast:  ${Math.floor(inRate * 40)},  Jumbo:  0`,
        '  Discard:  0,  Pause:  0',
        '  Frames:  0',
        '',
        '  Total Error:  0',
        '  CRC:  0,  Giants:  0',
        '  Jabbers:  0,  Fragments:  0',
        '  Runts:  0,  DropEvents:  0',
        '  Alignments:  0,  Symbols:  0',
        '  Ignoreds:  0',
        '',
        `Output:  ${Math.floor(outRate * 3000)} packets, ${Math.floor(outRate * 80000)} bytes`,
        `  Unicast:  ${Math.floor(outRate * 2900)},  Multicast:  ${Math.floor(outRate * 60)}`,
        `  Broadcast:  ${Math.floor(outRate * 40)},  Jumbo:  0`,
        '  Discard:  0,  Pause:  0',
        '',
        '  Total Error:  0',
        '  Collisions:  0,  Late Collisions:  0',
        '  Deferreds:  0',
        '',
        `    Input bandwidth utilization threshold : 80.00%`,
        `    Output bandwidth utilization threshold: 80.00%`,
        `    Input bandwidth utilization  : ${((inRate / 1e9) * 100).toFixed(2)}%`,
        `    Output bandwidth utilization : ${((outRate / 1e9) * 100).toFixed(2)}%`,
      );
    } else {
      lines.push(
        'Route Port,The Maximum Transmit Unit is 1500',
        i.ipv4
          ? `Internet Address is ${i.ipv4.address}/${maskToPrefix(i.ipv4.mask)}`
          : 'Internet protocol processing : disabled',
        `IP Sending Frames' Format is PKTFMT_ETHNT_2, Hardware address is ${model.mac}`,
        `Current system time: ${vrpDateTime(now)}`,
      );
    }
    lines.push('');
    return lines;
  }

  private vlanTable(): string[] {
    const lines = [
      `The total number of vlans is : ${this.model.vlans.size + 1}`,
      '--------------------------------------------------------------------------------',
      'U: Up;         D: Down;         TG: Tagged;         UT: Untagged;',
      'MP: Vlan-mapping;               ST: Vlan-stacking;',
      '#: ProtocolTransparent-vlan;    *: Management-vlan;',
      '--------------------------------------------------------------------------------',
      '',
      'VID  Type    Ports',
      '--------------------------------------------------------------------------------',
    ];
    const ids = [1, ...[...this.model.vlans.keys()].sort((a, b) => a - b)];
    for (const id of ids) {
      const ports = this.model.interfaces
        .filter(
          (i) =>
            i.kind === 'ethernet' &&
            (i.accessVlan === id ||
              (i.mode === 'trunk' && (id === 1 || (i.trunkVlans ?? '').split(/\s+/).includes(String(id))))),
        )
        .map(
          (i) =>
            `${i.mode === 'trunk' && id !== 1 ? 'TG' : 'UT'}:${shortInterfaceName('huawei_vrp', i.name)}(${interfaceState(i) === 'up' ? 'U' : 'D'})`,
        );
      const first = ports.splice(0, 3);
      lines.push(`${String(id).padEnd(5)}common  ${first.join('  ')}`.trimEnd());
      while (ports.length) lines.push(`${' '.repeat(13)}${ports.splice(0, 3).join('  ')}`);
    }
    lines.push(
      '',
      'VID  Status  Property      MAC-LRN Statistics Description',
      '--------------------------------------------------------------------------------',
    );
    for (const id of ids) {
      const name = id === 1 ? 'VLAN 0001' : this.model.vlans.get(id) || `VLAN ${String(id).padStart(4, '0')}`;
      lines.push(`${String(id).padEnd(5)}enable  default       enable  disable    ${name}`);
    }
    return lines;
  }

  // ---- configuration -------------------------------------------------------------------------

  private interfaceConfig(i: LabInterface): string[] {
    const lines = [`interface ${i.name}`];
    if (i.description) lines.push(` description ${i.description}`);
    if (i.kind === 'ethernet') {
      if (i.mode === 'trunk') {
        lines.push(' port link-type trunk');
        if (i.trunkVlans) lines.push(` port trunk allow-pass vlan ${i.trunkVlans}`);
      } else if (i.accessVlan !== undefined && i.accessVlan !== 1) {
        lines.push(' port link-type access', ` port default vlan ${i.accessVlan}`);
      }
      if (i.mode === 'access' && !i.name.startsWith('X')) {
        if (!i.extra.includes('undo stp edged-port')) lines.push(' stp edged-port enable');
      }
    }
    if (i.ipv4) lines.push(` ip address ${i.ipv4.address} ${i.ipv4.mask}`);
    for (const e of i.extra) if (!e.startsWith('undo') && !lines.includes(` ${e}`)) lines.push(` ${e}`);
    if (!i.adminUp) lines.push(' shutdown');
    return lines;
  }

  private vlanConfig(id: number): string[] {
    const name = this.model.vlans.get(id);
    return [`vlan ${id}`, ...(name ? [` description ${name}`] : [])];
  }

  private currentConfiguration(): string[] {
    const model = this.model;
    const s = model.site;
    const vlanIds = [...model.vlans.keys()].sort((a, b) => a - b);
    const lines = [
      '!Software Version V200R022C00SPC500',
      `!Last configuration was updated at ${vrpDateTime(model.lastChange)}`,
      `!Last configuration was saved at ${vrpDateTime(new Date(model.lastChange.getTime() - 86400_000))}`,
      '#',
      `sysname ${model.hostname}`,
      '#',
      ...(vlanIds.length ? [`vlan batch ${compressVlans(vlanIds)}`] : []),
      '#',
      'authentication-profile name default_authen_profile',
      'authentication-profile name dot1x_authen_profile',
      'authentication-profile name mac_authen_profile',
      'authentication-profile name portal_authen_profile',
      '#',
      'clock timezone Beijing add 08:00:00',
      '#',
      'stp mode rstp',
      'stp instance 0 priority 8192',
      '#',
      'lldp enable',
      '#',
      'http server-source -i LoopBack0',
      '#',
      'diffserv domain default',
      '#',
      'radius-server template default',
      '#',
      'pki realm default',
      ' certificate-check none',
      '#',
      'ssh server-source all-interface',
      'ssh server cipher aes256_gcm aes128_gcm aes256_ctr aes192_ctr aes128_ctr',
      'ssh server hmac sha2_512 sha2_256',
      'ssh server key-exchange dh_group_exchange_sha256 dh_group16_sha512',
      '#',
      'free control-plane',
      '#',
      'info-center loghost 10.0.100.10',
      'info-center timestamp log format-date precision-time millisecond',
      ...model.extraConfig.filter((l) => l.startsWith('info-center')),
      '#',
      'aaa',
      ' authentication-scheme default',
      '  authentication-mode local',
      ' authentication-scheme radius',
      '  authentication-mode radius',
      ' authorization-scheme default',
      '  authorization-mode local',
      ' accounting-scheme default',
      '  accounting-mode none',
      ' local-aaa-user password policy administrator',
      '  password history record number 0',
      ' domain default',
      '  authentication-scheme radius',
      '  accounting-scheme default',
      '  radius-server default',
      ' domain default_admin',
      '  authentication-scheme default',
      '  accounting-scheme default',
      ` local-user admin password irreversible-cipher $1d$${hashish(model.hostname, 22)}$`,
      ' local-user admin privilege level 15',
      ' local-user admin service-type terminal ssh http',
      ` local-user netops password irreversible-cipher $1d$${hashish(`${model.hostname}-ops`, 22)}$`,
      ' local-user netops privilege level 3',
      ' local-user netops service-type ssh',
      '#',
      'ntp-service server disable',
      'ntp-service ipv6 server disable',
      'ntp-service unicast-server 10.0.100.1',
      ...model.extraConfig.filter((l) => l.startsWith('ntp-service')),
      '#',
    ];
    for (const id of vlanIds) {
      const name = model.vlans.get(id);
      if (name) lines.push(...this.vlanConfig(id), '#');
    }
    for (const i of model.interfaces) lines.push(...this.interfaceConfig(i), '#');
    lines.push(
      'ospf 1 router-id 10.255.255.' + s,
      ' silent-interface all',
      ' undo silent-interface Vlanif100',
      ' area 0.0.0.0',
    );
    for (const i of model.interfaces) {
      if (i.ipv4)
        lines.push(`  network ${networkOf(i.ipv4.address, i.ipv4.mask)} ${wildcardOf(i.ipv4.mask)}`);
    }
    lines.push(
      '#',
      `ip route-static 0.0.0.0 0.0.0.0 10.${s}.100.254`,
      ...model.extraConfig.filter((l) => l.startsWith('ip route-static')),
      '#',
      'snmp-agent',
      `snmp-agent local-engineid 800007DB03${model.mac.replace(/[-.]/g, '').toUpperCase()}`,
      'snmp-agent community read cipher %^%#' + hashish(`${model.hostname}snmp`, 32) + '%^%#',
      'snmp-agent sys-info version v2c v3',
      'snmp-agent target-host trap address udp-domain 10.0.100.20 params securityname cipher %^%#' +
        hashish(`${model.hostname}trap`, 24) +
        '%^%#',
      ...model.extraConfig.filter((l) => l.startsWith('snmp-agent') && l !== 'snmp-agent'),
      '#',
      'stelnet server enable',
      'ssh user admin',
      'ssh user admin authentication-type password',
      'ssh user admin service-type stelnet',
      'ssh user netops',
      'ssh user netops authentication-type password',
      'ssh user netops service-type stelnet',
      'ssh authorization-type default aaa',
      '#',
      'ssh server dh-exchange min-len 2048',
      '#',
      'user-interface con 0',
      ' authentication-mode aaa',
      'user-interface vty 0 4',
      ' authentication-mode aaa',
      ' user privilege level 15',
      ' protocol inbound ssh',
      'user-interface vty 16 20',
      '#',
      'wlan ac',
      '#',
      'dot1x-access-profile name dot1x_access_profile',
      '#',
      'mac-access-profile name mac_access_profile',
      '#',
      'ops',
      '#',
      'remote-unit',
      '#',
    );
    for (const extra of model.extraConfig) {
      if (!/^(info-center|ntp-service|ip route-static|snmp-agent)/.test(extra)) lines.push(extra, '#');
    }
    lines.push('return');
    return lines;
  }
}

function hashish(seed: string, length: number): string {
  const rand = seededRandom(seed);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!%&()*+,-.:;<=>?@[]^_`{|}~';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

/** `10 20 to 30` → ids; undefined when malformed or out of range. */
export function parseVlanList(words: readonly string[]): number[] | undefined {
  const ids: number[] = [];
  const tokens = words.flatMap((w) => w.split(/\s+/)).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!/^\d+$/.test(t)) return undefined;
    const from = Number(t);
    if (from < 1 || from > 4094) return undefined;
    if (tokens[i + 1]?.toLowerCase() === 'to') {
      const toText = tokens[i + 2];
      if (!toText || !/^\d+$/.test(toText)) return undefined;
      const to = Number(toText);
      if (to < from || to > 4094) return undefined;
      for (let v = from; v <= to; v++) ids.push(v);
      i += 2;
    } else {
      ids.push(from);
    }
  }
  return ids.length ? ids : undefined;
}

/** [10, 11, 12, 20] → `10 to 12 20` */
function compressVlans(ids: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    parts.push(j - i >= 2 ? `${ids[i]} to ${ids[j]}` : ids.slice(i, j + 1).join(' '));
    i = j;
  }
  return parts.join(' ');
}

export function createVrpCli(model: LabDeviceModel, opts?: VrpCliOptions): VrpCli {
  return new VrpCli(model, opts);
}
