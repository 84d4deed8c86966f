import { decodeRecordingCursor } from '@/lib/api/schemas-recordings';
import { RECORDING_STATES, type RecordingFilters, type RecordingPageKey } from '@/lib/recordings/service';
import type { RecordingState } from '@/lib/recordings/recorder';

/** Recordings on one page of the list. */
export const RECORDINGS_PAGE_SIZE = 50;

/** What the filter form shows back (the URL's own strings). */
export interface RecordingSearchValues {
  device: string;
  user: string;
  command: string;
  from: string;
  to: string;
  state: RecordingState | '';
}

export type RecordingSearchParams = Record<string, string | string[] | undefined>;

// a day, or a moment with an optional offset (a form submitted before hydration sends local time
// without one: read as UTC rather than refused)
const MOMENT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function one(sp: RecordingSearchParams, key: string, max: number): string {
  const v = sp[key];
  const s = (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
  return s.slice(0, max);
}

function moment(s: string): Date | null {
  if (!MOMENT.test(s)) return null;
  const withZone = /T/.test(s) && !/(Z|[+-]\d{2}:\d{2})$/.test(s) ? `${s}Z` : s;
  const t = Date.parse(withZone);
  return Number.isFinite(t) ? new Date(t) : null;
}

/**
 * The list page's search from its URL, leniently: a field that cannot be read is left out and
 * named in `ignored` (the page says so) instead of failing the page. Only admins filter by user.
 */
export function readRecordingSearch(
  sp: RecordingSearchParams,
  admin: boolean,
): {
  filters: RecordingFilters;
  values: RecordingSearchValues;
  after: RecordingPageKey | undefined;
  ignored: ('from' | 'to' | 'state' | 'cursor')[];
} {
  const values: RecordingSearchValues = {
    device: one(sp, 'device', 128),
    user: admin ? one(sp, 'user', 128) : '',
    command: one(sp, 'command', 200),
    from: one(sp, 'from', 40),
    to: one(sp, 'to', 40),
    state: '',
  };
  const ignored: ('from' | 'to' | 'state' | 'cursor')[] = [];
  const filters: RecordingFilters = {};
  if (values.device) filters.device = values.device;
  if (values.user) filters.user = values.user;
  if (values.command) filters.command = values.command;
  const from = values.from ? moment(values.from) : null;
  const to = values.to ? moment(values.to) : null;
  if (values.from && !from) ignored.push('from');
  if (values.to && (!to || (from && to <= from))) ignored.push('to');
  if (from) filters.from = from;
  if (to && !ignored.includes('to')) filters.to = to;
  const state = one(sp, 'state', 20);
  if ((RECORDING_STATES as readonly string[]).includes(state)) {
    values.state = state as RecordingState;
    filters.state = values.state;
  } else if (state) ignored.push('state');
  let after: RecordingPageKey | undefined;
  const cursor = one(sp, 'cursor', 512);
  if (cursor) {
    try {
      after = decodeRecordingCursor(cursor);
    } catch {
      ignored.push('cursor');
    }
  }
  return { filters, values, after, ignored };
}

/** `/recordings?…` for these values (empty ones left out), optionally at a page. */
export function recordingsHref(values: Partial<RecordingSearchValues>, cursor?: string): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) q.set(k, v);
  if (cursor) q.set('cursor', cursor);
  const s = q.toString();
  return s ? `/recordings?${s}` : '/recordings';
}
