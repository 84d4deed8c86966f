import { notFound } from '@/lib/api/problem';
import { apiRoute, readQuery } from '@/lib/api/route';
import { resultsQuery } from '@/lib/api/schemas';
import { openResultsExport } from '@/lib/tasks/export';

export const dynamic = 'force-dynamic';

/** Every device's results as JSON or CSV, streamed a few devices at a time. */
export const GET = apiRoute<{ id: string }>({}, async (req, ctx, { id }) => {
  const { format } = readQuery(req, resultsQuery);
  const exp = await openResultsExport(ctx.actor, id, format, ctx.runtime);
  if (!exp) throw notFound('task');
  return new Response(exp.stream, {
    headers: {
      'Content-Type': exp.contentType,
      'Content-Disposition': `attachment; filename="${exp.filename}"`,
    },
  });
});
