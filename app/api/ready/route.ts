import { getRuntime } from '@/lib/server/registry';
export const dynamic = 'force-dynamic';

/**
 * Readiness for a load balancer: 200 when this node can serve (its database answers and, in cluster
 * mode, Redis does), 503 otherwise, with what is down. Liveness is /api/health.
 */
export async function GET() {
  const report = await getRuntime().readiness();
  return Response.json(
    { status: report.ready ? 'ready' : 'unavailable', ...report },
    {
      status: report.ready ? 200 : 503,
      headers: { 'Cache-Control': 'no-store' },
    },
  );
}
