import { VENDORS } from './schema';
import { DEVICE_STATUSES } from './status';

/**
 * The device list's query as it lives in the URL (`/devices?q=…&sort=status&page=3`), parsed into a
 * validated value: anything unknown or out of range falls back to its default, so a hand-edited or
 * stale link still shows a list. Pure and browser-safe: the page, the table's links and the tests use
 * the same functions.
 */
export const DEVICE_PAGE_SIZES = [25, 50, 100, 200] as const;
export type DevicePageSize = (typeof DEVICE_PAGE_SIZES)[number];
export const DEVICE_PAGE_SIZE_DEFAULT: DevicePageSize = 50;
/** Pages beyond this are not a list anyone pages through (5,000 devices at 25 are 200 pages). */
export const DEVICE_PAGE_MAX = 10_000;
export const DEVICE_SEARCH_MAX_CHARS = 100;

/** Sortable columns; `changed` is the time of the last status change. */
export const DEVICE_SORT_COLUMNS = ['name', 'host', 'vendor', 'status', 'changed', 'transport'] as const;
export type DeviceSortColumn = (typeof DEVICE_SORT_COLUMNS)[number];
export type SortDir = 'asc' | 'desc';

/**
 * Most devices one selection holds ("select all N matching" stops here). The ids of a selection go to
 * /tasks/new in the URL; 200 UUIDs are 7.4 KB, well inside the server's 16 KiB header limit.
 */
export const BULK_SELECT_MAX = 200;
/** Most terminal tabs one bulk "Open terminals" opens. */
export const BULK_TERMINALS_MAX = 10;
/** Most matches the quick-connect palette shows. */
export const PALETTE_MAX_RESULTS = 20;

export interface DeviceListQuery {
  q: string;
  vendor: string | null;
  status: string | null;
  /** A group id. */
  group: string | null;
  sort: DeviceSortColumn;
  dir: SortDir;
  page: number;
  pageSize: DevicePageSize;
}

export const DEFAULT_DEVICE_LIST_QUERY: DeviceListQuery = {
  q: '',
  vendor: null,
  status: null,
  group: null,
  sort: 'name',
  dir: 'asc',
  page: 1,
  pageSize: DEVICE_PAGE_SIZE_DEFAULT,
};

type RawParams = Record<string, string | string[] | undefined> | URLSearchParams;

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

function first(params: RawParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const v = params[key];
  return (Array.isArray(v) ? v[0] : v) ?? undefined;
}

function oneOf<T extends string>(list: readonly T[], v: string | undefined): T | null {
  return v !== undefined && (list as readonly string[]).includes(v) ? (v as T) : null;
}

/** A positive integer written plainly (`3`, not `3.5`, `1e3` or `03abc`), or null. */
function positiveInt(v: string | undefined): number | null {
  if (v === undefined || !/^\d{1,9}$/.test(v)) return null;
  const n = Number(v);
  return n >= 1 ? n : null;
}

export function parseDeviceListParams(params: RawParams): DeviceListQuery {
  const d = DEFAULT_DEVICE_LIST_QUERY;
  const page = positiveInt(first(params, 'page'));
  const size = positiveInt(first(params, 'size'));
  const group = first(params, 'group')?.trim();
  return {
    q: (first(params, 'q') ?? '').trim().slice(0, DEVICE_SEARCH_MAX_CHARS),
    vendor: oneOf(VENDORS, first(params, 'vendor')),
    status: oneOf(DEVICE_STATUSES, first(params, 'status')),
    group: group && ID_RE.test(group) ? group : null,
    sort: oneOf(DEVICE_SORT_COLUMNS, first(params, 'sort')) ?? d.sort,
    dir: first(params, 'dir') === 'desc' ? 'desc' : 'asc',
    page: page !== null && page <= DEVICE_PAGE_MAX ? page : d.page,
    pageSize:
      size !== null && (DEVICE_PAGE_SIZES as readonly number[]).includes(size)
        ? (size as DevicePageSize)
        : d.pageSize,
  };
}

/** The URL of a list query, naming only what differs from the defaults (short, shareable links). */
export function deviceListHref(query: Partial<DeviceListQuery>, base = '/devices'): string {
  const q = { ...DEFAULT_DEVICE_LIST_QUERY, ...query };
  const d = DEFAULT_DEVICE_LIST_QUERY;
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  if (q.vendor) p.set('vendor', q.vendor);
  if (q.status) p.set('status', q.status);
  if (q.group) p.set('group', q.group);
  if (q.sort !== d.sort) p.set('sort', q.sort);
  if (q.dir !== d.dir) p.set('dir', q.dir);
  if (q.pageSize !== d.pageSize) p.set('size', String(q.pageSize));
  if (q.page !== d.page) p.set('page', String(q.page));
  const s = p.toString();
  return s ? `${base}?${s}` : base;
}

/** Whether any filter or search narrows the list (the "Clear" link and the empty-state text). */
export function isFiltered(q: DeviceListQuery): boolean {
  return Boolean(q.q || q.vendor || q.status || q.group);
}

/** The last page that has rows (1 for an empty list). */
export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** Ids from a `?devices=a,b,c` parameter: valid ids only, each once, at most `max`. */
export function parseIdList(raw: string | string[] | undefined | null, max: number): string[] {
  const s = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  const out: string[] = [];
  for (const part of s.split(',')) {
    const id = part.trim();
    if (ID_RE.test(id) && !out.includes(id)) out.push(id);
    if (out.length >= max) break;
  }
  return out;
}
