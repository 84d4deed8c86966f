import { notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { recordingView } from '@/lib/api/schemas-recordings';
import { getRecording } from '@/lib/recordings/service';

export const dynamic = 'force-dynamic';

/** A recording's index row with its command lines and their offsets. */
export const GET = apiRoute<{ id: string }>({}, async (_req, ctx, { id }) => {
  const r = await getRecording(id, ctx.actor, ctx.runtime);
  if (!r) throw notFound('recording');
  return json(recordingView(r));
});
