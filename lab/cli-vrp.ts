/**
 * Huawei VRP personality (S5735, V200R022C00SPC500) as a pure state machine: lines in, text out. The
 * views, `^` errors and the edits VRP shares with Comware are in `cli-huawei.ts`.
 */
import type { CommandSpec, MatchSuccess } from './match';
import {
  formatUptime,
  maskToPrefix,
  interfaceState,
  networkOf,
  noteConfigChange,
  seededRandom,
  seededText,
  setAccountSetting,
  shortInterfaceName,
  storedSecret,
  vrpDateTime,
  vrpDayName,
  wildcardOf,
  type CliResult,
  type LabDeviceModel,
  type LabInterface,
} from './model';
import {
  HuaweiFamilyCli,
  SHARED_INTERFACE_COMMANDS,
  SHARED_SYSTEM_COMMANDS,
  makeAccessPort,
  parseVlanList,
  saidYes,
  vlanIds,
  vlanLabel,
  type HuaweiSharedId,
  type ViewCommands,
} from './cli-huawei';

export const VRP_PAGER_PROMPT = '  ---- More ----';
export const VRP_PAGER_ERASE = `\x1b[16D${' '.repeat(16)}\x1b[16D`;

/** Longest interface description VRP takes. */
const MAX_DESCRIPTION = 242;
/** Longest `sysname` VRP takes. */
const MAX_SYSNAME = 246;

/** The shared commands, then those only this CLI has or runs its own way. */
type Id =
  | HuaweiSharedId
  | 'display-interface-description'
  | 'display-this'
  | 'display-clock'
  | 'display-vlan'
  | 'system-view'
  | 'quit'
  | 'save'
  | 'reboot'
  | 'screen-length'
  | 'undo-screen-length'
  | 'terminal-monitor'
  | 'undo-terminal-monitor'
  | 'vlan-batch'
  | 'link-type-hybrid'
  | 'default-vlan'
  | 'trunk-allow'
  | 'iface-extra'
  | 'aaa'
  | 'local-user'
  | 'undo-local-user'
  | 'snmp-community';

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
  ...SHARED_SYSTEM_COMMANDS,
  { id: 'vlan-batch', words: ['vlan', 'batch'], args: 'required' },
  { id: 'global-extra', words: ['snmp-agent'], args: 'optional' },
  { id: 'snmp-community', words: ['snmp-agent', 'community'], args: 'required' },
  { id: 'aaa', words: ['aaa'] },
  { id: 'global-extra', words: ['stp', 'mode'], args: 'required' },
];

