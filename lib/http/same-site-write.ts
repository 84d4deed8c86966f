/**
 * Cookie-authenticated state-changing API routes accept only requests a page of this portal could
 * have sent: an Origin (or Referer) of this site or of ALLOWED_ORIGINS, and a JSON body. A form on
 * another site can send neither (a cross-site JSON request needs a CORS preflight, which is never
 * granted). Pure on a Request, so every such route handler calls it first.
 */
export interface SameSiteOptions {
  /** Extra origins allowed besides the portal's own (ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  /** Believe X-Forwarded-Host (TRUST_PROXY): behind a proxy the Host header may be the upstream. */
  trustProxy: boolean;
}

function originOf(value: string | null): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** The origin the request came from: Origin, else the Referer's origin, else null. */
export function requestOrigin(headers: Headers): string | null {
  const origin = headers.get('origin');
  if (origin !== null && origin !== 'null') return originOf(origin);
  return originOf(headers.get('referer'));
}

export function sameSiteOrigin(headers: Headers, opts: SameSiteOptions): boolean {
  const origin = requestOrigin(headers);
  if (!origin) return false;
  const hosts = [headers.get('host')];
  if (opts.trustProxy) hosts.push(headers.get('x-forwarded-host')?.split(',')[0]?.trim() ?? null);
  const host = new URL(origin).host;
  if (hosts.some((h) => h && h.toLowerCase() === host)) return true;
  return opts.allowedOrigins.some((a) => a.replace(/\/$/, '').toLowerCase() === origin);
}

/** The refusal to send, or null when the request may go on. */
export function refuseCrossSiteWrite(req: Request, opts: SameSiteOptions): Response | null {
  if (!sameSiteOrigin(req.headers, opts))
    return Response.json({ error: 'This request must come from the portal itself.' }, { status: 403 });
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    return Response.json({ error: 'Send the body as application/json.' }, { status: 415 });
  return null;
}
