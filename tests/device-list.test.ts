/**
 * The Devices page's query at 5,000 devices: pages, sorts, filters, search (group names too), what a
 * viewer and an operator see and may operate, and the number of SQL statements a page costs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../lib/db/client';
import { listDevicePage, paletteSearch } from '../lib/devices/device-list';
import { DEFAULT_DEVICE_LIST_QUERY, type DeviceListQuery } from '../lib/devices/device-list-params';
import { fleetName, roleOf, seedFleet, type Fleet } from './fixtures/device-fleet';
import { startPortal, type Portal } from './harness';

const N = 5000;
let portal: Portal;
let fleet: Fleet;
/** A second client on the same database that reports every SQL statement it sends. */
let counted: PrismaClient;
let statements: string[] = [];

const admin = () => ({ id: portal.users.admin, role: 'admin' as const });
const operator = () => ({ id: portal.users.operator, role: 'operator' as const });
const viewer = () => ({ id: portal.users.viewer, role: 'viewer' as const });
const q = (over: Partial<DeviceListQuery> = {}): DeviceListQuery => ({
  ...DEFAULT_DEVICE_LIST_QUERY,
  ...over,
});

beforeAll(async () => {
  portal = await startPortal({ lab: [] });
  fleet = await seedFleet(portal.db, N, {
    opUserId: portal.users.operator,
    viewerUserId: portal.users.viewer,
  });
  counted = createPrismaClient(portal.url, { log: [{ emit: 'event', level: 'query' }] });
  // the services take the plain client type (no log events in it)
  (counted as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) =>
    statements.push(e.query),
  );
}, 120_000);

afterAll(async () => {
  await counted?.$disconnect();
  await portal?.close();
});

