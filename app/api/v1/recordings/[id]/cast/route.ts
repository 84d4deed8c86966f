import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute } from '@/lib/api/route';
import { castFilename, readCast } from '@/lib/recordings/service';

export const dynamic = 'force-dynamic';

/** The asciicast file itself, as the store holds it (decompressed), to play or download. */
export const GET = apiRoute<{ id: string }>({}, async (_req, ctx, { id }) => {
  const cast = await readCast(id, ctx.actor, ctx.runtime);
  if (!cast.ok) {
    if (cast.code === 'missing') throw new ApiProblem(404, 'recording_file_missing', cast.message);
    throw notFound('recording');
  }
  return new Response(cast.text, {
    headers: {
      'Content-Type': 'application/x-asciicast; charset=utf-8',
      'Content-Disposition': `attachment; filename="${castFilename(cast.recording)}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
});
