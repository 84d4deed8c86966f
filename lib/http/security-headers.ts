/**
 * Headers every HTTP response carries (server.ts sets them before Next answers). The portal may not
 * be framed (clickjacking onto "Take down", "Delete device"), the browser may not guess content
 * types, and URLs (task and device ids) do not leak to other sites in the Referer.
 *
 * Script and style policy: Next's App Router inlines its bootstrap scripts and xterm.js injects
 * <style> elements, so both allow 'unsafe-inline' (a nonce would make every page dynamic); nothing
 * is loaded from another origin. connect-src names the page's own ws:// and wss:// origin because
 * older browsers do not count WebSockets as 'self'.
 */
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

export function contentSecurityPolicy(host: string | undefined, dev: boolean): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval': the recordings player draws its terminal with WebAssembly; it allows
    // compiling WebAssembly only, JavaScript eval stays forbidden
    `script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(host: string | undefined, dev: boolean): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(host, dev),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
  };
}
