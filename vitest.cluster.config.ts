import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/** Real portal nodes (server.ts on the production build) on PostgreSQL and Redis: after next build. */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['tests/cluster/**/*.test.ts'],
    exclude: ['node_modules'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    // each file runs real nodes with second-scale leases: one file at a time on a 2-core machine
    fileParallelism: false,
  },
});
