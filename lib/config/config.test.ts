import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig } from './index';
import { ConfigError, parseEnv } from './schema';

describe('configuration parsing', () => {
  it('gives working defaults for an empty environment', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      LAB: true,
      LOG_LEVEL: 'info',
      LAB_DEVICES: 8,
    });
    expect(env.ALLOWED_ORIGINS).toEqual([]);
  });

  it('parses types: numbers, on/off, lists; empty strings count as unset', () => {
    const env = parseEnv({
      PORT: '8080',
      LAB: 'off',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      HOST: '',
    });
    expect(env.PORT).toBe(8080);
    expect(env.LAB).toBe(false);
    expect(env.HOST).toBe('127.0.0.1');
    expect(env.ALLOWED_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('lists every bad variable in one error', () => {
    try {
      parseEnv({
        PORT: '70000',
        LAB: 'maybe',
        LOG_LEVEL: 'loud',
        SWITCHBOARD_SECRET: 'short',
        DATABASE_URL: 'mysql://x',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      for (const v of ['PORT', 'LAB', 'LOG_LEVEL', 'SWITCHBOARD_SECRET', 'DATABASE_URL'])
        expect(msg).toContain(v);
    }
  });

  it('rejects a short ADMIN_PASSWORD', () => {
    expect(() => parseEnv({ ADMIN_PASSWORD: 'admin' })).toThrow(/ADMIN_PASSWORD/);
  });

  it('generates missing secrets once into the data dir and reuses them', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-config-'));
    const first = buildConfig({ DATA_DIR: dir });
    expect(first.generatedSecrets.sort()).toEqual(['NEXTAUTH_SECRET', 'SWITCHBOARD_SECRET']);
    expect(first.SWITCHBOARD_SECRET.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = buildConfig({ DATA_DIR: dir });
    expect(second.generatedSecrets).toEqual([]);
    expect(second.SWITCHBOARD_SECRET).toBe(first.SWITCHBOARD_SECRET);
    expect(second.NEXTAUTH_SECRET).toBe(first.NEXTAUTH_SECRET);
    expect(second.DATABASE_URL).toBe(`file:${path.join(dir, 'switchboard.db')}`);
    expect(JSON.parse(readFileSync(file, 'utf8')).SWITCHBOARD_SECRET).toBe(first.SWITCHBOARD_SECRET);
  });

  it('prefers secrets from the environment and does not write them to disk', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-config-'));
    const given = 'x'.repeat(40);
    const cfg = buildConfig({ DATA_DIR: dir, SWITCHBOARD_SECRET: given, NEXTAUTH_SECRET: given });
    expect(cfg.SWITCHBOARD_SECRET).toBe(given);
    expect(cfg.generatedSecrets).toEqual([]);
  });
});
