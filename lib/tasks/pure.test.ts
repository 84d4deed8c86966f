import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../tests/fake-clock';
import { ProgressCoalescer, progressPercent, type TaskProgressEvent } from './progress';
import { InProcessTaskQueue, TaskAbort } from './queue';
import { parseStoredVendorCommands, stepsForVendor, validateTaskForm } from './schema';

const state = (completed: number, total = 100) => ({
  taskId: 't',
  ownerId: 'u',
  status: 'running' as const,
  currentDevice: `d${completed}`,
  totalDevices: total,
  completedDevices: completed,
  failedDevices: 0,
});

describe('progress coalescing', () => {
  it('sends the first update at once, then at most one per interval, carrying every device result', () => {
    const { clock, advance } = fakeClock();
    const sent: TaskProgressEvent[] = [];
    const c = new ProgressCoalescer((e) => sent.push(e), 250, clock);
    c.update(state(1), { deviceId: 'a', deviceName: 'a', status: 'success' });
    expect(sent).toHaveLength(1);
    for (let i = 2; i <= 50; i++)
      c.update(state(i), { deviceId: `d${i}`, deviceName: `d${i}`, status: 'success' });
    expect(sent).toHaveLength(1);
    advance(250);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.completedDevices).toBe(50);
    expect(sent[1]!.devices).toHaveLength(49);
    expect(sent.flatMap((e) => e.devices ?? [])).toHaveLength(50);
  });

  it('a burst of 10,000 updates in one second yields a bounded number of events and the final state', () => {
    const { clock, advance } = fakeClock();
    const sent: TaskProgressEvent[] = [];
    const c = new ProgressCoalescer((e) => sent.push(e), 250, clock);
    for (let i = 1; i <= 10_000; i++) {
      c.update(state(i, 10_001));
      if (i % 100 === 0) advance(10);
    }
    c.final({ ...state(10_001, 10_001), status: 'completed' });
    expect(sent.length).toBeLessThanOrEqual(6);
    expect(sent.at(-1)).toMatchObject({
      status: 'completed',
      completedDevices: 10_001,
      progress: 100,
      final: true,
    });
    advance(1000);
    expect(sent.at(-1)!.final).toBe(true); // nothing stale after the final
  });

  it('computes progress with one decimal', () => {
    expect(progressPercent(1, 3)).toBe(33.3);
    expect(progressPercent(0, 0)).toBe(100);
  });
});

describe('task form validation', () => {
  const good = {
    name: 'check',
    commands: 'display version\n\n display clock  \n',
    deviceIds: ['a', 'a', 'b'],
    concurrency: '20',
    timeoutSeconds: '30',
  };
  it('splits commands into lines and de-duplicates devices', () => {
    const r = validateTaskForm(good);
    expect(r.ok && r.value).toMatchObject({
      commands: ['display version', ' display clock'],
      deviceIds: ['a', 'b'],
      concurrency: 20,
    });
  });
  it('refuses empty or oversized selections, absurd numbers and control characters', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ deviceIds: [] }, 'deviceIds'],
      [{ deviceIds: Array.from({ length: 1001 }, (_, i) => `d${i}`) }, 'deviceIds'],
      [{ commands: '   \n' }, 'commands'],
      [{ commands: Array.from({ length: 51 }, () => 'x').join('\n') }, 'commands'],
      [{ commands: 'display version\u001b[A' }, 'commands'],
      [{ commands: 'ok\nbad\u0000' }, 'commands'],
      [{ concurrency: '0' }, 'concurrency'],
      [{ concurrency: '5000' }, 'concurrency'],
      [{ timeoutSeconds: '1' }, 'timeoutSeconds'],
      [{ timeoutSeconds: 'soon' }, 'timeoutSeconds'],
    ];
    for (const [patch, field] of cases) {
      const r = validateTaskForm({ ...good, ...patch });
      expect(r.ok, JSON.stringify(patch).slice(0, 60)).toBe(false);
      if (!r.ok) expect(Object.keys(r.errors)).toContain(field);
    }
    const r = validateTaskForm({ ...good, commands: 'ok\nbad\u0007' });
    expect(!r.ok && r.errors.commands).toMatch(/^Line 2: Commands cannot contain control characters/);
  });
});

