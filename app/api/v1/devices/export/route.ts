import { apiRoute } from '@/lib/api/route';
import { exportFileName, exportInventoryCsv } from '@/lib/devices/import/export-devices';

export const dynamic = 'force-dynamic';

/** The devices the caller sees as CSV in the import's columns (no secrets), streamed. */
export const GET = apiRoute({}, async (_req, ctx) => {
  // who took the inventory (addresses and users, no secrets) out of the portal, and when
  await ctx.audit('device.export', 'inventory', 'CSV');
  return new Response(exportInventoryCsv(ctx.actor, ctx.runtime), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${exportFileName()}"`,
      'Cache-Control': 'no-store',
    },
  });
});
