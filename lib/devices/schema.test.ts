import { describe, expect, it } from 'vitest';
import { validateDeviceForm } from './schema';

const valid = {
  name: 'core-sw-01',
  host: '10.0.0.1',
  port: '22',
  vendor: 'huawei_vrp',
  encoding: 'utf-8',
  username: 'netops',
  authType: 'password',
  password: 'pw',
};

describe('device form validation', () => {
  it('accepts a valid device and coerces the port', () => {
    const r = validateDeviceForm(valid);
    expect(r.ok && r.value.port).toBe(22);
  });

  it('reports every bad field at once, including a missing password', () => {
    const r = validateDeviceForm({
      ...valid,
      name: ' bad name! ',
      host: 'not a host',
      port: '70000',
      vendor: 'juniper',
      password: '',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['host', 'name', 'password', 'port', 'vendor']);
  });

  it('accepts hostnames, IPv4 and IPv6; rejects junk ports', () => {
    for (const host of ['sw1.dc.example.net', '192.168.1.254', '2001:db8::1'])
      expect(validateDeviceForm({ ...valid, host }).ok, host).toBe(true);
    for (const host of ['300.1.1.1', '-bad-.example', 'a b'])
      expect(validateDeviceForm({ ...valid, host }).ok, host).toBe(false);
    for (const port of ['0', 'abc', '22.5', '-1'])
      expect(validateDeviceForm({ ...valid, port }).ok, port).toBe(false);
  });

  it('on edit an empty secret keeps the stored one, unless the auth type changed', () => {
    expect(validateDeviceForm({ ...valid, password: '' }, { hasSecret: true, authType: 'password' }).ok).toBe(
      true,
    );
    const switched = validateDeviceForm(
      { ...valid, authType: 'key', password: '' },
      { hasSecret: true, authType: 'password' },
    );
    expect(!switched.ok && switched.errors.privateKey).toBe('Private key is required.');
  });

  it('ignores unknown fields', () => {
    const r = validateDeviceForm({ ...valid, $ACTION_ID_abc: 'x', role: 'admin' });
    expect(r.ok && 'role' in r.value).toBe(false);
  });
});