describe('listDevicePage at 5,000 devices', () => {
  it('pages by name: 50 rows, the total, the next page continues, a page past the end shows the last', async () => {
    const p1 = await listDevicePage(admin(), q(), portal.db);
    expect(p1.total).toBe(N);
    expect(p1.rows).toHaveLength(50);
    const sorted = [...fleet.names].sort();
    expect(p1.rows.map((r) => r.name)).toEqual(sorted.slice(0, 50));
    const p2 = await listDevicePage(admin(), q({ page: 2 }), portal.db);
    expect(p2.rows.map((r) => r.name)).toEqual(sorted.slice(50, 100));
    const big = await listDevicePage(admin(), q({ page: 9999, pageSize: 200 }), portal.db);
    expect(big.page).toBe(25);
    expect(big.rows.map((r) => r.name)).toEqual(sorted.slice(4800));
    // no credentials in a row
    expect(Object.keys(p1.rows[0]!)).not.toContain('secretEnc');
  });

  it('sorts by status then name, descending too, with a stable order across pages', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const p = await listDevicePage(admin(), q({ sort: 'status', pageSize: 200, page }), portal.db);
      seen.push(...p.rows.map((r) => `${r.status} ${r.name}`));
    }
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(600);
    expect(seen[0]!.startsWith('error ')).toBe(true);
    const desc = await listDevicePage(admin(), q({ sort: 'host', dir: 'desc' }), portal.db);
    const hosts = desc.rows.map((r) => r.host);
    expect(hosts).toEqual([...hosts].sort().reverse());
    // last change: devices never probed come last both ways
    const changed = await listDevicePage(admin(), q({ sort: 'changed', dir: 'desc', page: 100 }), portal.db);
    expect(changed.rows.at(-1)!.statusChangedAt).toBeNull();
    const first = await listDevicePage(admin(), q({ sort: 'changed' }), portal.db);
    expect(first.rows[0]!.statusChangedAt).not.toBeNull();
  });

  it('filters by group, vendor and status together, and shows each row’s group chips', async () => {
    const core = fleet.groups['role:core']!;
    const p = await listDevicePage(admin(), q({ group: core, pageSize: 200 }), portal.db);
    expect(p.total).toBe(100);
    for (const r of p.rows) expect(r.groups.map((g) => g.name)).toContain('role:core');
    expect(p.rows[0]!.groups.map((g) => g.name)).toEqual(['role:core', 'site:dc3']);
    const narrow = await listDevicePage(
      admin(),
      q({ group: core, vendor: 'juniper_junos', status: 'online' }),
      portal.db,
    );
    const expected = fleet.names.filter(
      (_, i) => roleOf(i) === 'core' && i % 4 === 3 && [0, 1, 2, 6].includes(i % 7),
    );
    expect(narrow.total).toBe(expected.length);
    expect(narrow.rows.map((r) => r.name)).toEqual(expected.sort());
  });

  it('searches name, host, notes and group names', async () => {
    const byName = await listDevicePage(admin(), q({ q: 'ios-1', pageSize: 200 }), portal.db);
    expect(byName.total).toBe(fleet.names.filter((n) => n.includes('ios-1')).length);
    expect(byName.rows.every((r) => r.name.includes('ios-1'))).toBe(true);
    const byHost = await listDevicePage(admin(), q({ q: '10.0.19.7' }), portal.db);
    expect(byHost.rows.map((r) => r.host)).toEqual(expect.arrayContaining(['10.0.19.7']));
    const byNotes = await listDevicePage(admin(), q({ q: 'rack a12' }), portal.db);
    expect(byNotes.total).toBeGreaterThan(0);
    expect(byNotes.rows.every((r) => r.notes.toLowerCase() === 'rack a12')).toBe(true);
    const byGroup = await listDevicePage(admin(), q({ q: 'role:co' }), portal.db);
    expect(byGroup.total).toBe(100);
  });

  it('a viewer sees only granted devices and operates none; an operator operates only what an operate grant gives', async () => {
    const v = await listDevicePage(viewer(), q({ pageSize: 200 }), portal.db);
    expect(v.total).toBe(102); // 3 device grants + 100 in role:core, one of them also granted directly
    expect(v.rows.map((r) => r.name)).toContain(fleetName(1));
    expect(v.rows.some((r) => r.canOperate)).toBe(false);
    expect((await listDevicePage(viewer(), q({ q: fleetName(10) }), portal.db)).total).toBe(0);

    const o = await listDevicePage(operator(), q({ pageSize: 200 }), portal.db);
    expect(o.total).toBe(2100); // site:dc0 (operate) + site:dc1 (team, view) + role:core (view)
    for (const r of o.rows) {
      const i = fleet.ids.indexOf(r.id);
      expect(r.canOperate, r.name).toBe(i % 5 === 0);
    }
    const a = await listDevicePage(admin(), q(), portal.db);
    expect(a.rows.every((r) => r.canOperate)).toBe(true);
  });

  it('a page costs at most 4 SQL statements, whoever asks and whatever the query', async () => {
    const cases: [
      string,
      () => { id: string; role: 'admin' | 'operator' | 'viewer' },
      Partial<DeviceListQuery>,
    ][] = [
      ['admin, first page', admin, {}],
      ['operator, first page', operator, {}],
      ['operator, search and group', operator, { q: 'ios-1', group: fleet.groups['site:dc0']! }],
      ['viewer, sort by status', viewer, { sort: 'status', dir: 'desc' }],
      ['operator, 200 rows sorted by last change', operator, { sort: 'changed', pageSize: 200, page: 3 }],
    ];
    for (const [label, who, over] of cases) {
      statements = [];
      const p = await listDevicePage(who(), q(over), counted);
      expect(p.rows.length, label).toBeGreaterThan(0);
      expect(statements.length, `${label}:\n${statements.join('\n')}`).toBeLessThanOrEqual(4);
    }
  });

  it('the palette finds by name, host or group, at most 20, names starting with the text first', async () => {
    const m = await paletteSearch(admin(), 'ios-03', portal.db);
    expect(m.length).toBeGreaterThan(0);
    expect(m.length).toBeLessThanOrEqual(20);
    expect(m.every((d) => d.name.includes('ios-03'))).toBe(true);
    expect(await paletteSearch(viewer(), fleetName(10), portal.db)).toEqual([]);
    const og = await paletteSearch(operator(), 'site:dc1', portal.db);
    expect(og).toHaveLength(20);
    expect(og.every((d) => !d.canOperate)).toBe(true);
    statements = [];
    await paletteSearch(operator(), 'sw-', counted);
    expect(statements.length).toBeLessThanOrEqual(2);
  });
});
