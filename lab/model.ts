/**
 * Shared, in-memory state of one simulated device (hostname, interfaces, VLANs, clock data) plus the
 * interface the two CLI personalities implement. Pure: no I/O.
 */
import type { CommandSpec } from './match';
import { createHash, timingSafeEqual } from 'node:crypto';

import type { LabVendor } from './types';

/** Result of feeding one line (or a control key) to a CLI personality. */
export interface CliResult {
  /** Output lines (without line terminators). */
  lines: string[];
  /** Whether the output goes through the pager (when paging is on). */
  pageable: boolean;
  /** The prompt to show afterwards. */
  prompt: string;
  /** Written right after the typed text, before the line break (e.g. IOS `^C`). */
  echo?: string;
  /** The next line is a secret (password): do not echo it. */
  secret?: boolean;
  /** The session ends after the output. */
  close?: boolean;
  /**
   * The prompt is a question waiting for an answer ([Y/N], Password:, [confirm]) rather than the CLI's
   * own prompt; `promptOverride` leaves questions alone.
   */
  question?: boolean;
}

export interface PagerStyle {
  /** Written after a page. */
  prompt: string;
  /** Written when a key is pressed at the pager prompt, before what follows. */
  erase: string;
}

export interface CliExecuteOptions {
  /** Column where the typed line starts (the prompt width), for the `^` error marker. Default 0. */
  column?: number;
}

export interface CliMachine {
  readonly vendor: LabVendor;
  /** Pager prompt and the sequence that erases it. */
  readonly pager: PagerStyle;
  /** When the pager prompt shows progress (Junos `---(more 45%)---`): the prompt after `shown` of `total` characters. */
  pagerAt?(shown: number, total: number): PagerStyle;
  /** True once privileged (IOS `#`); undefined for CLIs without a separate privileged level. */
  readonly privileged?: boolean;
  /** Current prompt. */
  readonly prompt: string;
  /** True while the machine waits for a secret (e.g. the IOS enable password). */
  readonly secret: boolean;
  /** Lines shown when the shell opens, before the first prompt. */
  banner(): string[];
  execute(line: string, opts?: CliExecuteOptions): CliResult;
  /** Ctrl+C on the command line: abandon it. */
  interrupt(): CliResult;
  /** Ctrl+Z: back to the top exec view. */
  toTop(): CliResult;
  /** Lines per page for a terminal with `rows` rows; 0 = paging off. */
  pageSize(rows: number): number;
  /** The command table of the current view: what `?` lists and Tab completes. */
  commandsNow?(): readonly CommandSpec[];
}

export type InterfaceKind = 'ethernet' | 'vlanif' | 'loopback' | 'null' | 'mgmt' | 'trunk';

export interface LabInterface {
  name: string;
  kind: InterfaceKind;
  adminUp: boolean;
  /** Physical link state when administratively up. */
  linkUp: boolean;
  description: string;
  ipv4?: { address: string; mask: string };
  mode?: 'access' | 'trunk';
  accessVlan?: number;
  trunkVlans?: string;
  /** Other configuration lines entered on the interface, kept verbatim. */
  extra: string[];
}

/** A local account as the configuration keeps it (VRP `aaa`, Comware `local-user`). */
export interface LabLocalUser {
  name: string;
  /** The password only as the device shows it: VRP `irreversible-cipher $1d$…$`, Comware `hash $h$6$…`. */
  password: string;
  /** The account's other settings in the vendor's words (`privilege level 15`, `service-type ssh`). */
  settings: string[];
}

/** An SNMP community as the configuration shows it: never the name typed, its cipher text (VRP, Comware). */
export interface LabCommunity {
  access: 'read' | 'write';
  /** `cipher %^%#…%^%#` (VRP), `cipher $c$3$…` (Comware). */
  shown: string;
}

export interface LabDeviceModel {
  readonly vendor: LabVendor;
  hostname: string;
  interfaces: LabInterface[];
  /** VLAN id → name. */
  vlans: Map<number, string>;
  bootedAt: Date;
  lastChange: Date;
  serial: string;
  mac: string;
  /** 1..250, derived from the name: makes addresses differ between devices. */
  site: number;
  /** Other global configuration lines entered, kept verbatim. */
  extraConfig: string[];
  /** Local accounts, in the order configured (VRP, Comware; IOS and Junos show fixed ones). */
  localUsers: LabLocalUser[];
  /** SNMP communities (VRP, Comware). */
  communities: LabCommunity[];
  /** Open shell sessions (shown in the VRP login banner). */
  activeSessions: number;
  /** Injectable clock, for deterministic tests. */
  now: () => Date;
}

