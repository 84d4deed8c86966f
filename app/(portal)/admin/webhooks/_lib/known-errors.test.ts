import { describe, expect, it } from 'vitest';
import { en } from '@/messages';
import { checkWebhookUrl, createWebhook } from '@/lib/automation/webhooks';
import { knownWebhookError } from './known-errors';

describe('webhook errors the pages translate', () => {
  it('recognises what lib answers, with its values', async () => {
    const local = await checkWebhookUrl('http://127.0.0.1:9/h', { allowLocal: false });
    expect(local.ok).toBe(false);
    expect(knownWebhookError(local.ok ? '' : local.error)).toEqual({
      key: 'local',
      values: { host: '127.0.0.1', address: '127.0.0.1' },
    });
    const scheme = await checkWebhookUrl('ftp://x.example/h', { allowLocal: false });
    expect(knownWebhookError(scheme.ok ? '' : scheme.error)?.key).toBe('scheme');
    const bad = await checkWebhookUrl('not a url', { allowLocal: false });
    expect(knownWebhookError(bad.ok ? '' : bad.error)?.key).toBe('notUrl');
    const refused = await createWebhook({ id: 'u', role: 'operator' }, {}, {} as never);
    expect(knownWebhookError(refused.ok ? '' : refused.errors.form!)?.key).toBe('adminsOnly');
    expect(knownWebhookError('At most 200 characters.')).toEqual({ key: 'tooLong', values: { max: 200 } });
    expect(knownWebhookError('Enter a whole number of days from 1 to 3650.')).toEqual({
      key: 'retention',
      values: { min: 1, max: 3650 },
    });
    expect(knownWebhookError('HTTP 500')).toBeNull();
  });

  it('has an English message for every key', () => {
    for (const key of [
      'invalidRequest',
      'sessionEnded',
      'roleDenied',
      'adminsOnly',
      'noSuchWebhook',
      'enterUrl',
      'notUrl',
      'scheme',
      'credentials',
      'urlTooLong',
      'unresolved',
      'local',
      'chooseEvent',
      'tooLong',
      'settingsAdminsOnly',
      'retention',
    ])
      expect((en.webhooks.errors as Record<string, string>)[key], key).toBeTruthy();
  });
});
