import { getCurrentUser } from '@/lib/auth/session';
import { paletteSearch } from '@/lib/devices/device-list';
import { DEVICE_SEARCH_MAX_CHARS } from '@/lib/devices/device-list-params';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

/** The quick-connect palette (session cookie): `GET /api/palette?q=ios-03` → up to 20 devices the user sees. */
export async function GET(req: Request) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const q = (new URL(req.url).searchParams.get('q') ?? '').slice(0, DEVICE_SEARCH_MAX_CHARS);
  const devices = await paletteSearch(user, q, getRuntime().db);
  return Response.json({ devices }, { headers: { 'Cache-Control': 'no-store' } });
}
