import type { Readable } from 'node:stream';
import type { Role } from '../auth/roles';
import { canSeeAllRecordings } from '../auth/session-permissions';
import type { PrismaClient } from '../db/client';
import { containsText } from '../db/dialect';
import type { Prisma } from '../db/generated/client';
import type { RecordingState } from './recorder';
import type { RecordingStore } from './store';

/**
 * Finding and reading session recordings, with one access rule: a user sees the recordings of their
 * own sessions; admins and the members of a team with the `recordings` permission see all
 * (canSeeAllRecordings). What the actor may not see is "not found", so ids do not leak.
 */

/** Every `Recording.state`, in the order a reader would list them (the type lives with the recorder). */
export const RECORDING_STATES = [
  'recording',
  'complete',
  'capped',
  'failed',
  'interrupted',
] as const satisfies readonly RecordingState[];
// a state added to the recorder and not listed here fails to compile
type Never<T extends never> = T;
export type UnlistedRecordingStates = Never<Exclude<RecordingState, (typeof RECORDING_STATES)[number]>>;

/** The command lines a search by command shows per recording (the rest are on its page). */
export const RECORDING_MATCHES_SHOWN = 5;
/** At most this many device (and user) names are suggested in the search form. */
export const RECORDING_FACETS_MAX = 500;
/** How far a `terminal.close` audit entry's session start may be from its recording's start. */
const AUDIT_MATCH_WINDOW_MS = 5_000;

export interface RecordingActor {
  id: string;
  role: Role;
}

export interface RecordingFilters {
  /** A device id, or its name (now, or when the session was recorded). */
  device?: string;
  /** A user id, or a username (now, or when the session was recorded). */
  user?: string;
  /** Part of a command line typed in the session (case-insensitive). */
  command?: string;
  /** Sessions that started at or after this moment. */
  from?: Date;
  /** Sessions that started before this moment. */
  to?: Date;
  state?: RecordingState;
}

/** Where a page of recordings ends (the list is newest first: start time, then id). */
export interface RecordingPageKey {
  startedAt: Date;
  id: string;
}

export interface RecordingCommandLine {
  offsetMs: number;
  command: string;
}

export interface RecordingSummary {
  id: string;
  sessionId: string;
  userId: string;
  username: string;
  deviceId: string;
  deviceName: string;
  nodeId: string;
  startedAt: Date;
  endedAt: Date | null;
  durationMs: number;
  bytes: number;
  storedBytes: number;
  commandCount: number;
  state: RecordingState;
  note: string;
  /** With a command filter: the matching lines (at most RECORDING_MATCHES_SHOWN); otherwise empty. */
  matches: RecordingCommandLine[];
}

export interface RecordingDetail extends Omit<RecordingSummary, 'matches'> {
  /** Every command line the recording marks, in order. */
  commands: RecordingCommandLine[];
}

type Deps = { db: PrismaClient };

const SUMMARY_SELECT = {
  id: true,
  sessionId: true,
  userId: true,
  username: true,
  deviceId: true,
  deviceName: true,
  nodeId: true,
  startedAt: true,
  endedAt: true,
  durationMs: true,
  bytes: true,
  storedBytes: true,
  commandCount: true,
  state: true,
  note: true,
} satisfies Prisma.RecordingSelect;

type SummaryRow = Prisma.RecordingGetPayload<{ select: typeof SUMMARY_SELECT }>;

function isRecordingState(s: string): s is RecordingState {
  return (RECORDING_STATES as readonly string[]).includes(s);
}

function rowOf(row: SummaryRow): Omit<RecordingSummary, 'matches'> {
  // a state this code does not know (a newer node wrote it) reads as interrupted: incomplete
  return { ...row, state: isRecordingState(row.state) ? row.state : 'interrupted' };
}

/** What the actor may see: their own recordings, or all (admins, teams with the `recordings` permission). */
export async function visibleRecordingsWhere(
  actor: RecordingActor,
  { db }: Deps,
): Promise<Prisma.RecordingWhereInput> {
  return (await canSeeAllRecordings(db, actor)) ? {} : { userId: actor.id };
}

/**
 * The filters as one condition. A device or user given by name also finds recordings made under an
 * earlier name (the index keeps the name at the time) when the name is the current one's.
 */
async function filtersWhere(f: RecordingFilters, { db }: Deps): Promise<Prisma.RecordingWhereInput[]> {
  const and: Prisma.RecordingWhereInput[] = [];
  const [deviceNow, userNow] = await Promise.all([
    f.device ? db.device.findUnique({ where: { name: f.device }, select: { id: true } }) : null,
    f.user ? db.user.findUnique({ where: { username: f.user }, select: { id: true } }) : null,
  ]);
  if (f.device)
    and.push({
      OR: [
        { deviceId: f.device },
        { deviceName: f.device },
        ...(deviceNow ? [{ deviceId: deviceNow.id }] : []),
      ],
    });
  if (f.user)
    and.push({
      OR: [{ userId: f.user }, { username: f.user }, ...(userNow ? [{ userId: userNow.id }] : [])],
    });
  if (f.command) and.push({ commands: { some: { command: containsText(db, f.command) } } });
  if (f.from) and.push({ startedAt: { gte: f.from } });
  if (f.to) and.push({ startedAt: { lt: f.to } });
  if (f.state) and.push({ state: f.state });
  return and;
}

