import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../config/schema';

const HEAP_MODULE = fileURLToPath(new URL('./heap.ts', import.meta.url));

/** What a fresh node prints when it sets the heap growth through heap.ts (V8 names an unknown flag). */
function printedBy(percent: string): string {
  const script = `import { setHeapGrowth } from ${JSON.stringify(HEAP_MODULE)}; setHeapGrowth(${percent});`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return `${r.stdout}${r.stderr}`;
}

describe('the heap growth setting', () => {
  it('is 100 unless set, and refuses what V8 cannot take', () => {
    expect(parseEnv({}).HEAP_GROWING_PERCENT).toBe(100);
    expect(parseEnv({ HEAP_GROWING_PERCENT: '0' }).HEAP_GROWING_PERCENT).toBe(0);
    expect(() => parseEnv({ HEAP_GROWING_PERCENT: '-1' })).toThrow(/HEAP_GROWING_PERCENT/);
    expect(() => parseEnv({ HEAP_GROWING_PERCENT: 'lots' })).toThrow(/HEAP_GROWING_PERCENT/);
  });

  it('reaches V8 under a flag name V8 knows', () => {
    // V8 prints "unrecognized flag" for a name it does not know and goes on as if nothing was set
    for (const percent of ['100', '0']) expect(printedBy(percent)).toBe('');
  });
});