/** Descriptions of the first access ports; several are Chinese on purpose (GBK / UTF-8 tests). */
export const PORT_DESCRIPTIONS: readonly string[] = [
  '上联核心交换机',
  '财务部-三楼',
  '人事部-二楼',
  'AP-3F-East',
  '监控摄像头',
  '打印机-行政部',
  'Server-Rack-A3',
  '会议室-大',
  '',
  'Desk-2F-017',
  '',
  '',
  '研发部-四楼',
  '',
  'IP-Phone-Lobby',
  '',
  '',
  '门禁系统',
  '',
  '',
  '',
  '',
  'Uplink-Backup',
  '下联接入交换机',
];

const ACCESS_VLANS: Record<number, number> = {
  2: 10,
  3: 20,
  5: 30,
  6: 20,
  8: 10,
  10: 10,
  13: 20,
  15: 10,
  18: 30,
};
const TRUNK_PORTS = new Set([1, 7, 23, 24]);
const SHUTDOWN_PORTS = new Set([21, 22]);

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Small deterministic PRNG (mulberry32). */
export function seededRandom(seedText: string): () => number {
  let a = fnv1a(seedText);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` characters of `alphabet`, the same for the same seed: stands in for hashes and ciphertext. */
export function seededText(seed: string, length: number, alphabet: string): string {
  const rand = seededRandom(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

function hex(rand: () => number, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

export interface CreateModelOptions {
  now?: () => Date;
}

/** Interface names and fixed interfaces of one vendor's switch; everything else is shared. */
interface VendorLayout {
  /** Access port n (1..24). */
  port(n: number): string;
  /** 10G uplink n (1..4). */
  uplink(n: number): string;
  /** Management port: listed first (IOS) or after the uplinks; with an address (and up) or not. */
  mgmt: { name: string; first: boolean; address: boolean };
  nullName?: string;
  loopback: string;
  svi(id: number): string;
  /** The VLAN 1 interface, when the platform has one by default. */
  vlan1?: { adminUp: boolean };
  serial(rand: () => number): string;
  mac(rand: () => number): string;
}

const LAYOUTS: Record<LabVendor, VendorLayout> = {
  huawei_vrp: {
    port: (n) => `GigabitEthernet0/0/${n}`,
    uplink: (n) => `XGigabitEthernet0/0/${n}`,
    mgmt: { name: 'MEth0/0/1', first: false, address: false },
    nullName: 'NULL0',
    loopback: 'LoopBack0',
    svi: (id) => `Vlanif${id}`,
    vlan1: { adminUp: true },
    serial: (rand) => `2102351931P0${hex(rand, 6).toUpperCase()}`,
    mac: (rand) => `4c1f-cc${hex(rand, 2)}-${hex(rand, 4)}`,
  },
  cisco_ios: {
    port: (n) => `GigabitEthernet1/0/${n}`,
    uplink: (n) => `TenGigabitEthernet1/1/${n}`,
    mgmt: { name: 'GigabitEthernet0/0', first: true, address: true },
    loopback: 'Loopback0',
    svi: (id) => `Vlan${id}`,
    vlan1: { adminUp: false },
    serial: (rand) => `FOC${2300 + Math.floor(rand() * 99)}X${hex(rand, 3).toUpperCase()}`,
    mac: (rand) => `7018.a7${hex(rand, 2)}.${hex(rand, 4)}`,
  },
  h3c_comware: {
    port: (n) => `GigabitEthernet1/0/${n}`,
    uplink: (n) => `Ten-GigabitEthernet1/0/${24 + n}`,
    mgmt: { name: 'M-GigabitEthernet0/0/0', first: false, address: true },
    nullName: 'NULL0',
    loopback: 'LoopBack0',
    svi: (id) => `Vlan-interface${id}`,
    vlan1: { adminUp: true },
    serial: (rand) => `210235A2CWH${hex(rand, 9).toUpperCase()}`,
    mac: (rand) => `3c8c-40${hex(rand, 2)}-${hex(rand, 4)}`,
  },
  juniper_junos: {
    port: (n) => `ge-0/0/${n - 1}`,
    uplink: (n) => `xe-0/2/${n - 1}`,
    mgmt: { name: 'me0', first: false, address: true },
    loopback: 'lo0',
    svi: (id) => `irb.${id}`,
    serial: (rand) => `PE37${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
    mac: (rand) => {
      const h = hex(rand, 6);
      return `f4:a7:39:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4)}`;
    },
  },
};

