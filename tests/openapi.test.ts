import path from 'node:path';
import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { API_PATHS, openApiDocument } from '../lib/api/openapi';
import { ROOT, routeFiles } from './helpers';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3.1 (checked by @readme/openapi-parser)', async () => {
    const doc = structuredClone(openApiDocument());
    const result = await validate(doc as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('lists every route handler under app/api/v1, and nothing that does not exist', async () => {
    const base = path.join(ROOT, 'app', 'api', 'v1');
    const inCode: string[] = [];
    for (const file of routeFiles(base)) {
      const route =
        '/' +
        path
          .relative(base, path.dirname(file))
          .split(path.sep)
          .map((s) => s.replace(/^\[(.+)\]$/, '{$1}'))
          .join('/');
      const mod = (await import(file)) as Record<string, unknown>;
      for (const m of METHODS) if (typeof mod[m] === 'function') inCode.push(`${m} ${route}`);
    }
    const documented = Object.entries(API_PATHS).flatMap(([p, item]) =>
      Object.keys(item ?? {})
        .filter((k) => (METHODS as readonly string[]).includes(k.toUpperCase()))
        .map((k) => `${k.toUpperCase()} ${p}`),
    );
    expect(documented.sort()).toEqual(inCode.sort());
  });
});
