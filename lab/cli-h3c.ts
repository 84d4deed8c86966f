/**
 * H3C Comware 7 personality (S5130S-28S-EI, Version 7.1.070, Release 6318P01) as a pure state machine:
 * lines in, text out. Views and `^` errors work like VRP, with Comware's wording (` % ...`).
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
  interfaceState,
  isIpv4,
  localParts,
  maskToPrefix,
  resolveInterface,
  seededRandom,
  shortInterfaceName,
  type CliExecuteOptions,
  type CliMachine,
  type CliResult,
  type LabDeviceModel,
  type LabInterface,
} from './model';
import { parseVlanList, VRP_PAGER_ERASE, VRP_PAGER_PROMPT } from './cli-vrp';

/** Comware's pager is VRP's, down to the erase sequence. */
export const H3C_PAGER_PROMPT = VRP_PAGER_PROMPT;
export const H3C_PAGER_ERASE = VRP_PAGER_ERASE;

const RELEASE = '6318P01';

type H3cView =
  | { kind: 'user' }
  | { kind: 'system' }
  | { kind: 'interface'; iface: LabInterface }
  | { kind: 'vlan'; id: number };

/**
 * Questions asked back: `save` asks to confirm, then for the file name (and whether to overwrite another
 * file of that name); `reboot` asks once.
 */
type Asking = 'save-confirm' | 'save-file' | 'save-overwrite' | 'reboot' | null;

type Id =
  | 'display-version'
  | 'display-interface-brief'
  | 'display-interface'
  | 'display-current-configuration'
  | 'display-this'
  | 'display-clock'
  | 'display-vlan'
  | 'system-view'
  | 'quit'
  | 'return'
  | 'save'
  | 'save-force'
  | 'reboot'
  | 'screen-length-disable'
  | 'undo-screen-length-disable'
  | 'sysname'
  | 'interface'
  | 'vlan'
  | 'undo-vlan'
  | 'global-extra'
  | 'description'
  | 'undo-description'
  | 'shutdown'
  | 'undo-shutdown'
  | 'link-type-access'
  | 'link-type-trunk'
  | 'access-vlan'
  | 'trunk-permit'
  | 'ip-address'
  | 'undo-ip-address'
  | 'vlan-name';

const DISPLAY: CommandSpec<Id>[] = [
  { id: 'display-version', words: ['display', 'version'] },
  { id: 'display-interface-brief', words: ['display', 'interface', 'brief'] },
  { id: 'display-interface', words: ['display', 'interface'], args: 'optional' },
  { id: 'display-current-configuration', words: ['display', 'current-configuration'] },
  { id: 'display-clock', words: ['display', 'clock'] },
  { id: 'display-vlan', words: ['display', 'vlan'] },
  { id: 'display-vlan', words: ['display', 'vlan', 'brief'] },
];

/** Commands Comware accepts in every view. */
const ANY_VIEW: CommandSpec<Id>[] = [
  ...DISPLAY,
  { id: 'save', words: ['save'] },
  { id: 'save-force', words: ['save', 'force'] },
];

const USER: CommandSpec<Id>[] = [
  ...ANY_VIEW,
  { id: 'system-view', words: ['system-view'] },
  { id: 'quit', words: ['quit'] },
  { id: 'reboot', words: ['reboot'] },
  { id: 'screen-length-disable', words: ['screen-length', 'disable'] },
  { id: 'undo-screen-length-disable', words: ['undo', 'screen-length', 'disable'] },
];

const NESTED: CommandSpec<Id>[] = [
  ...ANY_VIEW,
  { id: 'display-this', words: ['display', 'this'] },
  { id: 'quit', words: ['quit'] },
  { id: 'return', words: ['return'] },
];