/**
 * A page of the recordings the actor may see that match the filters, newest first (keyset on start
 * time and id: a page never skips or repeats a row while sessions are recorded meanwhile).
 */
export async function listRecordings(
  actor: RecordingActor,
  filters: RecordingFilters,
  page: { limit: number; after?: RecordingPageKey },
  deps: Deps,
): Promise<{ items: RecordingSummary[]; next: RecordingPageKey | null }> {
  const [visible, filtered] = await Promise.all([
    visibleRecordingsWhere(actor, deps),
    filtersWhere(filters, deps),
  ]);
  const and = [visible, ...filtered];
  if (page.after) {
    const { startedAt, id } = page.after;
    and.push({ OR: [{ startedAt: { lt: startedAt } }, { startedAt, id: { lt: id } }] });
  }
  const where: Prisma.RecordingWhereInput = { AND: and };
  const orderBy: Prisma.RecordingOrderByWithRelationInput[] = [{ startedAt: 'desc' }, { id: 'desc' }];
  const take = page.limit + 1;
  let rows: (SummaryRow & { commands?: RecordingCommandLine[] })[];
  if (filters.command) {
    rows = await deps.db.recording.findMany({
      where,
      orderBy,
      take,
      select: {
        ...SUMMARY_SELECT,
        commands: {
          where: { command: containsText(deps.db, filters.command) },
          orderBy: [{ offsetMs: 'asc' }, { id: 'asc' }],
          take: RECORDING_MATCHES_SHOWN,
          select: { offsetMs: true, command: true },
        },
      },
    });
  } else {
    rows = await deps.db.recording.findMany({ where, orderBy, take, select: SUMMARY_SELECT });
  }
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const last = shown.at(-1);
  return {
    items: shown.map(({ commands, ...row }) => ({ ...rowOf(row), matches: commands ?? [] })),
    next: more && last ? { startedAt: last.startedAt, id: last.id } : null,
  };
}

/** One recording with its command lines, or null when there is none the actor may see. */
export async function getRecording(
  id: string,
  actor: RecordingActor,
  deps: Deps,
): Promise<RecordingDetail | null> {
  const row = await deps.db.recording.findFirst({
    where: { AND: [{ id }, await visibleRecordingsWhere(actor, deps)] },
    select: {
      ...SUMMARY_SELECT,
      commands: {
        orderBy: [{ offsetMs: 'asc' }, { id: 'asc' }],
        select: { offsetMs: true, command: true },
      },
    },
  });
  if (!row) return null;
  const { commands, ...rest } = row;
  return { ...rowOf(rest), commands };
}

/** Names to suggest in the search form: the devices (and, for whoever sees all, users) of the recordings the actor sees. */
export async function recordingFacets(
  actor: RecordingActor,
  deps: Deps,
  max = RECORDING_FACETS_MAX,
): Promise<{ devices: string[]; users: string[] }> {
  const seesAll = await canSeeAllRecordings(deps.db, actor);
  const where: Prisma.RecordingWhereInput = seesAll ? {} : { userId: actor.id };
  // GROUP BY in SQL (Prisma's `distinct` would read every row)
  const [devices, users] = await Promise.all([
    deps.db.recording.groupBy({
      by: ['deviceName'],
      where,
      orderBy: { deviceName: 'asc' },
      take: max,
    }),
    seesAll
      ? deps.db.recording.groupBy({ by: ['username'], where, orderBy: { username: 'asc' }, take: max })
      : [],
  ]);
  return { devices: devices.map((d) => d.deviceName), users: users.map((u) => u.username) };
}

export type CastRead =
  | { ok: true; text: string; recording: Omit<RecordingSummary, 'matches'> }
  /** `not_found`: no such recording, or not the actor's to see. `missing`: its file is not in this node's store. */
  | { ok: false; code: 'not_found' | 'missing'; message: string };

export type CastStream =
  | { ok: true; body: Readable; recording: Omit<RecordingSummary, 'matches'> }
  /** `not_found`: no such recording, or not the actor's to see. `missing`: its file is not in this node's store. */
  | { ok: false; code: 'not_found' | 'missing'; message: string };

/** The recording's row and where its cast is, if the actor may see it (else why not). */
async function castSource(
  id: string,
  actor: RecordingActor,
  deps: Deps & { recordings: { store: RecordingStore } | null },
) {
  const row = await deps.db.recording.findFirst({
    where: { AND: [{ id }, await visibleRecordingsWhere(actor, deps)] },
    select: { ...SUMMARY_SELECT, key: true },
  });
  if (!row) return { ok: false, code: 'not_found', message: 'No such recording.' } as const;
  const { key, ...summary } = row;
  if (!deps.recordings || !key) return MISSING;
  return { ok: true, key, store: deps.recordings.store, recording: rowOf(summary) } as const;
}

