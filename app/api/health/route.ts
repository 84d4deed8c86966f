import { getRuntime } from '@/lib/server/registry';
export const dynamic = 'force-dynamic';

/** Liveness and readiness: 200 when the database answers, 503 otherwise. */
export async function GET() {
  const started = performance.now();
  try {
    await getRuntime().db.$queryRawUnsafe('SELECT 1');
    return Response.json({
      status: 'ok',
      database: 'up',
      latencyMs: Math.round(performance.now() - started),
    });
  } catch {
    return Response.json({ status: 'error', database: 'down' }, { status: 503 });
  }
}
