import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      'data/**',
      'lib/db/generated/**',
      'lib/db/generated-pg/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
];

export default config;
