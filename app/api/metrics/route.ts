import { getRuntime } from '@/lib/server/registry';
export const dynamic = 'force-dynamic';

/** Prometheus exposition: process metrics plus the open WebSocket connections gauge. */
export async function GET() {
  const registry = getRuntime().metrics;
  return new Response(await registry.metrics(), { headers: { 'Content-Type': registry.contentType } });
}