export function createDeviceModel(
  vendor: LabVendor,
  name: string,
  opts: CreateModelOptions = {},
): LabDeviceModel {
  const now = opts.now ?? (() => new Date());
  const rand = seededRandom(`${vendor}:${name}`);
  const site = 1 + (fnv1a(name) % 250);
  const started = now().getTime();
  const bootedAt = new Date(started - (3 * 86400 + Math.floor(rand() * 60 * 86400)) * 1000);
  const lastChange = new Date(started - Math.floor(rand() * 2 * 86400) * 1000 - 3600_000);
  const layout = LAYOUTS[vendor];
  const interfaces: LabInterface[] = [];
  const vlans = new Map<number, string>([
    [10, 'Finance'],
    [20, 'HR'],
    [30, 'CCTV'],
    [100, 'Management'],
  ]);

  const eth = (n: number): LabInterface => {
    const description = PORT_DESCRIPTIONS[n - 1] ?? '';
    const adminUp = !SHUTDOWN_PORTS.has(n);
    const linkUp = adminUp && (description !== '' ? rand() < 0.9 || n === 1 : rand() < 0.3);
    const trunk = TRUNK_PORTS.has(n);
    return {
      name: layout.port(n),
      kind: 'ethernet',
      adminUp,
      linkUp: n === 1 ? true : linkUp,
      description,
      mode: trunk ? 'trunk' : 'access',
      accessVlan: trunk ? undefined : (ACCESS_VLANS[n] ?? 1),
      trunkVlans: trunk ? '10 20 30 100' : undefined,
      extra: [],
    };
  };
  const mgmt: LabInterface = {
    name: layout.mgmt.name,
    kind: 'mgmt',
    adminUp: true,
    linkUp: layout.mgmt.address,
    description: layout.mgmt.address ? 'OOB-Management' : '',
    ...(layout.mgmt.address ? { ipv4: { address: `192.168.255.${site}`, mask: '255.255.255.0' } } : {}),
    extra: [],
  };

  if (layout.mgmt.first) interfaces.push(mgmt);
  for (let n = 1; n <= 24; n++) interfaces.push(eth(n));
  for (let n = 1; n <= 4; n++) {
    interfaces.push({
      name: layout.uplink(n),
      kind: 'ethernet',
      adminUp: true,
      linkUp: n === 1,
      description: n === 1 ? 'To-Core-10G' : '',
      mode: n === 1 ? 'trunk' : 'access',
      accessVlan: n === 1 ? undefined : 1,
      trunkVlans: n === 1 ? '10 20 30 100' : undefined,
      extra: [],
    });
  }
  if (!layout.mgmt.first) interfaces.push(mgmt);
  if (layout.nullName) {
    interfaces.push({
      name: layout.nullName,
      kind: 'null',
      adminUp: true,
      linkUp: true,
      description: '',
      extra: [],
    });
  }
  interfaces.push({
    name: layout.loopback,
    kind: 'loopback',
    adminUp: true,
    linkUp: true,
    description: 'Router-ID',
    ipv4: { address: `10.255.255.${site}`, mask: '255.255.255.255' },
    extra: [],
  });
  if (layout.vlan1) {
    interfaces.push({
      name: layout.svi(1),
      kind: 'vlanif',
      adminUp: layout.vlan1.adminUp,
      linkUp: false,
      description: '',
      extra: [],
    });
  }
  for (const [id, label] of [
    [10, '财务网段'],
    [20, 'HR-Segment'],
    [30, '监控网段'],
    [100, 'Mgmt-Segment'],
  ] as const) {
    interfaces.push({
      name: layout.svi(id),
      kind: 'vlanif',
      adminUp: true,
      linkUp: true,
      description: label,
      ipv4: { address: `10.${site}.${id}.1`, mask: '255.255.255.0' },
      extra: [],
    });
  }

  return {
    vendor,
    hostname: name,
    interfaces,
    vlans,
    bootedAt,
    lastChange,
    serial: layout.serial(rand),
    mac: layout.mac(rand),
    site,
    extraConfig: [],
    ...defaultAccounts(vendor, `${vendor}:${name}`),
    activeSessions: 0,
    now,
  };
}

