import { apiRoute, json, readQuery } from '@/lib/api/route';
import {
  decodeRecordingCursor,
  encodeRecordingCursor,
  recordingListQuery,
  recordingSummaryView,
} from '@/lib/api/schemas-recordings';
import { listRecordings } from '@/lib/recordings/service';

export const dynamic = 'force-dynamic';

/** Session recordings the caller may see (their own; admins and teams with the `recordings` permission: all), newest first, filtered. */
export const GET = apiRoute({}, async (req, ctx) => {
  const q = readQuery(req, recordingListQuery);
  const page = await listRecordings(
    ctx.actor,
    {
      device: q.device,
      user: q.user,
      command: q.command,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      state: q.state,
    },
    { limit: q.limit, after: q.cursor ? decodeRecordingCursor(q.cursor) : undefined },
    ctx.runtime,
  );
  return json({
    items: page.items.map(recordingSummaryView),
    next_cursor: page.next ? encodeRecordingCursor(page.next) : null,
  });
});
