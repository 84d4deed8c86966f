import { PEER_HEADER } from '@/lib/auth/peer';
import { metricsAllowed } from '@/lib/http/metrics-access';
import { getRuntime } from '@/lib/server/registry';
export const dynamic = 'force-dynamic';

/**
 * Prometheus exposition of this node (lib/metrics.ts: process, sockets and terminals, tasks and
 * devices, sign-ins, the REST API, database and Redis, the event bus; every series labelled `node`).
 * Only for a scraper with METRICS_TOKEN or from a METRICS_ALLOW address (default loopback).
 */
export async function GET(req: Request) {
  const runtime = getRuntime();
  // server.ts stamps the client address, replacing anything the client sent under that name
  if (!metricsAllowed(req.headers.get('authorization'), req.headers.get(PEER_HEADER), runtime.tunables))
    return Response.json(
      { error: 'Metrics need METRICS_TOKEN as a bearer token or an address in METRICS_ALLOW.' },
      { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' } },
    );
  const registry = runtime.metrics;
  return new Response(await registry.metrics(), { headers: { 'Content-Type': registry.contentType } });
}
