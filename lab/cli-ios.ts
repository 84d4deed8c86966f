/**
 * Cisco IOS(-XE) personality (Catalyst 9300, 17.9.4a) as a pure state machine: lines in, text out.
 */
import { caretLine, type CommandSpec, type MatchFailure, type MatchSuccess } from './match';
import {
  formatUptime,
  interfaceState,
  iosDateTime,
  iosLogTime,
  maskToPrefix,
  networkOf,
  resolveInterface,
  safeEqual,
  seededRandom,
  seededText,
  shortInterfaceName,
  wildcardOf,
  type CliExecuteOptions,
  type CliMachine,
  type CliResult,
  type LabDeviceModel,
  type LabInterface,
} from './model';
import { addConfigLine, applyCommonEdit, applyIpAddress, createVlan, runLine } from './cli-family';

export const IOS_PAGER_PROMPT = ' --More-- ';
export const IOS_PAGER_ERASE = `${'\b'.repeat(10)}${' '.repeat(10)}${'\b'.repeat(10)}`;

type IosMode =
  | { kind: 'user' }
  | { kind: 'priv' }
  | { kind: 'config' }
  | { kind: 'config-if'; iface: LabInterface }
  | { kind: 'config-vlan'; id: number };

type Pending = 'enable-password' | 'copy-destination' | 'reload-confirm' | null;

type Id =
  | 'show-version'
  | 'show-ip-interface-brief'
  | 'show-interfaces-description'
  | 'show-interfaces'
  | 'show-clock'
  | 'show-vlan-brief'
  | 'show-running-config'
  | 'show-startup-config'
  | 'enable'
  | 'disable'
  | 'exit'
  | 'end'
  | 'terminal-length'
  | 'terminal-no-length'
  | 'terminal-width'
  | 'terminal-monitor'
  | 'configure-terminal'
  | 'write-memory'
  | 'copy-run-start'
  | 'reload'
  | 'do'
  | 'hostname'
  | 'interface'
  | 'vlan'
  | 'no-vlan'
  | 'global-extra'
  | 'description'
  | 'no-description'
  | 'shutdown'
  | 'no-shutdown'
  | 'switchport-mode-access'
  | 'switchport-mode-trunk'
  | 'switchport-access-vlan'
  | 'switchport-trunk-allowed'
  | 'ip-address'
  | 'no-ip-address'
  | 'iface-extra'
  | 'vlan-name';

const SHOW_USER: CommandSpec<Id>[] = [
  { id: 'show-version', words: ['show', 'version'] },
  { id: 'show-ip-interface-brief', words: ['show', 'ip', 'interface', 'brief'] },
  { id: 'show-interfaces-description', words: ['show', 'interfaces', 'description'] },
  { id: 'show-interfaces', words: ['show', 'interfaces'], args: 'optional' },
  { id: 'show-clock', words: ['show', 'clock'] },
  { id: 'show-vlan-brief', words: ['show', 'vlan', 'brief'] },
];

const TERMINAL: CommandSpec<Id>[] = [
  { id: 'terminal-length', words: ['terminal', 'length', '<int>'] },
  { id: 'terminal-no-length', words: ['terminal', 'no', 'length'] },
  { id: 'terminal-width', words: ['terminal', 'width', '<int>'] },
];

const USER: CommandSpec<Id>[] = [
  ...SHOW_USER,
  ...TERMINAL,
  { id: 'enable', words: ['enable'] },
  { id: 'exit', words: ['exit'] },
  { id: 'exit', words: ['logout'] },
];

const PRIV: CommandSpec<Id>[] = [
  ...SHOW_USER,
  ...TERMINAL,
  { id: 'show-running-config', words: ['show', 'running-config'], args: 'optional' },
  { id: 'show-startup-config', words: ['show', 'startup-config'] },
  { id: 'enable', words: ['enable'] },
  { id: 'disable', words: ['disable'] },
  { id: 'exit', words: ['exit'] },
  { id: 'exit', words: ['logout'] },
  { id: 'terminal-monitor', words: ['terminal', 'monitor'] },
  { id: 'terminal-monitor', words: ['terminal', 'no', 'monitor'] },
  { id: 'configure-terminal', words: ['configure', 'terminal'] },
  { id: 'write-memory', words: ['write', 'memory'] },
  { id: 'write-memory', words: ['write'] },
  { id: 'copy-run-start', words: ['copy', 'running-config', 'startup-config'] },
  { id: 'reload', words: ['reload'] },
];

const CONFIG_COMMON: CommandSpec<Id>[] = [
  { id: 'exit', words: ['exit'] },
  { id: 'end', words: ['end'] },
  { id: 'do', words: ['do'], args: 'required' },
];

