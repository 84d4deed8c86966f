import { apiRoute } from '@/lib/api/route';
import { importTemplateCsv } from '@/lib/devices/import/export-devices';

export const dynamic = 'force-dynamic';

/** The import's columns with two example devices (Huawei VRP, Cisco IOS). */
export const GET = apiRoute({}, async () => {
  return new Response(importTemplateCsv(), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="switchboard-devices-template.csv"',
    },
  });
});
