import { getRuntime } from '@/lib/server/registry';
export const dynamic = 'force-dynamic';

/**
 * Liveness: 200 while this process serves requests, whatever its dependencies do (a database outage
 * must not get every node restarted). Whether the node can do its work is /api/ready.
 */
export async function GET() {
  return Response.json(
    { status: 'ok', node: getRuntime().nodes.self },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