const CONFIG: CommandSpec<Id>[] = [
  ...CONFIG_COMMON,
  { id: 'hostname', words: ['hostname'], args: 'required' },
  { id: 'interface', words: ['interface'], args: 'required' },
  { id: 'vlan', words: ['vlan', '<int>'] },
  { id: 'no-vlan', words: ['no', 'vlan', '<int>'] },
  { id: 'global-extra', words: ['ip', 'route'], args: 'required' },
  { id: 'global-extra', words: ['ip', 'domain', 'name'], args: 'required' },
  { id: 'global-extra', words: ['ntp', 'server'], args: 'required' },
  { id: 'global-extra', words: ['logging', 'host'], args: 'required' },
  { id: 'global-extra', words: ['snmp-server'], args: 'required' },
  { id: 'global-extra', words: ['spanning-tree', 'mode'], args: 'required' },
  { id: 'global-extra', words: ['username'], args: 'required' },
  { id: 'global-extra', words: ['banner'], args: 'required' },
];

const CONFIG_IF: CommandSpec<Id>[] = [
  ...CONFIG_COMMON,
  { id: 'interface', words: ['interface'], args: 'required' },
  { id: 'description', words: ['description'], args: 'required' },
  { id: 'no-description', words: ['no', 'description'] },
  { id: 'shutdown', words: ['shutdown'] },
  { id: 'no-shutdown', words: ['no', 'shutdown'] },
  { id: 'switchport-mode-access', words: ['switchport', 'mode', 'access'] },
  { id: 'switchport-mode-trunk', words: ['switchport', 'mode', 'trunk'] },
  { id: 'switchport-access-vlan', words: ['switchport', 'access', 'vlan', '<int>'] },
  { id: 'switchport-trunk-allowed', words: ['switchport', 'trunk', 'allowed', 'vlan'], args: 'required' },
  { id: 'ip-address', words: ['ip', 'address', '<word>', '<word>'] },
  { id: 'no-ip-address', words: ['no', 'ip', 'address'] },
  { id: 'iface-extra', words: ['spanning-tree', 'portfast'] },
  { id: 'iface-extra', words: ['no', 'spanning-tree', 'portfast'] },
  { id: 'iface-extra', words: ['switchport', 'nonegotiate'] },
];

const CONFIG_VLAN: CommandSpec<Id>[] = [
  ...CONFIG_COMMON,
  { id: 'vlan-name', words: ['name'], args: 'required' },
];

const SHOW_IDS = new Set<Id>([...SHOW_USER.map((c) => c.id), 'show-running-config', 'show-startup-config']);

export interface IosCliOptions {
  /** Enable secret; an empty string means `enable` needs no password. */
  enableSecret: string;
}

export class IosCli implements CliMachine {
  readonly vendor = 'cisco_ios' as const;
  readonly pager = { prompt: IOS_PAGER_PROMPT, erase: IOS_PAGER_ERASE };
  private mode: IosMode = { kind: 'user' };
  private pending: Pending = null;
  /** null = default (terminal rows), 0 = off, N = N lines per screen. */
  private length: number | null = null;
  private savedConfig: string[] | null = null;

  constructor(
    private readonly model: LabDeviceModel,
    private readonly opts: IosCliOptions,
  ) {}

  get prompt(): string {
    if (this.pending === 'enable-password') return 'Password: ';
    if (this.pending === 'copy-destination') return 'Destination filename [startup-config]? ';
    if (this.pending === 'reload-confirm') return 'Proceed with reload? [confirm]';
    const h = this.model.hostname;
    switch (this.mode.kind) {
      case 'user':
        return `${h}>`;
      case 'priv':
        return `${h}#`;
      case 'config':
        return `${h}(config)#`;
      case 'config-if':
        return `${h}(config-if)#`;
      case 'config-vlan':
        return `${h}(config-vlan)#`;
    }
  }

  get secret(): boolean {
    return this.pending === 'enable-password';
  }

  /** True in privileged exec or any configuration mode. */
  get privileged(): boolean {
    return this.mode.kind !== 'user';
  }

  banner(): string[] {
    return [''];
  }

  pageSize(rows: number): number {
    if (this.length === 0) return 0;
    return Math.max(1, (this.length ?? rows) - 1);
  }

  interrupt(): CliResult {
    if (this.pending === 'enable-password') {
      this.pending = null;
      return { ...this.result([]), echo: '' };
    }
    this.pending = null;
    return { ...this.result([]), echo: '^C' };
  }

  toTop(): CliResult {
    this.pending = null;
    if (this.mode.kind === 'user' || this.mode.kind === 'priv') return this.result([]);
    this.mode = { kind: 'priv' };
    return { ...this.result([]), echo: '^Z' };
  }

