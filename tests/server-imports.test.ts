import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers';

// server.ts runs under plain tsx, outside Next's react-server conditions: a module it loads that
// imports 'server-only' throws at start-up (vitest stubs 'server-only', so no other test sees it).
describe('what server.ts loads', () => {
  it('loads the runtime and the server entry under plain tsx', () => {
    const out = execFileSync(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [
        '-e',
        "Promise.all([import('./lib/server/runtime.ts'), import('./lib/server/registry.ts')]).then(() => console.log('loaded'))",
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(out.trim()).toBe('loaded');
  }, 90_000);
});