const SYSTEM: CommandSpec<Id>[] = [
  ...NESTED,
  { id: 'sysname', words: ['sysname'], args: 'required' },
  { id: 'interface', words: ['interface'], args: 'required' },
  { id: 'vlan', words: ['vlan', '<int>'] },
  { id: 'undo-vlan', words: ['undo', 'vlan'], args: 'required' },
  { id: 'global-extra', words: ['ip', 'route-static'], args: 'required' },
  { id: 'global-extra', words: ['ntp-service', 'unicast-server'], args: 'required' },
  { id: 'global-extra', words: ['info-center', 'loghost'], args: 'required' },
];

const INTERFACE: CommandSpec<Id>[] = [
  ...NESTED,
  { id: 'interface', words: ['interface'], args: 'required' },
  { id: 'description', words: ['description'], args: 'required' },
  { id: 'undo-description', words: ['undo', 'description'] },
  { id: 'shutdown', words: ['shutdown'] },
  { id: 'undo-shutdown', words: ['undo', 'shutdown'] },
  { id: 'link-type-access', words: ['port', 'link-type', 'access'] },
  { id: 'link-type-trunk', words: ['port', 'link-type', 'trunk'] },
  { id: 'access-vlan', words: ['port', 'access', 'vlan', '<int>'] },
  { id: 'trunk-permit', words: ['port', 'trunk', 'permit', 'vlan'], args: 'required' },
  { id: 'ip-address', words: ['ip', 'address', '<word>', '<word>'] },
  { id: 'undo-ip-address', words: ['undo', 'ip', 'address'] },
];

const VLAN: CommandSpec<Id>[] = [
  ...NESTED,
  { id: 'vlan-name', words: ['name'], args: 'required' },
  { id: 'vlan-name', words: ['description'], args: 'required' },
];

const DISPLAY_IDS = new Set<Id>([...DISPLAY.map((c) => c.id), 'display-this']);

type ErrorKind = MatchFailure['kind'] | 'too-many' | 'wrong';

const ERROR_TEXT: Record<ErrorKind, string> = {
  unrecognized: 'Unrecognized command',
  incomplete: 'Incomplete command',
  ambiguous: 'Ambiguous command',
  'too-many': 'Too many parameters',
  wrong: 'Wrong parameter',
};

export class H3cCli implements CliMachine {
  readonly vendor = 'h3c_comware' as const;
  readonly pager = { prompt: H3C_PAGER_PROMPT, erase: H3C_PAGER_ERASE };
  private view: H3cView = { kind: 'user' };
  private paging = true;
  private asking: Asking = null;
  /** The file `save` is about to overwrite. */
  private saveFile = '';

  constructor(private readonly model: LabDeviceModel) {}

  get prompt(): string {
    switch (this.asking) {
      case 'save-confirm':
        return 'The current configuration will be written to the device. Are you sure? [Y/N]:';
      case 'save-file':
        return '(To leave the existing filename unchanged, press the enter key):';
      case 'save-overwrite':
        return `${this.saveFile} exists, overwrite? [Y/N]:`;
      case 'reboot':
        return 'This command will reboot the device. Continue? [Y/N]:';
      case null:
        break;
    }
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
    return [
      '',
      '******************************************************************************',
      '* Copyright (c) 2004-2023 New H3C Technologies Co., Ltd. All rights reserved.*',
      "* Without the owner's prior written consent,                                 *",
      '* no decompiling or reverse-engineering shall be allowed.                    *',
      '******************************************************************************',
      '',
    ];
  }