const VRP_CIPHER_ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!%&()*+,-.:;<=>?@[]^_`{|}~';
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * What a platform stores for a secret typed in clear: a reversible cipher text (`cipher`) or a password
 * hash (`hash`), the same for the same seed. VRP: `%^%#…%^%#`, `$1d$…$`; Comware: `$c$3$…==`, `$h$6$…==`.
 * Only the shape is real; the seed (device, user, what was typed) makes it differ per secret.
 */
export function storedSecret(vendor: LabVendor, kind: 'cipher' | 'hash', seed: string): string {
  if (vendor === 'h3c_comware') {
    return kind === 'cipher'
      ? `$c$3$${seededText(seed, 32, BASE64_ALPHABET)}==`
      : `$h$6$${seededText(seed, 86, BASE64_ALPHABET)}==`;
  }
  return kind === 'cipher'
    ? `%^%#${seededText(seed, 32, VRP_CIPHER_ALPHABET)}%^%#`
    : `$1d$${seededText(seed, 22, VRP_CIPHER_ALPHABET)}$`;
}

/**
 * The accounts and community a new device has: seeded by the device it was created as, so renaming it
 * (`sysname`) changes no stored secret, as on a real device.
 */
function defaultAccounts(
  vendor: LabVendor,
  seed: string,
): Pick<LabDeviceModel, 'localUsers' | 'communities'> {
  switch (vendor) {
    case 'huawei_vrp':
      return {
        localUsers: [
          {
            name: 'admin',
            password: `irreversible-cipher ${storedSecret(vendor, 'hash', `${seed}:admin`)}`,
            settings: ['privilege level 15', 'service-type terminal ssh http'],
          },
          {
            name: 'netops',
            password: `irreversible-cipher ${storedSecret(vendor, 'hash', `${seed}:netops`)}`,
            settings: ['privilege level 3', 'service-type ssh'],
          },
        ],
        communities: [{ access: 'read', shown: `cipher ${storedSecret(vendor, 'cipher', `${seed}:snmp`)}` }],
      };
    case 'h3c_comware':
      return {
        localUsers: [
          {
            name: 'admin',
            password: `hash ${storedSecret(vendor, 'hash', `${seed}:admin`)}`,
            settings: ['service-type ssh terminal', 'authorization-attribute user-role network-admin'],
          },
          {
            name: 'netops',
            password: `hash ${storedSecret(vendor, 'hash', `${seed}:netops`)}`,
            settings: ['service-type ssh', 'authorization-attribute user-role network-operator'],
          },
        ],
        communities: [{ access: 'read', shown: `cipher ${storedSecret(vendor, 'cipher', `${seed}:snmp`)}` }],
      };
    default:
      return { localUsers: [], communities: [] };
  }
}

/**
 * A setting of a local account, replacing the one it changes: `privilege level 3` replaces
 * `privilege level 15`, `service-type ssh` replaces `service-type telnet` (the first two words say which).
 */
export function setAccountSetting(user: LabLocalUser, setting: string): void {
  const key = setting
    .split(/\s+/)
    .slice(0, setting.startsWith('privilege') ? 2 : 1)
    .join(' ');
  const at = user.settings.findIndex((s) => s.startsWith(`${key} `) || s === key);
  if (at === -1) user.settings.push(setting);
  else user.settings[at] = setting;
}

/** Records a configuration change now (what `Last configuration was updated` and saves go by). */
export function noteConfigChange(model: LabDeviceModel): void {
  model.lastChange = model.now();
}

/** Interface state as seen by `display`/`show`: 'up', 'down' or 'admin-down'. */
export function interfaceState(i: LabInterface): 'up' | 'down' | 'admin-down' {
  if (!i.adminUp) return 'admin-down';
  return i.linkUp ? 'up' : 'down';
}

interface InterfaceType {
  name: string;
  aliases: readonly string[];
  kind: InterfaceKind;
  /** Can be created by configuring it. */
  creatable: boolean;
}

const VRP_TYPES: readonly InterfaceType[] = [
  { name: 'GigabitEthernet', aliases: ['ge'], kind: 'ethernet', creatable: false },
  { name: 'XGigabitEthernet', aliases: ['xge'], kind: 'ethernet', creatable: false },
  { name: 'MEth', aliases: [], kind: 'mgmt', creatable: false },
  { name: 'NULL', aliases: [], kind: 'null', creatable: false },
  { name: 'Vlanif', aliases: [], kind: 'vlanif', creatable: true },
  { name: 'LoopBack', aliases: [], kind: 'loopback', creatable: true },
  { name: 'Eth-Trunk', aliases: [], kind: 'trunk', creatable: true },
];

