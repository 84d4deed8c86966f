import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tasksRoute from '../app/api/v1/tasks/route';
import * as taskRoute from '../app/api/v1/tasks/[id]/route';
import * as taskDevicesRoute from '../app/api/v1/tasks/[id]/devices/route';
import { createApiToken } from '../lib/auth/tokens';
import { setRuntime } from '../lib/server/registry';
import { startPortal, type Portal } from './harness';

let portal: Portal;
let token: string;
let device: string;

type Handler = (req: Request, segment: { params: Promise<unknown> }) => Promise<Response>;

async function call(
  handler: Handler,
  opts: { path?: string; body?: unknown; params?: Record<string, string> },
) {
  const res = await handler(
    new Request(`http://127.0.0.1/api/v1${opts.path ?? '/tasks'}`, {
      method: opts.body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    }),
    { params: Promise.resolve(opts.params ?? {}) },
  );
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** POST /tasks with these fields beside a valid name and device; the problem's `errors` on a 422. */
async function create(fields: Record<string, unknown>) {
  return call(tasksRoute.POST, { body: { name: 'options', devices: [device], ...fields } });
}

beforeAll(async () => {
  portal = await startPortal();
  setRuntime(portal.runtime);
  const t = await createApiToken(
    { id: portal.users.operator },
    { name: 'opts', scope: 'write' },
    portal.runtime,
  );
  if (!t.ok) throw new Error(JSON.stringify(t.errors));
  token = t.token;
  device = await portal.deviceId('lab-vrp-01');
});
afterAll(async () => {
  setRuntime(undefined);
  await portal.close();
});

describe('task options over the API', () => {
  it('stores per-command answers and timeouts, failure patterns and the expected output, and reads them back', async () => {
    const r = await create({
      commands: [
        'display version',
        { command: 'save', answers: [{ prompt: '[Y/N]', answer: 'y' }] },
        { command: 'display diagnostic-information', timeout_seconds: 600 },
      ],
      failure_patterns: ['(?i)^error:', 'Unrecognized command'],
      expect_output: 'VRP',
    });
    expect(r.status).toBe(201);
    const expected = {
      commands: ['display version', 'save', 'display diagnostic-information'],
      steps: [
        { command: 'display version', timeout_seconds: null, answers: [] },
        { command: 'save', timeout_seconds: null, answers: [{ prompt: '[Y/N]', answer: 'y' }] },
        { command: 'display diagnostic-information', timeout_seconds: 600, answers: [] },
      ],
      failure_patterns: ['(?i)^error:', 'Unrecognized command'],
      expect_output: 'VRP',
    };
    expect(r.json).toMatchObject(expected);
    const id = r.json.id as string;
    expect((await call(taskRoute.GET, { path: `/tasks/${id}`, params: { id } })).json).toMatchObject(
      expected,
    );
    const list = await call(tasksRoute.GET, { path: '/tasks?limit=10' });
    expect((list.json.items as { id: string }[]).find((t) => t.id === id)).toMatchObject(expected);
  });

  it('a task without options reads back with empty ones', async () => {
    const r = await create({ commands: ['display clock'] });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      steps: [{ command: 'display clock', timeout_seconds: null, answers: [] }],
      failure_patterns: [],
      expect_output: null,
    });
  });

  it('takes a list of commands per vendor and reads it back; an unknown vendor is a 422 naming it', async () => {
    const r = await create({
      commands: { huawei_vrp: ['display clock'], cisco_ios: [{ command: 'show clock', timeout_seconds: 5 }] },
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      commands: [],
      steps: [],
      vendor_steps: {
        huawei_vrp: [{ command: 'display clock', timeout_seconds: null, answers: [] }],
        cisco_ios: [{ command: 'show clock', timeout_seconds: 5, answers: [] }],
      },
      skipped_devices: 0,
    });
    const bad = await create({ commands: { nokia_sros: ['show version'] } });
    expect(bad.status).toBe(422);
    const none = await create({ commands: {} });
    expect(none.status).toBe(422);
    expect(JSON.stringify(none.json)).toContain('Enter at least one command.');
  });

  it('names the field of every bad option', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      // RE2 has no backreferences: the pattern is refused, not run slowly
      [
        { commands: ['display version'], failure_patterns: ['ok', '(a)\\1'] },
        'failure_patterns.1',
        /pattern/i,
      ],
      [{ commands: ['display version'], expect_output: '(?<=x)y' }, 'expect_output', /pattern/i],
      [{ commands: ['display version'], failure_patterns: ['a\nb'] }, 'failure_patterns.0', /newline/],
      [
        {
          commands: [
            {
              command: 'save',
              answers: Array.from({ length: 6 }, (_, i) => ({ prompt: `q${i}`, answer: 'y' })),
            },
          ],
        },
        'commands.0.answers',
        /at most 5/i,
      ],
      [
        { commands: [{ command: 'save', answers: [{ prompt: '[Y/N]', answer: 'y\r\nreload' }] }] },
        'commands.0.answers.0.answer',
        /control/i,
      ],
      [
        { commands: [{ command: 'save', answers: [{ prompt: '   ', answer: 'y' }] }] },
        'commands.0.answers.0.prompt',
        /asks/i,
      ],
      [{ commands: [{ command: 'display version', timeout_seconds: 0 }] }, 'commands.0.timeout_seconds', /./],
      [
        { commands: [{ command: 'save', answers: [{ prompt: '[Y/N]', answer: 'y' }] }, 'save'] },
        'commands.1',
        /other options/,
      ],
      [{ commands: [{ command: 'save', answers: [], extra: 1 }] }, 'commands.0', /./],
    ];
    for (const [fields, key, message] of cases) {
      const r = await create(fields);
      expect([r.status, r.json.code], key).toEqual([422, 'invalid']);
      const errors = r.json.errors as Record<string, string>;
      expect(Object.keys(errors), key).toContain(key);
      expect(errors[key], key).toMatch(message);
    }
  });

  it('device results carry not_run commands and the error of the failed one', async () => {
    const r = await create({ commands: ['display version'] });
    const id = r.json.id as string;
    const outputs = [
      { command: 'display version', output: 'VRP (R) software', status: 'success' },
      { command: 'dsiplay clock', output: 'Error: Unrecognized command', status: 'error', error: 'rejected' },
      { command: 'save', output: '', status: 'not_run' },
    ];
    // the executor's outcome is its own test: here only how the API shows a stored one
    await expect
      .poll(async () => (await portal.db.task.findUniqueOrThrow({ where: { id } })).finishedAt, {
        timeout: 20_000,
      })
      .not.toBeNull();
    await portal.db.taskDevice.updateMany({
      where: { taskId: id },
      data: { status: 'failed', output: JSON.stringify(outputs), error: 'dsiplay clock: rejected' },
    });
    const rows = await call(taskDevicesRoute.GET, { path: `/tasks/${id}/devices`, params: { id } });
    expect((rows.json.items as { outputs: unknown[] }[])[0]!.outputs).toEqual([
      { ...outputs[0], error: null },
      outputs[1],
      { ...outputs[2], error: null },
    ]);
  });
});
