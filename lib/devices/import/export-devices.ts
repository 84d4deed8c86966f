import 'server-only';
import type { PrismaClient } from '../../db/client';
import { csvCell } from '../../tasks/service';
import { visibleDevicesWhere } from '../visibility';
import type { Role } from '../../auth/roles';
import { FIELD_COLUMN_PREFIX, readDeviceFields } from '../fields';
import { IMPORT_COLUMNS, IMPORT_TEMPLATE_ROWS, SECRET_COLUMNS, TEMPLATE_FIELD_COLUMNS } from './columns';

/**
 * The inventory as CSV, in the import's columns (so the file re-imports unchanged): the devices the
 * user sees, by name, secrets left empty, every cell quoted and formula-neutralised (csvCell).
 */

/** Devices read per query while streaming. */
const EXPORT_PAGE = 500;

/** The header with a `field.<key>` column for each custom field key (none: the plain header). */
export function inventoryCsvHeader(fieldKeys: readonly string[] = []): string {
  return (
    [...IMPORT_COLUMNS, ...fieldKeys.map((k) => FIELD_COLUMN_PREFIX + k)].map(csvCell).join(',') + '\r\n'
  );
}

const SECRET = new Set<string>(SECRET_COLUMNS);

type ExportDevice = {
  name: string;
  host: string;
  port: number;
  vendor: string;
  encoding: string;
  username: string;
  notes: string;
  transport: string;
  kind: string;
  sshAlgorithms: string;
  maxSessions: number | null;
  jumpHost: { name: string } | null;
  groups: { group: { name: string } }[];
  fields: string;
};

export function inventoryCsvLine(d: ExportDevice, fieldKeys: readonly string[] = []): string {
  const values: Record<(typeof IMPORT_COLUMNS)[number], unknown> = {
    name: d.name,
    host: d.host,
    port: d.port,
    vendor: d.vendor,
    encoding: d.encoding,
    username: d.username,
    password: '',
    private_key: '',
    enable_secret: '',
    groups: d.groups
      .map((g) => g.group.name)
      .sort()
      .join(';'),
    notes: d.notes,
    transport: d.transport,
    kind: d.kind,
    ssh_algorithms: d.sshAlgorithms,
    jump_host: d.jumpHost?.name ?? '',
    max_sessions: d.maxSessions ?? '',
  };
  const fields = readDeviceFields(d.fields);
  return (
    [
      ...IMPORT_COLUMNS.map((c) => csvCell(SECRET.has(c) ? '' : values[c])),
      ...fieldKeys.map((k) => csvCell(fields[k] ?? '')),
    ].join(',') + '\r\n'
  );
}

/** The import template: the header and two example devices. */
export function importTemplateCsv(): string {
  const keys = Object.keys(TEMPLATE_FIELD_COLUMNS);
  return (
    inventoryCsvHeader(keys) +
    IMPORT_TEMPLATE_ROWS.map(
      (r, i) =>
        [
          ...IMPORT_COLUMNS.map((c) => csvCell(r[c])),
          ...keys.map((k) => csvCell(TEMPLATE_FIELD_COLUMNS[k]![i] ?? '')),
        ].join(',') + '\r\n',
    ).join('')
  );
}

/** A stream of the CSV, a page of devices at a time (keyset on name), however large the inventory. */
export function exportInventoryCsv(
  user: { id: string; role: Role },
  deps: { db: PrismaClient },
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let after: string | null = null;
  let fieldKeys: string[] | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (fieldKeys === null) {
        // a column for every custom field key the exported devices use, so the file re-imports them
        fieldKeys = await usedFieldKeys(user, deps.db);
        controller.enqueue(enc.encode(inventoryCsvHeader(fieldKeys)));
      }
      const rows: ExportDevice[] = await deps.db.device.findMany({
        where: { AND: [visibleDevicesWhere(user), ...(after !== null ? [{ name: { gt: after } }] : [])] },
        select: {
          name: true,
          host: true,
          port: true,
          vendor: true,
          encoding: true,
          username: true,
          notes: true,
          transport: true,
          kind: true,
          sshAlgorithms: true,
          maxSessions: true,
          jumpHost: { select: { name: true } },
          groups: { select: { group: { select: { name: true } } } },
          fields: true,
        },
        orderBy: { name: 'asc' },
        take: EXPORT_PAGE,
      });
      if (rows.length > 0) {
        controller.enqueue(enc.encode(rows.map((r) => inventoryCsvLine(r, fieldKeys!)).join('')));
        after = rows.at(-1)!.name;
      }
      if (rows.length < EXPORT_PAGE) controller.close();
    },
  });
}

/** The custom field keys of the devices the user sees, sorted (only devices with fields are read). */
async function usedFieldKeys(user: { id: string; role: Role }, db: PrismaClient): Promise<string[]> {
  const keys = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const rows: { name: string; fields: string }[] = await db.device.findMany({
      where: {
        AND: [
          visibleDevicesWhere(user),
          { NOT: { fields: '{}' } },
          ...(after !== null ? [{ name: { gt: after } }] : []),
        ],
      },
      select: { name: true, fields: true },
      orderBy: { name: 'asc' },
      take: EXPORT_PAGE,
    });
    for (const r of rows) for (const k of Object.keys(readDeviceFields(r.fields))) keys.add(k);
    if (rows.length < EXPORT_PAGE) return [...keys].sort();
    after = rows.at(-1)!.name;
  }
}

/** The download's file name: switchboard-devices-YYYY-MM-DD.csv. */
export function exportFileName(now = new Date()): string {
  return `switchboard-devices-${now.toISOString().slice(0, 10)}.csv`;
}