  pageSize(rows: number): number {
    return this.paging ? Math.max(1, rows - 1) : 0;
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
    if (this.asking) return this.answer(this.asking, line);
    const { command, pipeColumn, pipeText } = splitPipe(line);
    const commands = this.commands();
    const m = matchCommand(commands, command);
    if (m === null) return pipeText === undefined ? this.result([]) : this.error('unrecognized', 0, column);
    if (!m.ok) return this.failure(commands, command, m, column);
    if (pipeText !== undefined && pipeColumn !== undefined) {
      if (!DISPLAY_IDS.has(m.id)) return this.error('unrecognized', pipeColumn - 1, column);
      const f = parseFilter(pipeText, pipeColumn, ['include', 'exclude', 'begin']);
      if (!f.ok) return this.error(f.kind, f.column, column);
      const out = this.run(m, column);
      return { ...out, lines: applyFilter(out.lines, f.filter) };
    }
    return this.run(m, column);
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

  private error(kind: ErrorKind, at: number, column: number): CliResult {
    return this.result([caretLine(column + at), ` % ${ERROR_TEXT[kind]} found at '^' position.`]);
  }

  /** An unknown word after a complete command is "too many parameters", as Comware reports it. */
  private failure(commands: CommandSpec<Id>[], command: string, f: MatchFailure, column: number): CliResult {
    if (f.kind === 'unrecognized' && f.wordIndex > 0) {
      const before = matchCommand(commands, command.slice(0, f.column));
      if (before?.ok) return this.error('too-many', f.column, column);
    }
    return this.error(f.kind, f.column, column);
  }

  private answer(question: Exclude<Asking, null>, line: string): CliResult {
    const yes = /^\s*y(es)?\s*$/i.test(line);
    this.asking = null;
    switch (question) {
      case 'save-confirm':
        if (!yes) return this.result([]);
        this.asking = 'save-file';
        return this.result(['Please input the file name(*.cfg)[flash:/startup.cfg]']);
      case 'save-file': {
        const file = line.trim() || 'flash:/startup.cfg';
        if (!/\.cfg$/i.test(file)) return this.result(['The file name is invalid(does not end with .cfg).']);
        if (file === 'flash:/startup.cfg') return this.saved();
        // The lab pretends every other .cfg file exists already, so the third question can be tested.
        this.saveFile = file.includes(':') ? file : `flash:/${file}`;
        this.asking = 'save-overwrite';
        return this.result([]);
      }
      case 'save-overwrite':
        return yes ? this.saved() : this.result([]);
      case 'reboot':
        if (!yes) return this.result([]);
        return this.result(['Now rebooting, please wait...'], false, true);
    }
  }

  private saved(): CliResult {
    this.model.lastChange = this.model.now();
    return this.result([
      'Validating file. Please wait...',
      'Saved the current configuration to mainboard device successfully.',
    ]);
  }

  private run(m: MatchSuccess<Id>, column: number): CliResult {
    const model = this.model;
    const view = this.view;
    switch (m.id) {
      case 'display-version':
        return this.result(this.version(), true);
      case 'display-interface-brief':
        return this.result(this.interfaceBrief(), true);
      case 'display-interface': {
        const targets = m.args.length === 0 ? model.interfaces : [resolveInterface(model, m.rest, false)];
        if (targets[0] === undefined) return this.error('wrong', m.args[0].start, column);
        return this.result(
          targets.flatMap((i) => (i ? this.interfaceDetail(i) : [])),
          true,
        );
      }
      case 'display-current-configuration':
        return this.result(this.currentConfiguration(), true);
      case 'display-this':
        if (view.kind === 'interface')
          return this.result(['#', ...this.interfaceConfig(view.iface), '#', 'return']);
        if (view.kind === 'vlan') return this.result(['#', ...this.vlanConfig(view.id), '#', 'return']);
        return this.result(this.currentConfiguration(), true);
      case 'display-clock':
        return this.result([comwareClock(model.now()), 'Time Zone : BJ add 08:00:00']);
      case 'display-vlan':
        return this.result(this.vlanBrief(), true);
      case 'system-view':
        this.view = { kind: 'system' };
        return this.result(['System View: return to User View with Ctrl+Z.']);
      case 'quit':
        if (view.kind === 'user') return this.result([], false, true);
        this.view = view.kind === 'system' ? { kind: 'user' } : { kind: 'system' };
        return this.result([]);
      case 'return':
        this.view = { kind: 'user' };
        return this.result([]);
      case 'save':
        this.asking = 'save-confirm';
        return this.result([]);
      case 'save-force':
        return this.saved();
      case 'reboot':
        // Comware first asks to save when the configuration changed since the last save; the lab only
        // checks and asks the final question.
        this.asking = 'reboot';
        return this.result([
          'Start to check configuration with next startup configuration file, please wait.........DONE!',
        ]);
      case 'screen-length-disable':
        this.paging = false;
        return this.result([]);
      case 'undo-screen-length-disable':
        this.paging = true;
        return this.result([]);
      case 'sysname':
        if (m.args.length !== 1 || m.rest.length > 64)
          return this.error(
            m.args.length > 1 ? 'too-many' : 'wrong',
            m.args[m.args.length > 1 ? 1 : 0].start,
            column,
          );
        model.hostname = m.rest;
        this.changed();
        return this.result([]);
      case 'interface': {
        const iface = resolveInterface(model, m.rest, true);
        if (!iface) return this.error('wrong', m.args[0].start, column);
        this.view = { kind: 'interface', iface };
        return this.result([]);
      }
      case 'vlan': {
        const id = Number(m.params[0]);
        if (id < 1 || id > 4094) return this.error('wrong', m.words[1].start, column);
        if (!model.vlans.has(id)) model.vlans.set(id, '');
        this.changed();
        this.view = { kind: 'vlan', id };
        return this.result([]);
      }
      case 'undo-vlan': {
        const ids = parseVlanList(m.args.map((a) => a.text));
        if (!ids) return this.error('wrong', m.args[0].start, column);
        for (const id of ids) model.vlans.delete(id);
        this.changed();
        return this.result([]);
      }
      case 'global-extra':
        model.extraConfig.push(m.words.map((w) => w.text).join(' '));
        this.changed();
        return this.result([]);
      default:
        return this.runNested(m, column);
    }
  }

  private runNested(m: MatchSuccess<Id>, column: number): CliResult {
    const view = this.view;
    if (view.kind === 'vlan') {
      this.model.vlans.set(view.id, m.rest);
      this.changed();
      return this.result([]);
    }
    if (view.kind !== 'interface') return this.error('unrecognized', 0, column);
    const iface = view.iface;
    switch (m.id) {
      case 'description':
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
        iface.mode = 'access';
        iface.trunkVlans = undefined;
        iface.accessVlan ??= 1;
        break;
      case 'link-type-trunk':
        iface.mode = 'trunk';
        iface.accessVlan = undefined;
        iface.trunkVlans ??= '1';
        break;
      case 'access-vlan': {
        const id = Number(m.params[0]);
        if (iface.mode !== 'access' || id < 1 || id > 4094)
          return this.error('wrong', m.words[3].start, column);
        iface.accessVlan = id;
        break;
      }
      case 'trunk-permit':
        if (iface.mode !== 'trunk' || !parseVlanList(m.args.map((a) => a.text)))
          return this.error('wrong', m.args[0].start, column);
        iface.trunkVlans = m.rest;
        break;
      case 'ip-address': {
        const [address, mask] = m.params;
        if (!isIpv4(address)) return this.error('wrong', m.words[2].start, column);
        if (!isIpv4(mask)) return this.error('wrong', m.words[3].start, column);
        if (iface.kind === 'ethernet') return this.error('unrecognized', m.words[0].start, column);
        iface.ipv4 = { address, mask };
        break;
      }
      case 'undo-ip-address':
        iface.ipv4 = undefined;
        break;
      default:
        return this.error('unrecognized', 0, column);
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
    const up = comwareUptime(model.now().getTime() - model.bootedAt.getTime());
    const compiled = '  Compiled Mar 14 2023 11:00:00';
    return [
      `H3C Comware Software, Version 7.1.070, Release ${RELEASE}`,
      'Copyright (c) 2004-2023 New H3C Technologies Co., Ltd. All rights reserved.',
      `H3C S5130S-28S-EI uptime is ${up}`,
      'Last reboot reason : Cold reboot',
      '',
      `Boot image: flash:/S5130S_EI-CMW710-BOOT-R${RELEASE}.bin`,
      `Boot image version: 7.1.070, Release ${RELEASE}`,
      compiled,
      `System image: flash:/S5130S_EI-CMW710-SYSTEM-R${RELEASE}.bin`,
      `System image version: 7.1.070, Release ${RELEASE}`,
      compiled,
      '',
      '',
      'Slot 1:',
      `Uptime is ${up.replace(/, /g, ',')}`,
      'S5130S-28S-EI with 1 Processor',
      'BOARD TYPE:         S5130S-28S-EI',
      'DRAM:               1024M bytes',
      'FLASH:              512M bytes',
      'PCB 1 Version:      VER.A',
      'Bootrom Version:    147',
      'CPLD 1 Version:     002',
      `Release Version:    H3C S5130S-28S-EI-${RELEASE}`,
      'Patch Version  :    None',
      'Reboot Cause  :     ColdReboot',
      '[SubSlot 0] 24GE+4SFP Plus',
    ];
  }

  private interfaceBrief(): string[] {
    const routed = this.model.interfaces.filter((i) => i.kind !== 'ethernet');
    const bridged = this.model.interfaces.filter((i) => i.kind === 'ethernet');
    const link = (i: LabInterface): string => {
      const state = interfaceState(i);
      return state === 'admin-down' ? 'ADM' : state === 'up' ? 'UP' : 'DOWN';
    };
    const lines = [
      'Brief information on interfaces in route mode:',
      'Link: ADM - administratively down; Stby - standby',
      'Protocol: (s) - spoofing',
      'Interface            Link Protocol Primary IP      Description',
    ];
    const byName = (a: LabInterface, b: LabInterface): number =>
      this.short(a).localeCompare(this.short(b), 'en', { numeric: true });
    for (const i of [...routed].sort(byName)) {
      const spoofing = i.kind === 'null' || i.kind === 'loopback';
      const protocol = spoofing ? 'UP(s)' : interfaceState(i) === 'up' ? 'UP' : 'DOWN';
      const ip = i.ipv4?.address ?? '--';
      lines.push(
        `${this.short(i).padEnd(21)}${link(i).padEnd(5)}${protocol.padEnd(9)}${ip.padEnd(16)}${i.description}`.trimEnd(),
      );
    }
    lines.push(
      '',
      'Brief information on interfaces in bridge mode:',
      'Link: ADM - administratively down; Stby - standby',
      'Speed: (a) - auto',
      'Duplex: (a)/A - auto; H - half; F - full',
      'Type: A - access; T - trunk; H - hybrid',
      'Interface            Link Speed   Duplex Type PVID Description',
    );
    for (const i of bridged) {
      const up = interfaceState(i) === 'up';
      const speed = up ? (i.name.startsWith('Ten') ? '10G(a)' : '1G(a)') : 'auto';
      const type = i.mode === 'trunk' ? 'T' : 'A';
      lines.push(
        `${this.short(i).padEnd(21)}${link(i).padEnd(5)}${speed.padEnd(8)}${(up ? 'F(a)' : 'A').padEnd(7)}` +
          `${type.padEnd(5)}${String(i.accessVlan ?? 1).padEnd(5)}${i.description}`.trimEnd(),
      );
    }
    return lines;
  }

  private short(i: LabInterface): string {
    return shortInterfaceName('h3c_comware', i.name);
  }

  private interfaceDetail(i: LabInterface): string[] {
    const rand = seededRandom(`detail:${this.model.hostname}:${i.name}`);
    const state = interfaceState(i);
    const current = state === 'admin-down' ? 'Administratively DOWN' : state === 'up' ? 'UP' : 'DOWN';
    const rate = state === 'up' ? Math.floor(rand() * 90_000) : 0;
    const lines = [
      `${i.name}`,
      `Current state: ${current}`,
      `Line protocol state: ${state === 'up' ? 'UP' : 'DOWN'}`,
      `IP packet frame type: Ethernet II, hardware address: ${this.model.mac}`,
      `Description: ${i.description || `${i.name} Interface`}`,
    ];
    if (i.ipv4) lines.push(`Internet address: ${i.ipv4.address}/${maskToPrefix(i.ipv4.mask)} (primary)`);
    if (i.kind === 'ethernet') {
      lines.push(
        `Bandwidth: ${i.name.startsWith('Ten') ? 10000000 : 1000000} kbps`,
        'Maximum frame length: 10000',
        `${state === 'up' ? 'Full-duplex mode, 1000 Mbps' : 'Unknown-duplex mode, unknown-speed mode'}`,
        `Port link-type: ${i.mode === 'trunk' ? 'Trunk' : 'Access'}`,
        i.mode === 'trunk' ? ` VLAN Passing:  ${i.trunkVlans ?? '1'}` : ` Tagged VLANs:   None`,
        i.mode === 'trunk'
          ? ` VLAN permitted: ${i.trunkVlans ?? '1'}`
          : ` Untagged VLANs: ${i.accessVlan ?? 1}`,
        `Last 300 seconds input:  ${Math.floor(rate / 800)} packets/sec ${Math.floor(rate / 8)} bytes/sec -%`,
        `Last 300 seconds output:  ${Math.floor(rate / 900)} packets/sec ${Math.floor(rate / 9)} bytes/sec -%`,
        'Input (total):  0 packets, 0 bytes',
        'Output (total): 0 packets, 0 bytes',
      );
    }
    lines.push('');
    return lines;
  }

  private vlanBrief(): string[] {
    const lines = [
      'Brief information about all VLANs:',
      'Supported Minimum VLAN ID: 1',
      'Supported Maximum VLAN ID: 4094',
      'Default VLAN ID: 1',
      'VLAN ID   Name                             Port',
    ];
    for (const id of [1, ...[...this.model.vlans.keys()].sort((a, b) => a - b)]) {
      const name = id === 1 ? 'VLAN 0001' : this.model.vlans.get(id) || `VLAN ${String(id).padStart(4, '0')}`;
      const ports = this.model.interfaces
        .filter((i) => i.kind === 'ethernet' && (i.accessVlan === id || (i.mode === 'trunk' && id === 1)))
        .map((i) => this.short(i));
      lines.push(`${String(id).padEnd(10)}${name.padEnd(33)}${ports.slice(0, 3).join(' ')}`.trimEnd());
      for (let k = 3; k < ports.length; k += 3)
        lines.push(`${' '.repeat(43)}${ports.slice(k, k + 3).join(' ')}`);
    }
    return lines;
  }

  // ---- configuration -------------------------------------------------------------------------

  private interfaceConfig(i: LabInterface): string[] {
    const lines = [`interface ${i.name}`];
    if (i.kind === 'ethernet') lines.push(' port link-mode bridge');
    if (i.description) lines.push(` description ${i.description}`);
    if (!i.adminUp) lines.push(' shutdown');
    if (i.kind === 'ethernet') {
      if (i.mode === 'trunk') {
        lines.push(' port link-type trunk');
        lines.push(
          ` port trunk permit vlan ${i.trunkVlans === '1' ? '1' : `1 ${i.trunkVlans ?? ''}`.trimEnd()}`,
        );
      } else {
        if (i.accessVlan !== undefined && i.accessVlan !== 1) lines.push(` port access vlan ${i.accessVlan}`);
        if (!i.name.startsWith('Ten')) lines.push(' stp edged-port');
      }
    }
    if (i.ipv4) lines.push(` ip address ${i.ipv4.address} ${i.ipv4.mask}`);
    return lines;
  }

  private vlanConfig(id: number): string[] {
    const name = this.model.vlans.get(id);
    return [`vlan ${id}`, ...(name ? [` name ${name}`] : [])];
  }

  private currentConfiguration(): string[] {
    const model = this.model;
    const s = model.site;
    const extra = (prefix: string): string[] =>
      model.extraConfig.filter((l) => l.startsWith(prefix)).map((l) => ` ${l}`);
    const lines = [
      '#',
      ` version 7.1.070, Release ${RELEASE}`,
      '#',
      ` sysname ${model.hostname}`,
      '#',
      ' clock timezone BJ add 08:00:00',
      ' clock protocol ntp',
      '#',
      ' irf mac-address persistent timer',
      ' irf auto-update enable',
      ' undo irf link-delay',
      ' irf member 1 priority 1',
      '#',
      ' lldp global enable',
      '#',
      ' password-recovery enable',
      '#',
      'vlan 1',
      '#',
    ];
    for (const id of [...model.vlans.keys()].sort((a, b) => a - b)) lines.push(...this.vlanConfig(id), '#');
    lines.push(' stp mode rstp', ' stp global enable', '#');
    const order = (i: LabInterface): number =>
      ({ null: 0, loopback: 1, vlanif: 2, trunk: 3, ethernet: 4, mgmt: 5 })[i.kind];
    const sorted = [...model.interfaces].sort((a, b) => order(a) - order(b));
    for (const i of sorted) lines.push(...this.interfaceConfig(i), '#');
    lines.push(
      ' scheduler logfile size 16',
      '#',
      'line class console',
      ' user-role network-admin',
      '#',
      'line class vty',
      ' user-role network-operator',
      '#',
      'line aux 0',
      ' user-role network-admin',
      '#',
      'line vty 0 63',
      ' authentication-mode scheme',
      ' user-role network-operator',
      ' protocol inbound ssh',
      '#',
      ` ip route-static 0.0.0.0 0 10.${s}.100.254`,
      ...extra('ip route-static'),
      '#',
      ' info-center loghost 10.0.100.10',
      ...extra('info-center'),
      '#',
      ' snmp-agent',
      ` snmp-agent local-engineid 800063A280${model.mac.replace(/-/g, '').toUpperCase()}00000001`,
      ` snmp-agent community read cipher $c$3$${secretText(`${model.hostname}snmp`, 32)}`,
      ' snmp-agent sys-info version v2c v3',
      '#',
      ' ssh server enable',
      '#',
      ' ntp-service enable',
      ' ntp-service unicast-server 10.0.100.1',
      ...extra('ntp-service'),
      '#',
      'domain system',
      '#',
      ' domain default enable system',
      '#',
      'role name level-0',
      ' description Predefined level-0 role',
      '#',
      'role name level-15',
      ' description Predefined level-15 role',
      '#',
      'user-group system',
      '#',
      'local-user admin class manage',
      ` password hash $h$6$${secretText(`${model.hostname}-admin`, 86)}`,
      ' service-type ssh terminal',
      ' authorization-attribute user-role network-admin',
      '#',
      'local-user netops class manage',
      ` password hash $h$6$${secretText(`${model.hostname}-ops`, 86)}`,
      ' service-type ssh',
      ' authorization-attribute user-role network-operator',
      '#',
      'return',
    );
    return lines;
  }
}

/** `0 weeks, 3 days, 2 hours, 33 minutes`: Comware always shows all four units. */
function comwareUptime(ms: number): string {
  let minutes = Math.max(0, Math.floor(ms / 60_000));
  const weeks = Math.floor(minutes / 10080);
  minutes -= weeks * 10080;
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const unit = (n: number, u: string): string => `${n} ${u}${n === 1 ? '' : 's'}`;
  return [unit(weeks, 'week'), unit(days, 'day'), unit(hours, 'hour'), unit(minutes, 'minute')].join(', ');
}

/** `14:19:00.123 BJ Mon 11/24/2025` */
function comwareClock(d: Date): string {
  const p = localParts(d);
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][p.wd];
  return `${two(p.h)}:${two(p.mi)}:${two(p.s)}.${String(p.ms).padStart(3, '0')} BJ ${day} ${two(p.mo + 1)}/${two(p.d)}/${p.y}`;
}

function secretText(seed: string, length: number): string {
  const rand = seededRandom(seed);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return `${out}==`;
}

export function createH3cCli(model: LabDeviceModel): H3cCli {
  return new H3cCli(model);
}