const H3C_TYPES: readonly InterfaceType[] = [
  { name: 'GigabitEthernet', aliases: ['ge'], kind: 'ethernet', creatable: false },
  { name: 'Ten-GigabitEthernet', aliases: ['xge'], kind: 'ethernet', creatable: false },
  { name: 'M-GigabitEthernet', aliases: ['m-ge'], kind: 'mgmt', creatable: false },
  { name: 'NULL', aliases: [], kind: 'null', creatable: false },
  { name: 'Vlan-interface', aliases: [], kind: 'vlanif', creatable: true },
  { name: 'LoopBack', aliases: ['loop'], kind: 'loopback', creatable: true },
  { name: 'Bridge-Aggregation', aliases: ['bagg'], kind: 'trunk', creatable: true },
];

/** Junos names are typed in full (`ge-0/0/1`, `irb.10`); the prefix is what precedes the numbers. */
const JUNOS_TYPES: readonly InterfaceType[] = [
  { name: 'ge-', aliases: [], kind: 'ethernet', creatable: false },
  { name: 'xe-', aliases: [], kind: 'ethernet', creatable: false },
  { name: 'me', aliases: [], kind: 'mgmt', creatable: false },
  { name: 'lo', aliases: [], kind: 'loopback', creatable: false },
  { name: 'ae', aliases: [], kind: 'trunk', creatable: true },
];

const IOS_TYPES: readonly InterfaceType[] = [
  { name: 'GigabitEthernet', aliases: [], kind: 'ethernet', creatable: false },
  { name: 'TenGigabitEthernet', aliases: [], kind: 'ethernet', creatable: false },
  { name: 'Vlan', aliases: [], kind: 'vlanif', creatable: true },
  { name: 'Loopback', aliases: [], kind: 'loopback', creatable: true },
  { name: 'Port-channel', aliases: [], kind: 'trunk', creatable: true },
];

const INTERFACE_TYPES: Record<LabVendor, readonly InterfaceType[]> = {
  huawei_vrp: VRP_TYPES,
  cisco_ios: IOS_TYPES,
  h3c_comware: H3C_TYPES,
  juniper_junos: JUNOS_TYPES,
};

/**
 * Resolves what the user typed after `interface` (`g0/0/1`, `GigabitEthernet 0/0/1`, `vlan 10`) to an
 * interface of the model, creating logical interfaces (Vlanif, LoopBack, ...) on demand when `create`.
 */
export function resolveInterface(
  model: LabDeviceModel,
  typed: string,
  create: boolean,
): LabInterface | undefined {
  const m = /^([a-z][a-z-]*)\s*(\d+(?:\/\d+)*(?:\.\d+)?)$/i.exec(typed.trim());
  if (!m) return undefined;
  const prefix = m[1].toLowerCase();
  const types = INTERFACE_TYPES[model.vendor];
  let type = types.find((t) => t.name.toLowerCase() === prefix || t.aliases.includes(prefix));
  if (!type) {
    const matches = types.filter((t) => t.name.toLowerCase().startsWith(prefix));
    if (matches.length !== 1) return undefined;
    type = matches[0];
  }
  const fullName = `${type.name}${m[2]}`;
  const existing = model.interfaces.find((i) => i.name.toLowerCase() === fullName.toLowerCase());
  if (existing || !create || !type.creatable || m[2].includes('/')) return existing;
  const created: LabInterface = {
    name: fullName,
    kind: type.kind,
    adminUp: true,
    linkUp: type.kind !== 'vlanif',
    description: '',
    extra: [],
  };
  model.interfaces.push(created);
  return created;
}

const SHORT_NAMES: Record<LabVendor, readonly [RegExp, string][]> = {
  huawei_vrp: [
    [/^XGigabitEthernet/, 'XGE'],
    [/^GigabitEthernet/, 'GE'],
  ],
  cisco_ios: [
    [/^TenGigabitEthernet/, 'Te'],
    [/^GigabitEthernet/, 'Gi'],
    [/^Vlan/, 'Vl'],
    [/^Loopback/, 'Lo'],
    [/^Port-channel/, 'Po'],
  ],
  h3c_comware: [
    [/^Ten-GigabitEthernet/, 'XGE'],
    [/^M-GigabitEthernet/, 'M-GE'],
    [/^GigabitEthernet/, 'GE'],
    [/^Vlan-interface/, 'Vlan'],
    [/^LoopBack/, 'Loop'],
    [/^Bridge-Aggregation/, 'BAGG'],
  ],
  juniper_junos: [],
};

