import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E } from './env';
import { adminTokenFromCli } from './helpers';

/**
 * The README's API example, run verbatim with bash and curl against the running portal: 500 devices
 * in one request, a task on them followed live on /ws/monitor/tasks, the CSV, a second task
 * cancelled. The token comes from `npm run token` against the portal's own database.
 */
const ROOT = path.resolve(import.meta.dirname, '..');

function readmeExample(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- api-example -->\n```sh\n([\s\S]*?)\n```/.exec(readme);
  if (!m) throw new Error('README.md has no api-example block');
  return m[1]!;
}

test('the README API example works with nothing but curl and a token', async () => {
  test.setTimeout(240_000);
  const token = adminTokenFromCli('readme-example');
  expect(token).toMatch(/^sb_/);

  const work = mkdtempSync(path.join(tmpdir(), 'sb-api-example-'));
  const run = spawnSync('bash', ['-e', '-c', readmeExample()], {
    cwd: work,
    encoding: 'utf8',
    timeout: 200_000,
    // the switches: loopback addresses nobody answers on, so the task's devices fail at once
    env: { ...process.env, SB: E2E.baseURL, TOKEN: token, NET: '127.0', SWITCH_PASSWORD: 'not-used' },
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const updates = run.stdout.split('\n').filter((l) => l.startsWith('{"type":"task_update"'));
  expect(updates.length).toBeGreaterThan(0);
  expect(updates.at(-1)).toMatch(/"status":"(completed|failed)"/);
  expect(updates.at(-1)).toContain('"total_devices":500');
  expect(run.stdout).toMatch(/cancelled \S+/);

  const devices = JSON.parse(readFileSync(path.join(work, 'devices.json'), 'utf8')) as {
    items: { id: string }[];
  };
  expect(devices.items).toHaveLength(500);
  const csv = readFileSync(path.join(work, 'results.csv'), 'utf8').trimEnd().split('\r\n');
  expect(csv[0]).toContain('"device"');
  expect(csv.length).toBe(501);

  // leave the shared portal as it was
  for (const d of devices.items) {
    const res = await fetch(`${E2E.baseURL}/api/v1/devices/${d.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(204);
  }
});
