import createNextIntlPlugin from 'next-intl/plugin';

// next-intl reads its per-request configuration (locale, messages) from i18n/request.ts.
const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and Node-only packages stay outside the bundle; server.ts loads the same copies.
  serverExternalPackages: ['ssh2', 'better-sqlite3', '@node-rs/argon2', 'pino', 'prom-client', 'ws'],
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tsc --noEmit) before it builds; the build's own pass
  // would repeat it (about 40 s on two cores).
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  experimental: {
    serverActions: {
      // The import page sends a whole CSV (IMPORT_MAX_BYTES = 16 MiB) to its preview action.
      bodySizeLimit: '17mb',
      // Behind a reverse proxy, list the public host(s) here (comma-separated in SERVER_ACTIONS_ALLOWED_ORIGINS).
      allowedOrigins: (process.env.SERVER_ACTIONS_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
    },
  },
};

export default withNextIntl(nextConfig);
