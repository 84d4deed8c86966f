// Pure, no 'server-only': the login page and next-auth's redirect callback both use it.

/** A stand-in origin for checking a relative target when the portal's own origin is not at hand. */
const PLACEHOLDER_ORIGIN = 'http://portal.invalid';

/**
 * Where to go after sign-in: `target` resolved against `origin` the way a browser resolves it
 * (backslashes as slashes, tabs and newlines dropped, dot segments removed) and kept only if it
 * stays on that origin. Returns a path ("/tasks?x=1#y") that cannot be read as another host, or
 * `fallback`. Pure.
 */
export function sameOriginPath(
  target: string | undefined,
  origin = PLACEHOLDER_ORIGIN,
  fallback = '/',
): string {
  if (!target) return fallback;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(target, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  // "/x/..//evil.example" resolves to the path "//evil.example", which a browser reads as a host
  const path = `${url.pathname}${url.search}${url.hash}`;
  return /^\/[/\\]/.test(path) ? fallback : path;
}

/** next-auth's redirect callback: only URLs on the portal's own origin; anything else goes home. */
export function sameOriginRedirect(url: string, baseUrl: string): string {
  const path = sameOriginPath(url, baseUrl, '');
  return path ? new URL(path, baseUrl).href : baseUrl;
}
