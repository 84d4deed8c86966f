import { Readable } from 'node:stream';
import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute } from '@/lib/api/route';
import { castFilename, streamCast } from '@/lib/recordings/service';

export const dynamic = 'force-dynamic';

/**
 * The asciicast file itself, decompressed from the store as it is sent (a long recording is never
 * held in memory whole), to play or download.
 */
export const GET = apiRoute<{ id: string }>({}, async (_req, ctx, { id }) => {
  const cast = await streamCast(id, ctx.actor, ctx.runtime);
  if (!cast.ok) {
    if (cast.code === 'missing') throw new ApiProblem(404, 'recording_file_missing', cast.message);
    throw notFound('recording');
  }
  return new Response(Readable.toWeb(cast.body) as ReadableStream<Uint8Array>, {
    headers: {
      'Content-Type': 'application/x-asciicast; charset=utf-8',
      'Content-Disposition': `attachment; filename="${castFilename(cast.recording)}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
});
