import { describe, expect, it } from 'vitest';
import type { TestStep } from '@/lib/devices/test-connection';
import { hostKeyNotice, skippedStepText, utcMoment } from './panel-text';

const step = (id: TestStep['id'], label: string, status: TestStep['status'], detail: string): TestStep => ({
  id,
  label,
  status,
  detail,
  ms: 0,
});

describe('skippedStepText', () => {
  const failed = step('tcp', 'TCP', 'failed', 'TCP 127.0.0.1:22: connection refused');
  const stopped = step('negotiation', 'Negotiation', 'skipped', 'Not run: the test stopped at TCP.');
  const steps = [step('access', 'Access', 'ok', 'ok'), failed, stopped];

  it('names the step the test stopped at, for the reader to see in their language', () => {
    expect(skippedStepText(stopped, steps)).toEqual({ key: 'notRunStopped', step: 'tcp' });
  });

  it('recognises a plain "Not run."', () => {
    expect(skippedStepText(step('vendor', 'Vendor check', 'skipped', 'Not run.'), steps)).toEqual({
      key: 'notRun',
    });
  });

  it('leaves any other text alone: a step not applicable says why in its own words', () => {
    const telnet = step('host_key', 'Host key', 'skipped', 'telnet has no host key');
    expect(skippedStepText(telnet, steps)).toBeNull();
    expect(skippedStepText(failed, steps)).toBeNull();
    // a sentence naming another step than the failed one is not rewritten
    expect(
      skippedStepText(step('paging', 'Paging', 'skipped', 'Not run: the test stopped at Route.'), steps),
    ).toBeNull();
  });
});

describe('hostKeyNotice', () => {
  it('maps the host-key service notices and nothing else', () => {
    expect(hostKeyNotice('The new host key is trusted.')).toBe('accepted');
    expect(hostKeyNotice('The key the device offers is shown above.')).toBe('offeredShown');
    expect(hostKeyNotice('toString')).toBeNull();
    expect(hostKeyNotice('Something else.')).toBeNull();
  });
});

describe('utcMoment', () => {
  it('drops the T, the milliseconds and the Z', () => {
    expect(utcMoment('2026-11-03T14:05:09.123Z')).toBe('2026-11-03 14:05:09');
  });
});