  execute(line: string, opts: CliExecuteOptions = {}): CliResult {
    const column = opts.column ?? 0;
    if (this.pending === 'enable-password') {
      this.pending = null;
      if (safeEqual(line, this.opts.enableSecret)) {
        this.mode = { kind: 'priv' };
        return this.result([]);
      }
      // Without AAA, IOS asks `Password:` three times and then says `% Bad secrets`; with `aaa new-model`
      // (as in this device's configuration) one wrong answer gives `% Access denied`. The lab follows the
      // AAA behaviour: one try, then `% Access denied` and the unprivileged prompt again.
      return this.result(['% Access denied', '']);
    }
    if (this.pending === 'reload-confirm') {
      this.pending = null;
      // At [confirm] Return or `y` goes ahead; any other answer aborts silently, as on IOS.
      if (/^\s*(y(es)?)?\s*$/i.test(line)) {
        const log = `*${iosLogTime(this.model.now())}: %SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command.`;
        return this.result(['', log], false, true);
      }
      return this.result([]);
    }
    if (this.pending === 'copy-destination') {
      this.pending = null;
      const target = line.trim() || 'startup-config';
      if (target !== 'startup-config') return this.result([`%Error opening ${target} (Permission denied)`]);
      this.savedConfig = this.runningConfig();
      return this.result(['Building configuration...', '[OK]']);
    }
    return this.runLine(line, column, this.commands());
  }

  commandsNow(): readonly CommandSpec[] {
    return this.commands();
  }

  private commands(): CommandSpec<Id>[] {
    switch (this.mode.kind) {
      case 'user':
        return USER;
      case 'priv':
        return PRIV;
      case 'config':
        return CONFIG;
      case 'config-if':
        return CONFIG_IF;
      case 'config-vlan':
        return CONFIG_VLAN;
    }
  }

  private runLine(line: string, column: number, commands: CommandSpec<Id>[]): CliResult {
    return runLine(line, commands, {
      pipeable: SHOW_IDS,
      filters: ['include', 'exclude', 'begin', 'section'],
      run: (m) => this.run(m, column),
      blank: () => this.result([]),
      fail: (f) => this.failure(f, column, line),
    });
  }

  private result(lines: string[], pageable = false, close = false): CliResult {
    return {
      lines,
      pageable,
      prompt: this.prompt,
      close,
      secret: this.secret,
      question: this.pending !== null,
    };
  }

  private invalid(at: number, column: number): CliResult {
    return this.result([caretLine(column + at), "% Invalid input detected at '^' marker.", '']);
  }

  private failure(f: Pick<MatchFailure, 'kind' | 'column'>, column: number, line: string): CliResult {
    switch (f.kind) {
      case 'ambiguous':
        return this.result([`% Ambiguous command:  "${line.trim()}"`]);
      case 'incomplete':
        return this.result(['% Incomplete command.', '']);
      case 'unrecognized':
        return this.invalid(f.column, column);
    }
  }

