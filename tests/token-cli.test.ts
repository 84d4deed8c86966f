import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authenticateToken } from '../lib/auth/tokens';
import { createPrismaClient } from '../lib/db/client';
import { migrate } from '../lib/db/migrate';
import { ROOT } from './helpers';

function token(dataDir: string, args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'lib/auth/token-cli.ts'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
      timeout: 60_000,
    },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run token', () => {
  it('creates a token for a user (printed alone on the last line), lists and revokes it', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sb-token-cli-'));
    const url = `file:${path.join(dataDir, 'switchboard.db')}`;
    migrate(url, ROOT);
    const db = createPrismaClient(url);
    try {
      await db.user.create({ data: { username: 'ops', role: 'operator', passwordHash: 'x' } });

      const made = token(dataDir, [
        'create',
        '--user',
        'ops',
        '--name',
        'ansible',
        '--scope',
        'write',
        '--expires',
        '30d',
      ]);
      expect(made.err).toBe('');
      expect(made.code).toBe(0);
      const last = made.out.trimEnd().split('\n').at(-1)!;
      expect(last).toMatch(/^sb_[0-9A-Za-z]{42}$/);
      expect(await authenticateToken(last, { db })).toMatchObject({
        ok: true,
        identity: { user: { username: 'ops' }, token: { name: 'ansible', scope: 'write' } },
      });

      const listed = token(dataDir, ['list']);
      expect(listed.code).toBe(0);
      expect(listed.out).toContain('ansible');
      expect(listed.out).not.toContain(last);
      const id = listed.out.split(/\s+/)[0]!;

      expect(token(dataDir, ['revoke', '--id', id]).code).toBe(0);
      expect(await authenticateToken(last, { db })).toEqual({ ok: false, code: 'revoked' });
      expect((await db.auditEvent.findMany()).map((a) => a.action).sort()).toEqual([
        'token.create',
        'token.revoke',
      ]);

      const unknown = token(dataDir, ['create', '--user', 'nobody', '--name', 'x']);
      expect(unknown.code).toBe(2);
      expect(unknown.err).toContain('No user named "nobody"');
      const bad = token(dataDir, ['create', '--user', 'ops', '--name', 'x', '--scope', 'root']);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('scope');
    } finally {
      await db.$disconnect();
    }
  });
});
