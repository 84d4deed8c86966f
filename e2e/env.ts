/** Fixed facts of the end-to-end environment (the server is started by playwright.config.ts). */
export const E2E = {
  port: Number(process.env.E2E_PORT ?? 3217),
  get baseURL() {
    return `http://127.0.0.1:${this.port}`;
  },
  labBasePort: Number(process.env.E2E_LAB_BASE_PORT ?? 23170),
  adminPassword: 'e2e-admin-password-1234',
  /** The bearer token for /api/metrics (the e2e server allows no address without it). */
  metricsToken: 'e2e-metrics-token-5678',
};

/** How the tests (playwright.config.ts) and bench/browser.ts launch Chromium; WebGL comes from SwiftShader where there is no GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
