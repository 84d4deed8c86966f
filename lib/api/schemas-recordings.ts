import 'zod-openapi';
import { z } from 'zod';
import {
  RECORDING_STATES,
  type RecordingDetail,
  type RecordingPageKey,
  type RecordingSummary,
} from '../recordings/service';
import { decodeCursor, encodeCursor, pageQuery } from './cursor';
import { ApiProblem } from './problem';

/**
 * The REST shapes of session recordings (GET /api/v1/recordings…), in snake_case, beside the other
 * schemas (lib/api/schemas.ts); the OpenAPI document is generated from these too.
 */

const isoDate = z.string().meta({ format: 'date-time' });
/** An RFC 3339 moment (`2026-11-03T14:00:00Z`, `…+08:00`) or a day (`2026-11-03`, midnight UTC). */
const moment = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const recordingListQuery = z
  .object({
    device: z.string().min(1).max(128).optional().meta({ description: 'A device id or name' }),
    user: z.string().min(1).max(128).optional().meta({ description: 'A user id or username' }),
    command: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'Part of a command line typed in the session (case-insensitive)' }),
    from: moment.optional().meta({ description: 'Sessions that started at or after this moment' }),
    to: moment.optional().meta({ description: 'Sessions that started before this moment' }),
    state: z.enum(RECORDING_STATES).optional(),
    ...pageQuery,
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: '`to` must be after `from`.',
  });

const commandLine = z.object({
  offset_ms: z.number().int().meta({ description: 'Milliseconds from the start of the recording' }),
  command: z.string(),
});

const recordingFields = {
  id: z.string(),
  session_id: z.string(),
  user_id: z.string(),
  username: z.string().meta({ description: 'At the time of the session' }),
  device_id: z.string(),
  device_name: z.string().meta({ description: 'At the time of the session' }),
  node_id: z.string().meta({ description: 'The node that held the session' }),
  started_at: isoDate,
  ended_at: isoDate.nullable(),
  duration_ms: z.number().int(),
  bytes: z.number().int().meta({ description: 'Uncompressed asciicast bytes' }),
  stored_bytes: z.number().int().meta({ description: 'What the store holds (gzip)' }),
  command_count: z.number().int(),
  state: z.enum(RECORDING_STATES).meta({
    description:
      '`recording` (the session is open), `complete`, `capped` (RECORDING_MAX_BYTES reached), `failed` (the store could not be written) or `interrupted` (the node stopped); `note` says why one is incomplete',
  }),
  note: z.string(),
};

export const recordingSummarySchema = z
  .object({
    ...recordingFields,
    matched_commands: z
      .array(commandLine)
      .meta({ description: 'With `command`: the matching lines (at most 5); otherwise empty' }),
  })
  .meta({ id: 'RecordingSummary' });

export const recordingListSchema = z
  .object({ items: z.array(recordingSummarySchema), next_cursor: z.string().nullable() })
  .meta({ id: 'RecordingList' });

export const recordingSchema = z
  .object({
    ...recordingFields,
    commands: z.array(commandLine).meta({ description: 'Every command line, at its place in the recording' }),
    cast_url: z.string().meta({ description: 'The asciicast file' }),
  })
  .meta({ id: 'Recording' });

/** The asciicast v2 file as text (a JSON header line, then one JSON array per event). */
export const castTextSchema = z.string().meta({
  description: 'asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/)',
});

type Fields = Omit<RecordingSummary, 'matches'>;

function fieldsView(r: Fields) {
  return {
    id: r.id,
    session_id: r.sessionId,
    user_id: r.userId,
    username: r.username,
    device_id: r.deviceId,
    device_name: r.deviceName,
    node_id: r.nodeId,
    started_at: r.startedAt.toISOString(),
    ended_at: r.endedAt?.toISOString() ?? null,
    duration_ms: r.durationMs,
    bytes: r.bytes,
    stored_bytes: r.storedBytes,
    command_count: r.commandCount,
    state: r.state,
    note: r.note,
  };
}

const lineView = (c: { offsetMs: number; command: string }) => ({
  offset_ms: c.offsetMs,
  command: c.command,
});

export const recordingCastPath = (id: string) => `/api/v1/recordings/${id}/cast`;

export function recordingSummaryView(r: RecordingSummary): z.output<typeof recordingSummarySchema> {
  return { ...fieldsView(r), matched_commands: r.matches.map(lineView) };
}

export function recordingView(r: RecordingDetail): z.output<typeof recordingSchema> {
  return { ...fieldsView(r), commands: r.commands.map(lineView), cast_url: recordingCastPath(r.id) };
}

/** The opaque cursor of the recordings list: where the last page ended. */
export function encodeRecordingCursor(key: RecordingPageKey): string {
  return encodeCursor([key.startedAt.getTime(), key.id]);
}

/** A cursor back to where a page ended; one this API did not give out is a 400 `bad_cursor`. */
export function decodeRecordingCursor(cursor: string): RecordingPageKey {
  const [at, id] = decodeCursor(cursor, 2);
  if (typeof at !== 'number' || !Number.isFinite(at) || typeof id !== 'string')
    throw new ApiProblem(400, 'bad_cursor', 'This cursor is not one this API gave out.');
  return { startedAt: new Date(at), id };
}