/** Short interface name: `GE0/0/1` (VRP), `Gi1/0/1` (IOS), `XGE1/0/25` (Comware); Junos names are short. */
export function shortInterfaceName(vendor: LabVendor, name: string): string {
  for (const [re, short] of SHORT_NAMES[vendor]) if (re.test(name)) return name.replace(re, short);
  return name;
}

/** Pads to `width` columns, counting CJK characters as two columns, as terminals show them. */
export function padColumns(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

export function isWideChar(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += isWideChar(ch) ? 2 : 1;
  return w;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * `12 days, 3 hours, 25 minutes` (VRP, weeks `never`), `1 week, 5 days, 3 hours, 25 minutes` (IOS, weeks
 * `when-any`), `0 weeks, 3 days, 2 hours, 33 minutes` (Comware, weeks `always`).
 */
export function formatUptime(ms: number, weeks: 'never' | 'when-any' | 'always'): string {
  let minutes = Math.max(0, Math.floor(ms / 60_000));
  const parts: string[] = [];
  if (weeks !== 'never') {
    const n = Math.floor(minutes / (7 * 1440));
    minutes -= n * 7 * 1440;
    if (n > 0 || weeks === 'always') parts.push(plural(n, 'week'));
  }
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  parts.push(plural(days, 'day'), plural(hours, 'hour'), plural(minutes, 'minute'));
  return parts.join(', ');
}

const TZ_OFFSET_MS = 8 * 3600_000;
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** Wall-clock parts in the devices' time zone (UTC+8, as configured in their configurations). */
export function localParts(d: Date): {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  wd: number;
} {
  const t = new Date(d.getTime() + TZ_OFFSET_MS);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth(),
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
    ms: t.getUTCMilliseconds(),
    wd: t.getUTCDay(),
  };
}

/** `2025-11-24 14:19:00+08:00` */
export function vrpDateTime(d: Date): string {
  const p = localParts(d);
  return `${p.y}-${two(p.mo + 1)}-${two(p.d)} ${two(p.h)}:${two(p.mi)}:${two(p.s)}+08:00`;
}

export function vrpDayName(d: Date): string {
  return DAY_NAMES[localParts(d).wd];
}

/** `14:19:00.123 CST Mon Nov 24 2025` */
export function iosDateTime(d: Date): string {
  const p = localParts(d);
  return `${two(p.h)}:${two(p.mi)}:${two(p.s)}.${String(p.ms).padStart(3, '0')} CST ${DAY_NAMES[p.wd].slice(0, 3)} ${MONTHS[p.mo]} ${p.d} ${p.y}`;
}

/** `Nov 24 2025 14:19:00` (VRP log time stamp) */
export function vrpLogTime(d: Date): string {
  const p = localParts(d);
  return `${MONTHS[p.mo]} ${p.d} ${p.y} ${two(p.h)}:${two(p.mi)}:${two(p.s)}`;
}

/** `Nov 24 14:19:00.123` (IOS log time stamp) */
export function iosLogTime(d: Date): string {
  const p = localParts(d);
  return `${MONTHS[p.mo]} ${p.d} ${two(p.h)}:${two(p.mi)}:${two(p.s)}.${String(p.ms).padStart(3, '0')}`;
}

/** `255.255.255.0` → 24 */
export function maskToPrefix(mask: string): number {
  return mask
    .split('.')
    .map((o) => Number(o).toString(2).split('1').length - 1)
    .reduce((a, b) => a + b, 0);
}

/** `255.255.255.0` → `0.0.0.255` */
export function wildcardOf(mask: string): string {
  return mask
    .split('.')
    .map((o) => String(255 - Number(o)))
    .join('.');
}

/** `10.1.10.1` + `255.255.255.0` → `10.1.10.0` */
export function networkOf(address: string, mask: string): string {
  const a = address.split('.').map(Number);
  const m = mask.split('.').map(Number);
  return a.map((o, i) => o & m[i]).join('.');
}

export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** Constant-time string comparison (both sides hashed first, so lengths do not leak either). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
