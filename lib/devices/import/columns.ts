/**
 * The inventory CSV's columns, limits and template: shared by the parser, the export, the API
 * description and the import page (browser-safe: no server imports).
 */

/** Rows one import may hold; a larger file is refused whole. */
export const IMPORT_MAX_ROWS = 10_000;
/** Bytes one import may hold (CSV text or JSON body); a larger one is refused whole. */
export const IMPORT_MAX_BYTES = 16 * 1024 * 1024;
/** What the import page sends to its Server Action (`bodySizeLimit` in next.config.mjs allows it). */
export const IMPORT_PAGE_MAX_BYTES = IMPORT_MAX_BYTES;

/** The columns, in the order the export and the template write them. */
export const IMPORT_COLUMNS = [
  'name',
  'host',
  'port',
  'vendor',
  'encoding',
  'username',
  'password',
  'private_key',
  'enable_secret',
  'groups',
  'notes',
  'transport',
  'kind',
  'ssh_algorithms',
  'jump_host',
  'max_sessions',
] as const;

/** Read but never written: only for an encrypted private key. */
export const EXTRA_IMPORT_COLUMNS = ['passphrase'] as const;

export type ImportColumn = (typeof IMPORT_COLUMNS)[number] | (typeof EXTRA_IMPORT_COLUMNS)[number];

export const ALL_IMPORT_COLUMNS: readonly ImportColumn[] = [...IMPORT_COLUMNS, ...EXTRA_IMPORT_COLUMNS];

/** Write-only: the export leaves them empty, and an empty cell keeps the stored one. */
export const SECRET_COLUMNS = ['password', 'private_key', 'passphrase', 'enable_secret'] as const;

/** `vendor` value that keeps a device's stored vendor (new devices: generic until detected). */
export const VENDOR_AUTO = 'auto';

/** Separators inside a `groups` cell. */
export const GROUP_SEPARATORS = /[;|]/;

export const COLUMN_DOCS: { column: ImportColumn; meaning: string }[] = [
  { column: 'name', meaning: 'Required. The device name; rows update the device with this name or add it.' },
  { column: 'host', meaning: 'Required. Hostname or IP address.' },
  { column: 'port', meaning: 'TCP port, 1–65535 (empty: 22 for a new device, the stored port otherwise).' },
  {
    column: 'vendor',
    meaning:
      'huawei_vrp, cisco_ios, h3c_comware, cisco_nxos, arista_eos, juniper_junos, ruijie_os, generic, or auto (keep the stored vendor; a new device gets generic until Detect vendor on its page sets it).',
  },
  { column: 'encoding', meaning: 'utf-8, gbk, gb18030, big5 or shift_jis (empty: utf-8 / the stored one).' },
  { column: 'username', meaning: 'Login user (empty only for a console line over telnet).' },
  {
    column: 'password',
    meaning:
      'Write-only. Empty keeps the stored password, but only while host, port, username, transport and jump host stay the same. A new device needs a password or a private key.',
  },
  {
    column: 'private_key',
    meaning:
      'Write-only. A PEM or OpenSSH private key (quote the cell: it spans lines). Same rule as password.',
  },
  { column: 'enable_secret', meaning: 'Write-only. Cisco enable secret; empty keeps the stored one.' },
  {
    column: 'groups',
    meaning:
      'Group names separated by ; or |. A filled cell sets exactly these groups (missing groups are created); an empty cell changes nothing. Only an admin can create a group.',
  },
  { column: 'notes', meaning: 'Free text. A cell starting with = + - @ is kept as text.' },
  { column: 'transport', meaning: 'ssh or telnet (empty: ssh / the stored one).' },
  { column: 'kind', meaning: 'device or console_line (empty: device / the stored one).' },
  {
    column: 'ssh_algorithms',
    meaning: 'modern, legacy or a custom JSON list (empty: modern / the stored one).',
  },
  {
    column: 'jump_host',
    meaning: 'Name of an SSH device to go through (in the inventory or earlier in this file); empty: direct.',
  },
  { column: 'max_sessions', meaning: 'Concurrent sessions from the portal, 1–1000; empty: the default.' },
  {
    column: 'passphrase',
    meaning: 'Optional column, write-only: the passphrase of an encrypted private key.',
  },
];

/**
 * Custom fields: a column `field.<key>` (e.g. `field.site`) sets that field of each row's device,
 * what templates fill in as `{{field.<key>}}`; an empty cell removes it; fields without a column stay.
 */
export const FIELD_COLUMN_DOC = {
  column: 'field.<key>',
  meaning:
    'Optional, any number up to 32: a custom field of the device, e.g. field.site or field.rack (templates use {{field.site}}). Key: a lowercase letter, then lowercase letters, digits or _. An empty cell removes the field; fields without a column stay as they are.',
};

/** The template's custom field columns: key → the value of each example row. */
export const TEMPLATE_FIELD_COLUMNS: Record<string, string[]> = {
  site: ['dc1', 'dc1'],
  rack: ['A1', 'B4'],
};

/** A downloadable starting point: the header and one device of each common vendor. */
export const IMPORT_TEMPLATE_ROWS: Record<(typeof IMPORT_COLUMNS)[number], string>[] = [
  {
    name: 'core-sw-01',
    host: '192.0.2.10',
    port: '22',
    vendor: 'huawei_vrp',
    encoding: 'utf-8',
    username: 'netops',
    password: 'replace-me',
    private_key: '',
    enable_secret: '',
    groups: 'site:dc1;role:core',
    notes: 'Core switch, rack A1',
    transport: 'ssh',
    kind: 'device',
    ssh_algorithms: 'modern',
    jump_host: '',
    max_sessions: '',
  },
  {
    name: 'edge-rtr-01',
    host: 'edge-rtr-01.example.net',
    port: '22',
    vendor: 'cisco_ios',
    encoding: 'utf-8',
    username: 'netops',
    password: 'replace-me',
    private_key: '',
    enable_secret: 'replace-me-too',
    groups: 'site:dc1;role:edge',
    notes: 'Edge router',
    transport: 'ssh',
    kind: 'device',
    ssh_algorithms: 'legacy',
    jump_host: '',
    max_sessions: '5',
  },
];