const MISSING = {
  ok: false,
  code: 'missing',
  message:
    "The recording's file is not in this node's store (deleted, never written, or kept by another node).",
} as const;

async function orMissing<T>(read: () => Promise<T>): Promise<T | typeof MISSING> {
  try {
    return await read();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return MISSING;
    throw err;
  }
}

/**
 * The recording's asciicast, decompressed (what the store holds; an unfinished one up to its last
 * flush). A recording the actor may not see is not found.
 */
export async function readCast(
  id: string,
  actor: RecordingActor,
  deps: Deps & { recordings: { store: RecordingStore } | null },
): Promise<CastRead> {
  const src = await castSource(id, actor, deps);
  if (!src.ok) return src;
  return orMissing(async () => ({ ok: true, text: await src.store.read(src.key), recording: src.recording }));
}

/** The same as a stream (the download), read from the store as the response is sent. */
export async function streamCast(
  id: string,
  actor: RecordingActor,
  deps: Deps & { recordings: { store: RecordingStore } | null },
): Promise<CastStream> {
  const src = await castSource(id, actor, deps);
  if (!src.ok) return src;
  return orMissing(async () => ({
    ok: true,
    body: await src.store.stream(src.key),
    recording: src.recording,
  }));
}

/** `<device>-<user>-<UTC start>.cast`, safe as a download name. */
export function castFilename(r: Pick<RecordingSummary, 'deviceName' | 'username' | 'startedAt'>): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'x';
  const at = r.startedAt.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${safe(r.deviceName)}-${safe(r.username)}-${at}.cast`;
}

/** The parts of an audit entry that name a terminal session. */
export interface AuditSessionEntry {
  id: string;
  action: string;
  at: Date;
  userId: string | null;
  /** The device's name at the time. */
  target: string | null;
  detail: string;
}

const OPEN_DETAIL = /^session ([0-9a-f]{8})\b/;
const CLOSE_DETAIL = /\(after (\d+) s\)$/;

/**
 * The recording of each `terminal.open` / `terminal.close` entry that has one the actor may see
 * (entry id → recording id), in two queries whatever the number of entries. An open entry names
 * the session by the first 8 characters of its id; a close entry says how long the session lasted,
 * so its recording is the same user's on the same device that started that long before (within
 * AUDIT_MATCH_WINDOW_MS), the nearest if several.
 */
export async function recordingsForAuditEntries(
  actor: RecordingActor,
  entries: AuditSessionEntry[],
  deps: Deps,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const opens: { entry: AuditSessionEntry; prefix: string; userId: string }[] = [];
  const closes: { entry: AuditSessionEntry; startedNear: number; userId: string; device: string }[] = [];
  for (const e of entries) {
    if (!e.userId || !e.target) continue;
    if (e.action === 'terminal.open') {
      const m = OPEN_DETAIL.exec(e.detail);
      if (m) opens.push({ entry: e, prefix: m[1]!, userId: e.userId });
    } else if (e.action === 'terminal.close') {
      const m = CLOSE_DETAIL.exec(e.detail);
      if (m)
        closes.push({
          entry: e,
          startedNear: e.at.getTime() - Number(m[1]) * 1000,
          userId: e.userId,
          device: e.target,
        });
    }
  }
  const visible = await visibleRecordingsWhere(actor, deps);
  const select = { id: true, sessionId: true, userId: true, deviceName: true, startedAt: true } as const;
  const [openRows, closeRows] = await Promise.all([
    opens.length === 0
      ? []
      : deps.db.recording.findMany({
          where: {
            AND: [
              visible,
              { OR: opens.map((o) => ({ userId: o.userId, sessionId: { startsWith: o.prefix } })) },
            ],
          },
          select,
        }),
    closes.length === 0
      ? []
      : deps.db.recording.findMany({
          where: {
            AND: [
              visible,
              {
                OR: closes.map((c) => ({
                  userId: c.userId,
                  deviceName: c.device,
                  startedAt: {
                    gte: new Date(c.startedNear - AUDIT_MATCH_WINDOW_MS),
                    lte: new Date(c.startedNear + AUDIT_MATCH_WINDOW_MS),
                  },
                })),
              },
            ],
          },
          select,
        }),
  ]);
  for (const o of opens) {
    const r = openRows.find((row) => row.userId === o.userId && row.sessionId.startsWith(o.prefix));
    if (r) found.set(o.entry.id, r.id);
  }
  for (const c of closes) {
    let best: { id: string; off: number } | null = null;
    for (const row of closeRows) {
      if (row.userId !== c.userId || row.deviceName !== c.device) continue;
      const off = Math.abs(row.startedAt.getTime() - c.startedNear);
      if (off <= AUDIT_MATCH_WINDOW_MS && (!best || off < best.off)) best = { id: row.id, off };
    }
    if (best) found.set(c.entry.id, best.id);
  }
  return found;
}