const INTERFACE: CommandSpec<Id>[] = [
  ...DISPLAY,
  ...LEAVE,
  ...SHARED_INTERFACE_COMMANDS,
  { id: 'link-type-hybrid', words: ['port', 'link-type', 'hybrid'] },
  { id: 'default-vlan', words: ['port', 'default', 'vlan', '<int>'] },
  { id: 'trunk-allow', words: ['port', 'trunk', 'allow-pass', 'vlan'], args: 'required' },
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

const AAA: CommandSpec<Id>[] = [
  ...DISPLAY,
  ...LEAVE,
  { id: 'local-user', words: ['local-user'], args: 'required' },
  { id: 'undo-local-user', words: ['undo', 'local-user'], args: 'required' },
];

const DISPLAY_IDS = new Set<Id>(DISPLAY.map((c) => c.id));

const VIEWS: ViewCommands<Id> = {
  user: USER,
  system: SYSTEM,
  interface: INTERFACE,
  vlan: VLAN,
  aaa: AAA,
  // Comware's account view; VRP configures accounts from `aaa`
  'local-user': LEAVE,
};

/** `local-user NAME password irreversible-cipher|cipher|simple SECRET`; the rest are settings. */
const PASSWORD_FORMS = new Set(['irreversible-cipher', 'cipher', 'simple']);
/** `local-user NAME privilege level N`, `local-user NAME service-type …`. */
const ACCOUNT_SETTINGS =
  /^(?:privilege level (?:1[0-5]|\d)|service-type(?: (?:terminal|ssh|telnet|http|ftp|snmp|8021x|web|ppp|x25-pad|bind|lan-access)){1,9}|state (?:active|block))$/;

export interface VrpCliOptions {
  /** Shown in the login banner; default 5. */
  maxVtyUsers?: number;
}

export class VrpCli extends HuaweiFamilyCli<Id, 'save' | 'reboot'> {
  readonly vendor = 'huawei_vrp' as const;
  readonly pager = { prompt: VRP_PAGER_PROMPT, erase: VRP_PAGER_ERASE };
  protected readonly views = VIEWS;
  protected readonly pipeable = DISPLAY_IDS;
  protected readonly errorPrefix = 'Error: ';
  /** null = default (terminal rows), 0 = off, N = N lines per screen. */
  private screenLength: number | null = null;

  constructor(
    model: LabDeviceModel,
    private readonly opts: VrpCliOptions = {},
  ) {
    super(model);
  }

  protected questionPrompt(question: 'save' | 'reboot'): string {
    return question === 'save'
      ? 'Warning: The current configuration will be written to the device. Continue? [Y/N]:'
      : 'Warning: The system will reboot. Continue? [Y/N]:';
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

  protected answer(question: 'save' | 'reboot', line: string): CliResult {
    this.asking = null;
    if (!saidYes(line)) return this.result([]);
    if (question === 'reboot') return this.result(['Info: system is rebooting ,please wait...'], false, true);
    noteConfigChange(this.model);
    return this.result([
      'Now saving the current configuration to the slot 0.',
      'Info: Save the configuration successfully.',
    ]);
  }

  protected run(m: MatchSuccess<Id>, column: number): CliResult {
    const model = this.model;
    switch (m.id) {
      case 'display-interface-description':
        return this.result(this.interfaceDescription(), true);
      case 'display-this':
        return this.result(this.thisConfiguration(), true);
      case 'display-clock':
        return this.result([
          vrpDateTime(model.now()),
          vrpDayName(model.now()),
          'Time Zone(Beijing) : UTC+08:00',
        ]);
      case 'display-vlan':
        return this.result(this.vlanTable(), true);
      case 'system-view':
        return this.enterSystemView(['Enter system view, return user view with Ctrl+Z.']);
      case 'quit':
        return this.quit(['  Configuration console exit, please retry to log on']);
      case 'save':
        this.asking = 'save';
        return this.result([]);
      case 'reboot':
        // Real VRP first compares the configuration and may ask to save it; the lab asks only this.
        this.asking = 'reboot';
        return this.result([]);
      case 'screen-length': {
        const n = Number(m.params[0]);
        if (n > 512) return this.error('wrong', m.words[1].start, column);
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
      case 'sysname':
        if (m.args.length !== 1 || m.rest.length > MAX_SYSNAME)
          return this.error('wrong', m.args[m.args.length - 1].start, column);
        model.hostname = m.rest;
        return this.applied();
      case 'vlan-batch': {
        const ids = parseVlanList(m.args.map((a) => a.text));
        if (!ids) return this.error('wrong', m.args[0].start, column);
        for (const id of ids) if (!model.vlans.has(id)) model.vlans.set(id, '');
        noteConfigChange(model);
        return this.result(['Info: This operation may take a few seconds. Please wait for a moment...done.']);
      }
      case 'aaa':
        this.view = { kind: 'aaa' };
        return this.result([]);
      case 'local-user':
        return this.localUser(m, column);
      case 'undo-local-user': {
        const at = model.localUsers.findIndex((u) => u.name === m.args[0].text);
        if (at === -1 || m.args.length !== 1) return this.error('wrong', m.args[0].start, column);
        model.localUsers.splice(at, 1);
        return this.applied();
      }
      case 'snmp-community': {
        // snmp-agent community read|write [cipher|simple] NAME [acl N | mib-view V]...
        const [access, ...rest] = m.args;
        if (access.text !== 'read' && access.text !== 'write')
          return this.error('wrong', access.start, column);
        // VRP keeps its own cipher text whether the name was typed `cipher` or `simple`
        if (rest[0]?.text === 'cipher' || rest[0]?.text === 'simple') rest.shift();
        const name = rest.shift();
        if (!name) return this.error('incomplete', afterLastWord(m), column);
        const options = rest.map((w) => w.text).join(' ');
        const cipher = storedSecret('huawei_vrp', 'cipher', `${model.serial}:community:${name.text}`);
        model.communities.push({
          access: access.text,
          shown: `cipher ${cipher}${options ? ` ${options}` : ''}`,
        });
        return this.applied();
      }
      case 'undo-vlan': {
        const batch = m.args[0]?.text === 'batch';
        return this.undoVlans(
          parseVlanList(batch ? m.args.slice(1).map((a) => a.text) : [m.rest]),
          m,
          column,
        );
      }
      default:
        return this.runShared(m, column);
    }
  }

  /** `local-user NAME password …` (creates the account) or `local-user NAME <setting>`, in the `aaa` view. */
  private localUser(m: MatchSuccess<Id>, column: number): CliResult {
    const model = this.model;
    const [name, ...rest] = m.args;
    if (rest.length === 0) return this.error('incomplete', afterLastWord(m), column);
    let user = model.localUsers.find((u) => u.name === name.text);
    if (rest[0].text === 'password') {
      const form = rest[1];
      const secret = rest[2];
      if (!form || !PASSWORD_FORMS.has(form.text))
        return this.error('wrong', (form ?? rest[0]).start, column);
      if (!secret || rest.length > 3) return this.error('wrong', (secret ?? form).start, column);
      // What VRP keeps of the password: a one-way hash (or its own cipher text), never what was typed.
      const stored =
        form.text === 'cipher'
          ? `cipher ${storedSecret('huawei_vrp', 'cipher', `${model.serial}:${name.text}:${secret.text}`)}`
          : `irreversible-cipher ${storedSecret('huawei_vrp', 'hash', `${model.serial}:${name.text}:${secret.text}`)}`;
      if (user) user.password = stored;
      else model.localUsers.push({ name: name.text, password: stored, settings: [] });
      return this.applied();
    }
    const setting = rest.map((w) => w.text).join(' ');
    if (!ACCOUNT_SETTINGS.test(setting)) return this.error('wrong', rest[0].start, column);
    if (!user) {
      user = { name: name.text, password: '', settings: [] };
      model.localUsers.push(user);
    }
    setAccountSetting(user, setting);
    return this.applied();
  }

  protected runPort(iface: LabInterface, m: MatchSuccess<Id>, column: number): CliResult {
    switch (m.id) {
      case 'description':
        if (m.rest.length > MAX_DESCRIPTION) return this.error('wrong', m.args[0].start, column);
        iface.description = m.rest;
        break;
      case 'link-type-hybrid':
        // The lab keeps a hybrid port as an access port.
        makeAccessPort(iface);
        break;
      case 'link-type-trunk':
        iface.mode = 'trunk';
        iface.accessVlan = undefined;
        break;
      case 'default-vlan': {
        const id = Number(m.params[0]);
        if (iface.mode !== 'access') return this.result(['Error: Please renew the default configurations.']);
        if (id < 1 || id > 4094) return this.error('wrong', m.words[3].start, column);
        iface.accessVlan = id;
        break;
      }
      case 'trunk-allow': {
        if (iface.mode !== 'trunk') return this.result(['Error: Please renew the default configurations.']);
        if (!parseVlanList(m.args.map((a) => a.text))) return this.error('wrong', m.args[0].start, column);
        iface.trunkVlans = m.rest;
        break;
      }
      case 'iface-extra': {
        const text = m.words.map((w) => w.text).join(' ');
        if (!iface.extra.includes(text)) iface.extra.push(text);
        break;
      }
      default:
        return this.error('unrecognized', 0, column);
    }
    return this.applied();
  }

  // ---- display output -------------------------------------------------------------------------

  protected version(): string[] {
    const model = this.model;
    const up = model.now().getTime() - model.bootedAt.getTime();
    return [
      'Huawei Versatile Routing Platform Software',
      'VRP (R) software, Version 5.170 (S5735 V200R022C00SPC500)',
      'Copyright (C) 2000-2023 HUAWEI TECH Co., Ltd.',
      `HUAWEI S5735-L24T4S-A1 Routing Switch uptime is ${formatUptime(up, 'never')}`,
      '',
      `ES5D2T28S005 0(Master) : uptime is ${formatUptime(up - 60_000, 'never')}`,
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

  protected interfaceBrief(): string[] {
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

  protected interfaceDetail(i: LabInterface): string[] {
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
    const ids = [1, ...vlanIds(this.model)];
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
      lines.push(
        `${String(id).padEnd(5)}enable  default       enable  disable    ${vlanLabel(this.model, id)}`,
      );
    }
    return lines;
  }

  // ---- configuration -------------------------------------------------------------------------

  protected interfaceConfig(i: LabInterface): string[] {
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

  protected vlanConfig(id: number): string[] {
    const name = this.model.vlans.get(id);
    return [`vlan ${id}`, ...(name ? [` description ${name}`] : [])];
  }

  protected currentConfiguration(): string[] {
    const model = this.model;
    const s = model.site;
    const configured = vlanIds(model);
    const lines = [
      '!Software Version V200R022C00SPC500',
      `!Last configuration was updated at ${vrpDateTime(model.lastChange)}`,
      `!Last configuration was saved at ${vrpDateTime(new Date(model.lastChange.getTime() - 86400_000))}`,
      '#',
      `sysname ${model.hostname}`,
      '#',
      ...(configured.length ? [`vlan batch ${compressVlans(configured)}`] : []),
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
      ...model.localUsers.flatMap((u) => [
        ...(u.password ? [` local-user ${u.name} password ${u.password}`] : []),
        ...u.settings.map((setting) => ` local-user ${u.name} ${setting}`),
      ]),
      '#',
      'ntp-service server disable',
      'ntp-service ipv6 server disable',
      'ntp-service unicast-server 10.0.100.1',
      ...model.extraConfig.filter((l) => l.startsWith('ntp-service')),
      '#',
    ];
    for (const id of configured) {
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
      ...model.communities.map((c) => `snmp-agent community ${c.access} ${c.shown}`),
      'snmp-agent sys-info version v2c v3',
      'snmp-agent target-host trap address udp-domain 10.0.100.20 params securityname cipher %^%#' +
        hashish(`${model.serial}:trap`, 24) +
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

/** Where the `^` of an incomplete command goes: one column past its last word. */
function afterLastWord(m: MatchSuccess): number {
  const last = m.words[m.words.length - 1];
  return last.start + last.text.length + 1;
}

/** Stands in for VRP's cipher text. */
function hashish(seed: string, length: number): string {
  return seededText(seed, length, HASH_ALPHABET);
}

const HASH_ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!%&()*+,-.:;<=>?@[]^_`{|}~';

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
