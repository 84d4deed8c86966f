import createNextIntlPlugin from 'next-intl/plugin';

// next-intl reads its per-request configuration (locale, messages) from i18n/request.ts.
const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and Node-only packages stay outside the bundle; server.ts loads the same copies.
  serverExternalPackages: ['ssh2', 'better-sqlite3', '@node-rs/argon2', 'pino', 'prom-client', 'ws'],
  poweredByHeader: false,
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
