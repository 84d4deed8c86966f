import { z } from 'zod';
import { authorise } from '@/lib/auth/session';
import { labDeviceIsUp, setLabDeviceUp } from '@/lib/devices/lab-inventory';
import { refuseCrossSiteWrite } from '@/lib/http/same-site-write';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

const body = z.object({ up: z.boolean() }).strict();

/** GET: is this lab device up? POST {"up": false|true}: take it down or bring it back (admins). */
export async function GET(_req: Request, { params }: { params: Promise<{ name: string }> }) {
  const auth = await authorise('lab:control');
  if (!auth.ok) return Response.json({ error: auth.error }, { status: 403 });
  const { name } = await params;
  const up = labDeviceIsUp(name, getRuntime().lab);
  return up === null
    ? Response.json({ error: 'The device lab is not running.' }, { status: 409 })
    : Response.json({ name, up });
}

export async function POST(req: Request, { params }: { params: Promise<{ name: string }> }) {
  const { tunables } = getRuntime();
  const refused = refuseCrossSiteWrite(req, {
    allowedOrigins: tunables.ALLOWED_ORIGINS,
    trustProxy: tunables.TRUST_PROXY,
  });
  if (refused) return refused;
  const auth = await authorise('lab:control');
  if (!auth.ok) return Response.json({ error: auth.error }, { status: 403 });
  let parsed;
  try {
    parsed = body.safeParse(await req.json());
  } catch {
    return Response.json({ error: 'Send JSON: {"up": true|false}.' }, { status: 400 });
  }
  if (!parsed.success) return Response.json({ error: 'Send JSON: {"up": true|false}.' }, { status: 400 });
  const r = await setLabDeviceUp(auth.user, (await params).name, parsed.data.up, getRuntime());
  return r.ok
    ? Response.json({ name: r.name, up: r.up })
    : Response.json({ error: r.error }, { status: r.status });
}
