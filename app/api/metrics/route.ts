import { getMetrics } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

/** Prometheus exposition: process metrics plus the open WebSocket connections gauge. */
export async function GET() {
  const { registry } = getMetrics();
  return new Response(await registry.metrics(), { headers: { 'Content-Type': registry.contentType } });
}
