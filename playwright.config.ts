import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, E2E } from './e2e/env';

// One fresh data directory per run (workers inherit it through the environment).
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'sb-e2e-'));

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: E2E.baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  // The README's API example adds 500 devices and runs a task on them: it runs after the other specs
  // so that its load does not slow their pages.
  projects: [
    { name: 'browser', testIgnore: /api-example\.spec\.ts/ },
    { name: 'api-example', testMatch: /api-example\.spec\.ts/, dependencies: ['browser'] },
  ],
  // The production build (npm run test:e2e builds first) behind the real server.ts, lab included.
  webServer: {
    command: 'node_modules/.bin/tsx server.ts',
    url: `${E2E.baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(E2E.port),
      DATA_DIR: process.env.E2E_DATA_DIR,
      ADMIN_PASSWORD: E2E.adminPassword,
      LAB: 'on',
      LAB_BASE_PORT: String(E2E.labBasePort),
      LAB_DEVICES: '40',
      STATUS_INTERVAL_MS: '500',
      STATUS_PROBE_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'warn',
      // login-throttle.spec.ts: its wrong guesses must stay refused until it has made them all, however slow the machine
      LOGIN_BACKOFF_BASE_MS: '60000',
      METRICS_TOKEN: E2E.metricsToken,
      METRICS_ALLOW: 'none',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