describe('commands per vendor', () => {
  const base = { name: 'mixed', deviceIds: ['a'], concurrency: '5', timeoutSeconds: '30' };

  it('takes a list per vendor beside (or instead of) the list for every other vendor', () => {
    const r = validateTaskForm({
      ...base,
      commands: '',
      vendorCommands: JSON.stringify({
        huawei_vrp: 'display version\n',
        cisco_ios: 'show version\nshow clock',
      }),
    });
    expect(r.ok && r.value.steps).toEqual([]);
    expect(r.ok && r.value.vendorSteps).toEqual({
      huawei_vrp: [{ command: 'display version', answers: [] }],
      cisco_ios: [
        { command: 'show version', answers: [] },
        { command: 'show clock', answers: [] },
      ],
    });
  });

  it('picks the vendor’s own list, else the common one, else none (skipped)', () => {
    const own = [{ command: 'show version', answers: [] }];
    const common = [{ command: 'display version', answers: [] }];
    expect(stepsForVendor({ steps: common, vendorSteps: { cisco_ios: own } }, 'cisco_ios')).toBe(own);
    expect(stepsForVendor({ steps: common, vendorSteps: { cisco_ios: own } }, 'huawei_vrp')).toBe(common);
    expect(stepsForVendor({ steps: [], vendorSteps: { cisco_ios: own } }, 'juniper_junos')).toBeNull();
    expect(stepsForVendor({ steps: [], vendorSteps: { cisco_ios: own } }, '__proto__')).toBeNull();
  });

  it.each([
    [{ commands: '', vendorCommands: '' }, 'commands', /Enter at least one command/],
    [
      { commands: '', vendorCommands: JSON.stringify({ cisco_ios: '  \n' }) },
      'commands',
      /Enter at least one command/,
    ],
    [
      { vendorCommands: '{"nokia_sros":"show version"}' },
      'vendorCommands',
      /Unknown vendor “nokia_sros” \(use huawei_vrp, cisco_ios/,
    ],
    [
      { vendorCommands: JSON.stringify({ cisco_ios: 'show version\nshow\u001b[A' }) },
      'vendorCommands',
      /^Cisco IOS \/ IOS-XE, line 2: Commands cannot contain control characters/,
    ],
    [
      { vendorCommands: JSON.stringify({ huawei_vrp: Array.from({ length: 51 }, () => 'x').join('\n') }) },
      'vendorCommands',
      /Huawei VRP: at most 50 commands/,
    ],
    [{ vendorCommands: '{not json' }, 'vendorCommands', /not valid JSON/],
    [{ vendorCommands: '["show version"]' }, 'vendorCommands', /./],
  ])('refuses %j', (patch, field, error) => {
    const r = validateTaskForm({ ...base, commands: 'display version', ...patch });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[field as keyof typeof r.errors]).toMatch(error);
  });

  it('reads stored lists back, ignoring unknown vendors and empty lists', () => {
    expect(
      parseStoredVendorCommands(
        JSON.stringify({ cisco_ios: ['show version'], nokia: ['x'], huawei_vrp: [] }),
      ),
    ).toEqual({ cisco_ios: [{ command: 'show version', answers: [] }] });
    expect(parseStoredVendorCommands('{}')).toEqual({});
  });
});

describe('in-process task queue', () => {
  it('runs at most maxRunning tasks at once, in order, and cancels queued and running ones', async () => {
    const q = new InProcessTaskQueue(2);
    const started: string[] = [];
    const release = new Map<string, () => void>();
    const aborted: string[] = [];
    q.process(
      (id, signal) =>
        new Promise<void>((resolve) => {
          started.push(id);
          release.set(id, resolve);
          signal.addEventListener('abort', () => {
            aborted.push(`${id}:${(signal.reason as TaskAbort).kind}`);
            resolve();
          });
        }),
    );
    for (const id of ['t1', 't2', 't3', 't4']) await q.enqueue(id, 'owner');
    expect(started).toEqual(['t1', 't2']);
    expect(await q.cancel('t3')).toBe('queued');
    expect(await q.cancel('t1')).toBe('running');
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['t1', 't2', 't4']);
    expect(aborted).toEqual(['t1:cancel']);
    release.get('t2')!();
    await new Promise((r) => setImmediate(r)); // t2 finishes and leaves the running set
    await q.close();
    expect(aborted).toEqual(['t1:cancel', 't4:shutdown']);
    expect(await q.cancel('nope')).toBe('absent');
  });
});
