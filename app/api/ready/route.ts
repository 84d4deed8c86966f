import { getRuntime } from '@/lib/server/registry';
import type { Runtime } from '@/lib/server/runtime';
export const dynamic = 'force-dynamic';

/**
 * Readiness for a load balancer: 200 when this node can serve (its database answers and, in cluster
 * mode, Redis does), 503 otherwise, with what is down. It answers within READY_TIMEOUT_MS (2 s)
 * even when a server hangs (lib/server/runtime.ts). Liveness is /api/health.
 */
export async function GET() {
  let runtime: Runtime;
  try {
    runtime = getRuntime();
  } catch {
    return Response.json(
      { status: 'unavailable', error: 'The portal is starting or stopping.' },
      { status: 503, headers: { 'Cache-Control': 'no-store' } },
    );
  }
  const report = await runtime.readiness();
  return Response.json(
    { status: report.ready ? 'ready' : 'unavailable', ...report },
    {
      status: report.ready ? 200 : 503,
      headers: { 'Cache-Control': 'no-store' },
    },
  );
}
