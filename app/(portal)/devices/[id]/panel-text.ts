import type { TestStep, TestStepId } from '@/lib/devices/test-connection';

/*
 * The device panels show what lib/ says in the reader's language where lib/ says it in a fixed form.
 * lib/ (shared with the REST API) keeps its English; these pure functions recognise the fixed
 * sentences and name the message to show instead. Anything else (a device's own words, a reason with
 * details) is shown as it came.
 */

/** What a skipped step of Test connection says, when it is one of lib's fixed "Not run" sentences. */
export type SkippedStepText = { key: 'notRun' } | { key: 'notRunStopped'; step: TestStepId };

export function skippedStepText(step: TestStep, steps: readonly TestStep[]): SkippedStepText | null {
  if (step.status !== 'skipped') return null;
  if (step.detail === 'Not run.') return { key: 'notRun' };
  const failed = steps.find((s) => s.status === 'failed');
  if (failed && step.detail === `Not run: the test stopped at ${failed.label}.`)
    return { key: 'notRunStopped', step: failed.id };
  return null;
}

/** The notices the host-key service answers with (lib/devices/host-keys.ts), by message key. */
const HOST_KEY_NOTICES = {
  'The new host key is trusted.': 'accepted',
  'The device answered with its trusted key.': 'answeredTrusted',
  'The key the device offers is shown above.': 'offeredShown',
  'The host key is forgotten; the next connection will trust the key it sees.': 'forgotten',
} as const;

export type HostKeyNotice = (typeof HOST_KEY_NOTICES)[keyof typeof HOST_KEY_NOTICES];

export function hostKeyNotice(message: string): HostKeyNotice | null {
  return Object.hasOwn(HOST_KEY_NOTICES, message)
    ? HOST_KEY_NOTICES[message as keyof typeof HOST_KEY_NOTICES]
    : null;
}

/** "2026-11-03T14:05:09.123Z" → "2026-11-03 14:05:09" (the panels add "UTC" in the sentence). */
export function utcMoment(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19);
}