  private run(m: MatchSuccess<Id>, column: number): CliResult {
    const model = this.model;
    switch (m.id) {
      case 'show-version':
        return this.result(this.version(), true);
      case 'show-ip-interface-brief':
        return this.result(this.ipInterfaceBrief(), true);
      case 'show-interfaces-description':
        return this.result(this.interfacesDescription(), true);
      case 'show-interfaces': {
        if (m.args.length === 0)
          return this.result(
            model.interfaces.flatMap((i) => this.interfaceDetail(i)),
            true,
          );
        const iface = resolveInterface(model, m.rest, false);
        if (!iface) return this.invalid(m.args[0].start, column);
        return this.result(this.interfaceDetail(iface), true);
      }
      case 'show-clock':
        return this.result([`*${iosDateTime(model.now())}`]);
      case 'show-vlan-brief':
        return this.result(this.vlanBrief(), true);
      case 'show-running-config': {
        if (m.args.length === 0) return this.result(this.runningConfigOutput(), true);
        if (m.args.length >= 2 && 'interface'.startsWith(m.args[0].text.toLowerCase())) {
          const iface = resolveInterface(
            model,
            m.args
              .slice(1)
              .map((a) => a.text)
              .join(''),
            false,
          );
          if (!iface) return this.invalid(m.args[1].start, column);
          const body = ['!', ...this.interfaceConfig(iface), 'end', ''];
          return this.result(
            ['Building configuration...', '', `Current configuration : ${bytes(body)} bytes`, ...body],
            true,
          );
        }
        return this.invalid(m.args[0].start, column);
      }
      case 'show-startup-config':
        if (!this.savedConfig) return this.result(['startup-config is not present']);
        return this.result(
          [`Using ${bytes(this.savedConfig)} out of 2097152 bytes`, ...this.savedConfig.slice(3)],
          true,
        );
      case 'enable':
        if (this.mode.kind !== 'user') return this.result([]);
        if (this.opts.enableSecret === '') {
          this.mode = { kind: 'priv' };
          return this.result([]);
        }
        this.pending = 'enable-password';
        return this.result([]);
      case 'disable':
        this.mode = { kind: 'user' };
        return this.result([]);
      case 'exit':
        switch (this.mode.kind) {
          case 'user':
          case 'priv':
            return this.result([], false, true);
          case 'config':
            this.mode = { kind: 'priv' };
            return this.result([]);
          default:
            this.mode = { kind: 'config' };
            return this.result([]);
        }
      case 'end':
        this.mode = { kind: 'priv' };
        return this.result([]);
      case 'terminal-length': {
        const n = Number(m.params[0]);
        if (n > 512) return this.invalid(m.words[2].start, column);
        this.length = n;
        return this.result([]);
      }
      case 'terminal-no-length':
        this.length = null;
        return this.result([]);
      case 'terminal-width':
      case 'terminal-monitor':
        return this.result([]);
      case 'configure-terminal':
        this.mode = { kind: 'config' };
        return this.result(['Enter configuration commands, one per line.  End with CNTL/Z.']);
      case 'write-memory':
        this.savedConfig = this.runningConfig();
        return this.result(['Building configuration...', '[OK]']);
      case 'copy-run-start':
        this.pending = 'copy-destination';
        return this.result([]);
      case 'reload':
        // Real IOS first asks `System configuration has been modified. Save? [yes/no]:` when running and
        // startup differ; the lab goes straight to the confirmation every time.
        this.pending = 'reload-confirm';
        return this.result([]);
      case 'do':
        return this.runLine(m.rest, column + m.args[0].start, PRIV);
      case 'hostname': {
        const name = m.args[0].text;
        if (m.args.length > 1) return this.invalid(m.args[1].start, column);
        if (!/^[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(name)) {
          return this.result(['% Hostname contains one or more illegal characters.']);
        }
        model.hostname = name;
        this.changed();
        return this.result([]);
      }
      case 'interface': {
        const iface = resolveInterface(model, m.rest, true);
        if (!iface) return this.invalid(m.args[0].start, column);
        this.mode = { kind: 'config-if', iface };
        return this.result([]);
      }
      case 'vlan': {
        const vlan = createVlan(model, m, iosVlanName);
        if (typeof vlan !== 'number') return this.invalid(vlan.at, column);
        this.mode = { kind: 'config-vlan', id: vlan };
        return this.result([]);
      }
      case 'no-vlan':
        model.vlans.delete(Number(m.params[0]));
        this.changed();
        return this.result([]);
      case 'global-extra':
        if (m.words[0].text === 'username') {
          model.extraConfig.push(storedUserLine(m.words.map((w) => w.text).join(' '), model.serial));
          this.changed();
        } else {
          addConfigLine(model, m);
        }
        return this.result([]);
      default:
        return this.runSubMode(m, column);
    }
  }

  private runSubMode(m: MatchSuccess<Id>, column: number): CliResult {
    const mode = this.mode;
    if (mode.kind === 'config-vlan') {
      if (m.args.length > 1 || m.rest.length > 32)
        return this.invalid(m.args[m.args.length - 1].start, column);
      this.model.vlans.set(mode.id, m.rest);
      this.changed();
      return this.result([]);
    }
    if (mode.kind !== 'config-if') return this.invalid(0, column);
    const iface = mode.iface;
    switch (m.id) {
      case 'description':
        iface.description = m.rest;
        break;
      case 'switchport-mode-access':
        iface.mode = 'access';
        iface.accessVlan ??= 1;
        break;
      case 'switchport-mode-trunk':
        iface.mode = 'trunk';
        iface.trunkVlans ??= 'all';
        break;
      case 'switchport-access-vlan': {
        const id = Number(m.params[0]);
        if (id < 1 || id > 4094) return this.invalid(m.words[3].start, column);
        iface.accessVlan = id;
        if (!this.model.vlans.has(id)) {
          this.model.vlans.set(id, iosVlanName(id));
          this.changed();
          return this.result(['% Access VLAN does not exist. Creating vlan ' + id]);
        }
        break;
      }
      case 'switchport-trunk-allowed':
        if (!/^(all|none|[\d,-]+)$/i.test(m.rest.replace(/\s+/g, '')))
          return this.invalid(m.args[0].start, column);
        iface.trunkVlans = m.rest.replace(/\s+/g, '');
        break;
      case 'ip-address': {
        const problem = applyIpAddress(iface, m);
        if (problem) return this.invalid(problem.at, column);
        break;
      }
      case 'iface-extra': {
        const text = m.words.map((w) => w.text).join(' ');
        const positive = text.replace(/^no /, '');
        iface.extra = iface.extra.filter((e) => e !== positive && e !== `no ${positive}`);
        iface.extra.push(text);
        break;
      }
      default:
        // `no description`, `[no] shutdown`, `no ip address`
        if (!applyCommonEdit(iface, m.id)) return this.invalid(0, column);
    }
    this.changed();
    return this.result([]);
  }

  private changed(): void {
    this.model.lastChange = this.model.now();
  }

  // ---- show output ---------------------------------------------------------------------------

  private version(): string[] {
    const model = this.model;
    const up = model.now().getTime() - model.bootedAt.getTime();
    const ports = model.interfaces.filter((i) => i.kind === 'ethernet').length;
    return [
      'Cisco IOS XE Software, Version 17.09.04a',
      'Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc3)',
      'Technical Support: http://www.cisco.com/techsupport',
      'Copyright (c) 1986-2023 by Cisco Systems, Inc.',
      'Compiled Fri 20-Oct-23 10:44 by mcpre',
      '',
      '',
      'Cisco IOS-XE software, Copyright (c) 2005-2023 by cisco Systems, Inc.',
      'All rights reserved.  Certain components of Cisco IOS-XE software are',
      'licensed under the GNU General Public License ("GPL") Version 2.0.  The',
      'software code licensed under GPL Version 2.0 is free software that comes',
      'with ABSOLUTELY NO WARRANTY.  You can redistribute and/or modify such',
      'GPL code under the terms of GPL Version 2.0.  For more details, see the',
      'documentation or "License Notice" file accompanying the IOS-XE software,',
      'or the applicable URL provided on the flyer accompanying the IOS-XE',
      'software.',
      '',
      '',
      'ROM: IOS-XE ROMMON',
      'BOOTLDR: System Bootstrap, Version 17.9.1r[FC2], RELEASE SOFTWARE (P)',
      '',
      `${model.hostname} uptime is ${formatUptime(up, 'when-any')}`,
      `Uptime for this control processor is ${formatUptime(up + 120_000, 'when-any')}`,
      'System returned to ROM by Reload Command',
      'System image file is "flash:packages.conf"',
      'Last reload reason: Reload Command',
      '',
      '',
      '',
      'This product contains cryptographic features and is subject to United',
      'States and local country laws governing import, export, transfer and',
      'use. Delivery of Cisco cryptographic products does not imply',
      'third-party authority to import, export, distribute or use encryption.',
      'Importers, exporters, distributors and users are responsible for',
      'compliance with U.S. and local country laws. By using this product you',
      'agree to comply with applicable laws and regulations. If you are unable',
      'to comply with U.S. and local laws, return this product immediately.',
      '',
      'A summary of U.S. laws governing Cisco cryptographic products may be found at:',
      'http://www.cisco.com/wwl/export/crypto/tool/stqrg.html',
      '',
      'If you require further assistance please contact us by sending email to',
      'export@cisco.com.',
      '',
      '',
      'Technology Package License Information:',
      '',
      '------------------------------------------------------------------------------',
      'Technology-package                                     Technology-package',
      'Current                        Type                       Next reboot',
      '------------------------------------------------------------------------------',
      'network-advantage      Smart License                    network-advantage',
      'dna-advantage          Subscription Smart License       dna-advantage',
      'AIR License Level: AIR DNA Advantage',
      'Next reload AIR license Level: AIR DNA Advantage',
      '',
      '',
      'Smart Licensing Status: Registration Not Applicable/Not Applicable',
      '',
      'cisco C9300-24T (X86) processor with 1338934K/6147K bytes of memory.',
      `Processor board ID ${model.serial}`,
      '1 Virtual Ethernet interface',
      `${ports} Gigabit Ethernet interfaces`,
      '4 Ten Gigabit Ethernet interfaces',
      '2048K bytes of non-volatile configuration memory.',
      '8388608K bytes of physical memory.',
      '1638400K bytes of Crash Files at crashinfo:.',
      '11264000K bytes of Flash at flash:.',
      '',
      `Base Ethernet MAC Address          : ${ciscoMacColon(model.mac)}`,
      'Motherboard Assembly Number        : 73-18775-04',
      `Motherboard Serial Number          : ${model.serial}`,
      'Model Revision Number              : A0',
      'Motherboard Revision Number        : A0',
      'Model Number                       : C9300-24T',
      `System Serial Number               : ${model.serial.replace(/^FOC/, 'FCW')}`,
      'CLEI Code Number                   : INM9G00ARA',
      '',
      '',
      'Switch Ports Model              SW Version        SW Image              Mode   ',
      '------ ----- -----              ----------        ----------            ----   ',
      `*    1 ${String(ports + 1).padEnd(5)} C9300-24T          17.09.04a         CAT9K_IOSXE           INSTALL`,
      '',
      '',
      'Configuration register is 0x102',
      '',
    ];
  }

  private statusWords(i: LabInterface): { status: string; protocol: string } {
    const state = interfaceState(i);
    if (state === 'admin-down') return { status: 'administratively down', protocol: 'down' };
    return { status: state, protocol: state };
  }

  private ipInterfaceBrief(): string[] {
    const lines = ['Interface              IP-Address      OK? Method Status                Protocol'];
    for (const i of this.model.interfaces) {
      const { status, protocol } = this.statusWords(i);
      const ip = i.ipv4?.address ?? 'unassigned';
      const method = i.ipv4 ? 'NVRAM' : i.kind === 'ethernet' ? 'unset' : 'NVRAM';
      lines.push(
        `${i.name.padEnd(23)}${ip.padEnd(16)}YES ${method.padEnd(7)}${status.padEnd(22)}${protocol}`,
      );
    }
    return lines;
  }

  private interfacesDescription(): string[] {
    const lines = ['Interface                      Status         Protocol Description'];
    for (const i of this.model.interfaces) {
      const state = interfaceState(i);
      const status = state === 'admin-down' ? 'admin down' : state;
      const protocol = state === 'up' ? 'up' : 'down';
      const name = shortInterfaceName('cisco_ios', i.name);
      lines.push(`${name.padEnd(31)}${status.padEnd(15)}${protocol.padEnd(9)}${i.description}`.trimEnd());
    }
    return lines;
  }

  private interfaceDetail(i: LabInterface): string[] {
    const model = this.model;
    const rand = seededRandom(`detail:${model.hostname}:${i.name}`);
    const state = interfaceState(i);
    const { status, protocol } = this.statusWords(i);
    const inRate = state === 'up' ? Math.floor(rand() * 900_000) : 0;
    const outRate = state === 'up' ? Math.floor(rand() * 900_000) : 0;
    const hw = i.kind === 'vlanif' ? 'Ethernet SVI' : i.kind === 'loopback' ? 'Loopback' : 'Gigabit Ethernet';
    const lines = [
      `${i.name} is ${status}, line protocol is ${protocol}${state === 'down' && i.kind === 'ethernet' ? ' (notconnect)' : ''} `,
      `  Hardware is ${hw}, address is ${model.mac} (bia ${model.mac})`,
    ];
    if (i.description) lines.push(`  Description: ${i.description}`);
    if (i.ipv4) lines.push(`  Internet address is ${i.ipv4.address}/${maskToPrefix(i.ipv4.mask)}`);
    lines.push(
      `  MTU ${i.kind === 'loopback' ? 1514 : 1500} bytes, BW ${i.kind === 'ethernet' ? 1000000 : 1000000} Kbit/sec, DLY 10 usec, `,
      '     reliability 255/255, txload 1/255, rxload 1/255',
      '  Encapsulation ARPA, loopback not set',
      '  Keepalive set (10 sec)',
    );
    if (i.kind === 'ethernet') {
      lines.push(
        `  ${state === 'up' ? 'Full-duplex, 1000Mb/s' : 'Auto-duplex, Auto-speed'}, media type is 10/100/1000BaseTX`,
        '  input flow-control is on, output flow-control is unsupported ',
      );
    }
    lines.push(
      '  ARP type: ARPA, ARP Timeout 04:00:00',
      '  Last input 00:00:00, output 00:00:00, output hang never',
      '  Last clearing of "show interface" counters never',
      '  Input queue: 0/2000/0/0 (size/max/drops/flushes); Total output drops: 0',
      '  Queueing strategy: fifo',
      '  Output queue: 0/40 (size/max)',
      `  5 minute input rate ${inRate} bits/sec, ${Math.floor(inRate / 800)} packets/sec`,
      `  5 minute output rate ${outRate} bits/sec, ${Math.floor(outRate / 800)} packets/sec`,
      `     ${inRate * 3000} packets input, ${inRate * 90000} bytes, 0 no buffer`,
      `     Received ${inRate * 40} broadcasts (${inRate * 60} multicasts)`,
      '     0 runts, 0 giants, 0 throttles ',
      '     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored',
      '     0 watchdog, 0 multicast, 0 pause input',
      '     0 input packets with dribble condition detected',
      `     ${outRate * 3000} packets output, ${outRate * 80000} bytes, 0 underruns`,
      '     0 output errors, 0 collisions, 1 interface resets',
      '     0 unknown protocol drops',
      '     0 babbles, 0 late collision, 0 deferred',
      '     0 lost carrier, 0 no carrier, 0 pause output',
      '     0 output buffer failures, 0 output buffers swapped out',
    );
    return lines;
  }

  private vlanBrief(): string[] {
    const lines = [
      '',
      'VLAN Name                             Status    Ports',
      '---- -------------------------------- --------- -------------------------------',
    ];
    const ids = [1, ...[...this.model.vlans.keys()].sort((a, b) => a - b)];
    for (const id of ids) {
      const ports = this.model.interfaces
        .filter((i) => i.kind === 'ethernet' && i.mode === 'access' && (i.accessVlan ?? 1) === id)
        .map((i) => shortInterfaceName('cisco_ios', i.name));
      const name = id === 1 ? 'default' : this.model.vlans.get(id) || iosVlanName(id);
      const first = ports.splice(0, 4);
      lines.push(`${String(id).padEnd(5)}${name.padEnd(33)}active    ${first.join(', ')}`.trimEnd());
      while (ports.length) lines.push(`${' '.repeat(48)}${ports.splice(0, 4).join(', ')}`);
    }
    lines.push(
      '1002 fddi-default                     act/unsup ',
      '1003 token-ring-default               act/unsup ',
      '1004 fddinet-default                  act/unsup ',
      '1005 trnet-default                    act/unsup ',
    );
    return lines;
  }

  // ---- configuration -------------------------------------------------------------------------

  private interfaceConfig(i: LabInterface): string[] {
    const lines = [`interface ${i.name}`];
    if (i.kind === 'mgmt') lines.push(' vrf forwarding Mgmt-vrf');
    if (i.description) lines.push(` description ${i.description}`);
    if (i.kind === 'ethernet') {
      if (i.mode === 'trunk') {
        if (i.trunkVlans && i.trunkVlans !== 'all') {
          lines.push(
            ` switchport trunk allowed vlan ${i.trunkVlans
              .trim()
              .split(/[\s,]+/)
              .join(',')}`,
          );
        }
        lines.push(' switchport mode trunk');
      } else {
        if (i.accessVlan !== undefined && i.accessVlan !== 1)
          lines.push(` switchport access vlan ${i.accessVlan}`);
        lines.push(' switchport mode access');
        if (!i.extra.includes('no spanning-tree portfast')) lines.push(' spanning-tree portfast');
      }
    }
    if (i.ipv4) lines.push(` ip address ${i.ipv4.address} ${i.ipv4.mask}`);
    else if (i.kind !== 'ethernet') lines.push(' no ip address');
    for (const e of i.extra) if (!e.startsWith('no ') && !lines.includes(` ${e}`)) lines.push(` ${e}`);
    if (!i.adminUp) lines.push(' shutdown');
    if (i.kind === 'mgmt') lines.push(' negotiation auto');
    lines.push('!');
    return lines;
  }

  private runningConfig(): string[] {
    const model = this.model;
    const s = model.site;
    // seeded by the serial number: a new hostname changes no stored secret
    const rand = seededRandom(`secrets:${model.serial}`);
    const secret = (n: number): string => {
      const alphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
      let out = '';
      for (let k = 0; k < n; k++) out += alphabet[Math.floor(rand() * alphabet.length)];
      return out;
    };
    const vlanIds = [...model.vlans.keys()].sort((a, b) => a - b);
    const lines = [
      '!',
      `! Last configuration change at ${iosDateTime(model.lastChange).replace(/\.\d{3}/, '')} by admin`,
      '!',
      'version 17.9',
      'service timestamps debug datetime msec',
      'service timestamps log datetime msec',
      'service password-encryption',
      'service call-home',
      'no platform punt-keepalive disable-kernel-core',
      '!',
      `hostname ${model.hostname}`,
      '!',
      '!',
      'vrf definition Mgmt-vrf',
      ' !',
      ' address-family ipv4',
      ' exit-address-family',
      ' !',
      ' address-family ipv6',
      ' exit-address-family',
      '!',
      'logging buffered 64000 informational',
      'logging host 10.0.100.10',
      ...model.extraConfig.filter((l) => l.startsWith('logging')),
      `enable secret 9 $9$${secret(14)}$${secret(43)}`,
      '!',
      'aaa new-model',
      '!',
      '!',
      'aaa authentication login default local',
      'aaa authorization exec default local ',
      '!',
      '!',
      'aaa session-id common',
      'clock timezone CST 8 0',
      'switch 1 provision c9300-24t',
      '!',
      '!',
      '!',
      '!',
      'ip routing',
      '!',
      'no ip domain lookup',
      'ip domain name lab.local',
      ...model.extraConfig.filter((l) => l.startsWith('ip domain')),
      '!',
      '!',
      '!',
      'login on-success log',
      '!',
      '!',
      'crypto pki trustpoint SLA-TrustPoint',
      ' enrollment pkcs12',
      ' revocation-check crl',
      '!',
      `crypto pki trustpoint TP-self-signed-${3000000000 + Math.floor(rand() * 999999999)}`,
      ' enrollment selfsigned',
      ` subject-name cn=IOS-Self-Signed-Certificate-${3000000000 + Math.floor(rand() * 999999999)}`,
      ' revocation-check none',
      ' rsakeypair TP-self-signed',
      '!',
      '!',
      'license boot level network-advantage addon dna-advantage',
      'memory free low-watermark processor 134344',
      '!',
      'diagnostic bootup level minimal',
      '!',
      'spanning-tree mode rapid-pvst',
      'spanning-tree extend system-id',
      ...model.extraConfig.filter((l) => l.startsWith('spanning-tree')),
      '!',
      `username admin privilege 15 secret 9 $9$${secret(14)}$${secret(43)}`,
      `username netops privilege 5 secret 9 $9$${secret(14)}$${secret(43)}`,
      ...model.extraConfig.filter((l) => l.startsWith('username')),
      '!',
      'redundancy',
      ' mode sso',
      '!',
      '!',
      '!',
      'transceiver type all',
      ' monitoring',
      '!',
    ];
    for (const id of vlanIds)
      lines.push(`vlan ${id}`, ` name ${model.vlans.get(id) || iosVlanName(id)}`, '!');
    lines.push('!', '!', '!', '!');
    for (const i of model.interfaces) lines.push(...this.interfaceConfig(i));
    lines.push(
      'router ospf 1',
      ` router-id 10.255.255.${s}`,
      ' passive-interface default',
      ' no passive-interface Vlan100',
    );
    for (const i of model.interfaces) {
      if (i.ipv4 && i.kind !== 'mgmt') {
        lines.push(` network ${networkOf(i.ipv4.address, i.ipv4.mask)} ${wildcardOf(i.ipv4.mask)} area 0`);
      }
    }
    lines.push(
      '!',
      'ip forward-protocol nd',
      'ip http server',
      'ip http authentication local',
      'ip http secure-server',
      `ip route 0.0.0.0 0.0.0.0 10.${s}.100.254`,
      `ip route vrf Mgmt-vrf 0.0.0.0 0.0.0.0 192.168.255.254`,
      ...model.extraConfig.filter((l) => l.startsWith('ip route')),
      'ip ssh version 2',
      'ip ssh server algorithm encryption aes256-gcm aes256-ctr',
      '!',
      '!',
      'ip access-list standard SNMP-RO',
      ' 10 permit 10.0.100.0 0.0.0.255',
      '!',
      `snmp-server community ${secret(12)} RO SNMP-RO`,
      'snmp-server location Lab Rack 3',
      'snmp-server contact noc@lab.local',
      ...model.extraConfig.filter((l) => l.startsWith('snmp-server')),
      '!',
      '!',
      'control-plane',
      ' service-policy input system-cpp-policy',
      '!',
    );
    const banner = model.extraConfig.filter((l) => l.startsWith('banner'));
    lines.push(
      ...banner,
      '!',
      'line con 0',
      ' stopbits 1',
      'line aux 0',
      'line vty 0 4',
      ' transport input ssh',
      'line vty 5 15',
      ' transport input ssh',
      '!',
    );
    lines.push(
      'ntp server 10.0.100.1',
      ...model.extraConfig.filter((l) => l.startsWith('ntp')),
      '!',
      '!',
      '!',
      '!',
      '!',
      'end',
      '',
    );
    return lines;
  }

  private runningConfigOutput(): string[] {
    const body = this.runningConfig();
    return ['Building configuration...', '', `Current configuration : ${bytes(body)} bytes`, ...body];
  }
}

function bytes(lines: readonly string[]): number {
  return Buffer.byteLength(lines.join('\n') + '\n', 'utf8');
}

function ciscoMacColon(mac: string): string {
  const hex = mac.replace(/[^0-9a-f]/gi, '');
  return hex.match(/../g)?.join(':') ?? mac;
}

/** IOS names a VLAN it creates `VLAN0010`. */
function iosVlanName(id: number): string {
  return `VLAN${String(id).padStart(4, '0')}`;
}

const SCRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A `username` line as IOS keeps it: a secret typed in clear (`secret Pa55`, `secret 0 Pa55`) becomes its
 * type 9 (scrypt) hash, a password its type 7 form (the lab runs `service password-encryption`).
 */
export function storedUserLine(line: string, seed: string): string {
  const m = /^(username \S+(?: privilege \d{1,2})?) (secret|password)(?: 0)? (\S+)$/.exec(line);
  if (!m) return line;
  const [, head, kind, typed] = m;
  const text = seed + head + typed;
  if (kind === 'secret') {
    return `${head} secret 9 $9$${seededText(`${text}:salt`, 14, SCRYPT_ALPHABET)}$${seededText(text, 43, SCRYPT_ALPHABET)}`;
  }
  const offset = String(Math.floor(seededRandom(text)() * 16)).padStart(2, '0');
  return `${head} password 7 ${offset}${seededText(text, typed.length * 2, '0123456789ABCDEF')}`;
}

export function createIosCli(model: LabDeviceModel, opts: IosCliOptions): IosCli {
  return new IosCli(model, opts);
}
