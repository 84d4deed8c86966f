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

  describe('cluster mode (REDIS_URL)', () => {
    const given = 'y'.repeat(40);
    const pg = 'postgresql://root@127.0.0.1:5432/switchboard';

    it('refuses to start without both secrets, naming each, and never generates them', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'sb-config-'));
      let error: unknown;
      try {
        buildConfig({ DATA_DIR: dir, REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: pg });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const issues = (error as ConfigError).issues.join('\n');
      expect(issues).toMatch(/SWITCHBOARD_SECRET: required in cluster mode/);
      expect(issues).toMatch(/NEXTAUTH_SECRET: required in cluster mode/);
      expect(() => statSync(path.join(dir, 'secrets.json'))).toThrow();
    });

    it('refuses a SQLite database', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'sb-config-'));
      expect(() =>
        buildConfig({
          DATA_DIR: dir,
          REDIS_URL: 'redis://127.0.0.1:6379',
          SWITCHBOARD_SECRET: given,
          NEXTAUTH_SECRET: given,
        }),
      ).toThrow(/DATABASE_URL: cluster mode .* postgresql/);
    });

    it('starts with both secrets and PostgreSQL; the node is named by host and port unless given', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'sb-config-'));
      const base = {
        DATA_DIR: dir,
        REDIS_URL: 'redis://127.0.0.1:6379',
        DATABASE_URL: pg,
        SWITCHBOARD_SECRET: given,
        NEXTAUTH_SECRET: given,
        PORT: '3101',
      };
      const cfg = buildConfig(base);
      expect(cfg.NODE_ID).toMatch(/:3101$/);
      expect(cfg.REDIS_PREFIX).toBe('sb:');
      expect(buildConfig({ ...base, NODE_ID: 'node-a' }).NODE_ID).toBe('node-a');
      expect(() => buildConfig({ ...base, NODE_ID: 'bad id!' })).toThrow(/NODE_ID/);
      expect(() => buildConfig({ ...base, REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
    });
  });
});
