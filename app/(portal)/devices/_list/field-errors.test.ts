import { describe, expect, it } from 'vitest';
import { validateDeviceForm } from '@/lib/devices/schema';
import { fieldErrorKey } from './field-errors';

describe('fieldErrorKey', () => {
  it('knows the schema’s fixed messages', () => {
    const r = validateDeviceForm({
      name: '',
      host: '999.1.1.1',
      port: '70000',
      vendor: 'x',
      username: '',
      authType: 'password',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(fieldErrorKey(r.errors.name!)).toBe('nameRequired');
    expect(fieldErrorKey(r.errors.host!)).toBe('hostInvalid');
    expect(fieldErrorKey(r.errors.port!)).toBe('portRange');
    expect(fieldErrorKey(r.errors.vendor!)).toBe('chooseVendor');
    expect(fieldErrorKey(r.errors.username!)).toBe('usernameRequired');
    expect(fieldErrorKey(r.errors.password!)).toBe('passwordRequired');
  });

  it('leaves a message it does not know to be shown as it is', () => {
    expect(fieldErrorKey('No device named core-9 to go through.')).toBeNull();
  });
});
