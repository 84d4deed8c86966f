import { describe, expect, it } from 'vitest';
import { en } from '@/messages';
import { knownError } from './known-errors';

describe('knownError', () => {
  it('recognises the fixed strings lib answers with', () => {
    expect(knownError('Your role does not allow this.')).toEqual({ key: 'roleDenied', values: {} });
    expect(knownError('No such group.')).toEqual({ key: 'noSuchGroup', values: {} });
    expect(knownError('You cannot disable yourself.')).toEqual({ key: 'disableSelf', values: {} });
  });

  it('takes the name out of the strings that carry one', () => {
    expect(knownError('A group named “site:sh-dc1” already exists.')).toEqual({
      key: 'groupExists',
      values: { name: 'site:sh-dc1' },
    });
    expect(knownError('A team named “NOC” already exists.')).toEqual({
      key: 'teamExists',
      values: { name: 'NOC' },
    });
    expect(knownError('No device named core-sw.1.')).toEqual({
      key: 'noDeviceNamed',
      values: { name: 'core-sw.1' },
    });
    expect(knownError('old-rtr is reached over telnet; a jump host must be an SSH device.')).toEqual({
      key: 'jumpHostTelnet',
      values: { name: 'old-rtr' },
    });
  });

  it('leaves any other text alone', () => {
    expect(knownError('No such user: ghost.')).toBeNull();
    expect(knownError('')).toBeNull();
  });

  it('has an English message for every key that reads as the original', () => {
    const messages = en.admin.errors as Record<string, string>;
    for (const text of [
      'Invalid request.',
      'Your session has ended. Sign in again.',
      'No such team.',
      'Choose admin, operator or viewer.',
    ]) {
      const k = knownError(text)!;
      expect(messages[k.key]).toBe(text);
    }
    expect(messages.groupExists).toBe('A group named “{name}” already exists.');
  });
});
