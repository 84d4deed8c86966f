/**
 * H3C Comware 7 personality (S5130S-28S-EI, Version 7.1.070, Release 6318P01) as a pure state machine:
 * lines in, text out. Views and `^` errors work like VRP (`cli-huawei.ts`), with Comware's wording (` % ...`).
 */
import { matchCommand, type CommandSpec, type MatchSuccess } from './match';
import {
  formatUptime,
  interfaceState,
  localParts,
  maskToPrefix,
  noteConfigChange,
  seededRandom,
  setAccountSetting,
  shortInterfaceName,
  storedSecret,
  type CliResult,
  type LabDeviceModel,
  type LabInterface,
} from './model';
import type { LineFailure } from './cli-family';
import {
  HuaweiFamilyCli,
  SHARED_INTERFACE_COMMANDS,
  SHARED_SYSTEM_COMMANDS,
  parseVlanList,
  saidYes,
  vlanIds,
  vlanLabel,
  type HuaweiSharedId,
  type ViewCommands,
} from './cli-huawei';
import { VRP_PAGER_ERASE, VRP_PAGER_PROMPT } from './cli-vrp';

/** Comware's pager is VRP's, down to the erase sequence. */
export const H3C_PAGER_PROMPT = VRP_PAGER_PROMPT;
export const H3C_PAGER_ERASE = VRP_PAGER_ERASE;

const RELEASE = '6318P01';
/** Longest `sysname` Comware takes. */
const MAX_SYSNAME = 64;

/**
 * Questions asked back: `save` asks to confirm, then for the file name (and whether to overwrite another
 * file of that name); `reboot` asks once.
 */
type Question = 'save-confirm' | 'save-file' | 'save-overwrite' | 'reboot';

/** The shared commands, then those only this CLI has or runs its own way. */
type Id =
  | HuaweiSharedId
  | 'display-this'
  | 'display-clock'
  | 'display-vlan'
  | 'system-view'
  | 'quit'
  | 'save'
  | 'save-force'
  | 'reboot'
  | 'screen-length-disable'
  | 'undo-screen-length-disable'
  | 'access-vlan'
  | 'trunk-permit'
  | 'local-user'
  | 'undo-local-user'
  | 'snmp-community'
  | 'luser-password'
  | 'luser-setting';

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
  ...SHARED_SYSTEM_COMMANDS,
  { id: 'local-user', words: ['local-user'], args: 'required' },
  { id: 'undo-local-user', words: ['undo', 'local-user'], args: 'required' },
  { id: 'snmp-community', words: ['snmp-agent', 'community'], args: 'required' },
];

/** `[H3C-luser-manage-admin]`: one account. */
const LOCAL_USER: CommandSpec<Id>[] = [
  ...NESTED,
  { id: 'luser-password', words: ['password'], args: 'required' },
  { id: 'luser-setting', words: ['service-type'], args: 'required' },
  { id: 'luser-setting', words: ['authorization-attribute'], args: 'required' },
];

const INTERFACE: CommandSpec<Id>[] = [
  ...NESTED,
  ...SHARED_INTERFACE_COMMANDS,
  { id: 'access-vlan', words: ['port', 'access', 'vlan', '<int>'] },
  { id: 'trunk-permit', words: ['port', 'trunk', 'permit', 'vlan'], args: 'required' },
];

const VLAN: CommandSpec<Id>[] = [
  ...NESTED,
  { id: 'vlan-name', words: ['name'], args: 'required' },
  { id: 'vlan-name', words: ['description'], args: 'required' },
];

const DISPLAY_IDS = new Set<Id>([...DISPLAY.map((c) => c.id), 'display-this']);

const VIEWS: ViewCommands<Id> = {
  user: USER,
  system: SYSTEM,
  interface: INTERFACE,
  vlan: VLAN,
  // VRP's `aaa` view; Comware configures accounts in their own view
  aaa: NESTED,
  'local-user': LOCAL_USER,
};

export class H3cCli extends HuaweiFamilyCli<Id, Question> {
  readonly vendor = 'h3c_comware' as const;
  readonly pager = { prompt: H3C_PAGER_PROMPT, erase: H3C_PAGER_ERASE };
  protected readonly views = VIEWS;
  protected readonly pipeable = DISPLAY_IDS;
  protected readonly errorPrefix = ' % ';
  private paging = true;
  /** The file `save` is about to overwrite. */
  private saveFile = '';

  protected questionPrompt(question: Question): string {
    switch (question) {
      case 'save-confirm':
        return 'The current configuration will be written to the device. Are you sure? [Y/N]:';
      case 'save-file':
        return '(To leave the existing filename unchanged, press the enter key):';
      case 'save-overwrite':
        return `${this.saveFile} exists, overwrite? [Y/N]:`;
      case 'reboot':
        return 'This command will reboot the device. Continue? [Y/N]:';
    }
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

  /** An unknown word after a complete command is "too many parameters", as Comware reports it. */
  protected override failure(f: LineFailure, column: number): CliResult {
    if (f.kind === 'unrecognized' && f.command && f.command.wordIndex > 0) {
      const before = matchCommand(this.commands(), f.command.typed.slice(0, f.column));
      if (before?.ok) return this.error('too-many', f.column, column);
    }
    return super.failure(f, column);
  }

  protected answer(question: Question, line: string): CliResult {
    const yes = saidYes(line);
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
    noteConfigChange(this.model);
    return this.result([
      'Validating file. Please wait...',
      'Saved the current configuration to mainboard device successfully.',
    ]);
  }

  protected run(m: MatchSuccess<Id>, column: number): CliResult {
    const model = this.model;
    switch (m.id) {
      case 'display-this': {
        // Comware pages `display this` only for the whole configuration (system view).
        const section = this.view.kind === 'interface' || this.view.kind === 'vlan';
        return this.result(this.thisConfiguration(), !section);
      }
      case 'display-clock':
        return this.result([comwareClock(model.now()), 'Time Zone : BJ add 08:00:00']);
      case 'display-vlan':
        return this.result(this.vlanBrief(), true);
      case 'system-view':
        return this.enterSystemView(['System View: return to User View with Ctrl+Z.']);
      case 'quit':
        return this.quit([]);
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
        if (m.args.length > 1) return this.error('too-many', m.args[1].start, column);
        if (m.rest.length > MAX_SYSNAME) return this.error('wrong', m.args[0].start, column);
        model.hostname = m.rest;
        return this.applied();
      case 'undo-vlan':
        return this.undoVlans(parseVlanList(m.args.map((a) => a.text)), m, column);
      case 'local-user': {
        // local-user NAME [class manage]
        const [name, ...rest] = m.args;
        const extra = rest.map((w) => w.text).join(' ');
        if (extra !== '' && extra !== 'class manage') return this.error('wrong', rest[0].start, column);
        let user = model.localUsers.find((u) => u.name === name.text);
        if (!user) {
          user = { name: name.text, password: '', settings: [] };
          model.localUsers.push(user);
          noteConfigChange(model);
        }
        this.view = { kind: 'local-user', user };
        return this.result([]);
      }
      case 'undo-local-user': {
        const at = model.localUsers.findIndex((u) => u.name === m.args[0].text);
        if (at === -1) return this.error('wrong', m.args[0].start, column);
        if (m.args.length > 1) return this.error('too-many', m.args[1].start, column);
        model.localUsers.splice(at, 1);
        return this.applied();
      }
      case 'snmp-community': {
        // snmp-agent community read|write [simple|cipher] NAME [mib-view V] [acl N]
        const [access, ...rest] = m.args;
        if (access.text !== 'read' && access.text !== 'write')
          return this.error('wrong', access.start, column);
        if (rest[0]?.text === 'simple' || rest[0]?.text === 'cipher') rest.shift();
        const name = rest.shift();
        if (!name) return this.error('incomplete', access.start + access.text.length + 1, column);
        const options = rest.map((w) => w.text).join(' ');
        // Comware shows every community as its cipher text, however it was typed.
        const cipher = storedSecret('h3c_comware', 'cipher', `${model.serial}:community:${name.text}`);
        model.communities.push({
          access: access.text,
          shown: `cipher ${cipher}${options ? ` ${options}` : ''}`,
        });
        return this.applied();
      }
      case 'luser-password': {
        // password simple|cipher|hash SECRET: a device-management account keeps only a hash
        if (this.view.kind !== 'local-user') return this.error('unrecognized', 0, column);
        const [form, secret, ...more] = m.args;
        if (!['simple', 'cipher', 'hash'].includes(form.text)) return this.error('wrong', form.start, column);
        if (!secret) return this.error('incomplete', form.start + form.text.length + 1, column);
        if (more.length > 0) return this.error('too-many', more[0].start, column);
        const user = this.view.user;
        user.password = `hash ${storedSecret('h3c_comware', 'hash', `${model.serial}:${user.name}:${secret.text}`)}`;
        return this.applied();
      }
      case 'luser-setting': {
        if (this.view.kind !== 'local-user') return this.error('unrecognized', 0, column);
        setAccountSetting(this.view.user, m.words.map((w) => w.text).join(' '));
        return this.applied();
      }
      default:
        return this.runShared(m, column);
    }
  }

  protected runPort(iface: LabInterface, m: MatchSuccess<Id>, column: number): CliResult {
    switch (m.id) {
      case 'description':
        iface.description = m.rest;
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
      default:
        return this.error('unrecognized', 0, column);
    }
    return this.applied();
  }

  // ---- display output -------------------------------------------------------------------------

  protected version(): string[] {
    const model = this.model;
    const up = formatUptime(model.now().getTime() - model.bootedAt.getTime(), 'always');
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

  protected interfaceBrief(): string[] {
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

  protected interfaceDetail(i: LabInterface): string[] {
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
    for (const id of [1, ...vlanIds(this.model)]) {
      const name = vlanLabel(this.model, id);
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

  protected interfaceConfig(i: LabInterface): string[] {
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

  protected vlanConfig(id: number): string[] {
    const name = this.model.vlans.get(id);
    return [`vlan ${id}`, ...(name ? [` name ${name}`] : [])];
  }

  protected currentConfiguration(): string[] {
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
    for (const id of vlanIds(model)) lines.push(...this.vlanConfig(id), '#');
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
      ...model.communities.map((c) => ` snmp-agent community ${c.access} ${c.shown}`),
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
      ...model.localUsers.flatMap((u) => [
        `local-user ${u.name} class manage`,
        ...(u.password ? [` password ${u.password}`] : []),
        ...u.settings.map((setting) => ` ${setting}`),
        '#',
      ]),
      'return',
    );
    return lines;
  }
}

/** `14:19:00.123 BJ Mon 11/24/2025` */
function comwareClock(d: Date): string {
  const p = localParts(d);
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][p.wd];
  return `${two(p.h)}:${two(p.mi)}:${two(p.s)}.${String(p.ms).padStart(3, '0')} BJ ${day} ${two(p.mo + 1)}/${two(p.d)}/${p.y}`;
}

export function createH3cCli(model: LabDeviceModel): H3cCli {
  return new H3cCli(model);
}
