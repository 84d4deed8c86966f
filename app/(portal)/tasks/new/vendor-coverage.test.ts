import { describe, expect, it } from 'vitest';
import { vendorCoverage } from './vendor-coverage';

const devices = (...vendors: string[]) => vendors.map((vendor) => ({ vendor }));
const lab = devices('huawei_vrp', 'huawei_vrp', 'cisco_ios', 'cisco_ios', 'cisco_ios');

describe('vendorCoverage', () => {
  it('sends every device to the common list when there is no vendor list', () => {
    expect(vendorCoverage(lab, 'display version', {})).toEqual({
      common: 5,
      perVendor: {},
      selectedByVendor: { huawei_vrp: 2, cisco_ios: 3 },
      skipped: [],
    });
  });

  it('counts each vendor list on its own devices, nothing on the empty common list', () => {
    const c = vendorCoverage(lab, '', { huawei_vrp: 'display version', cisco_ios: 'show version' });
    expect(c.perVendor).toEqual({ huawei_vrp: 2, cisco_ios: 3 });
    expect(c.common).toBe(0);
    expect(c.skipped).toEqual([]);
  });

  it('skips the devices of a vendor with neither its own list nor common commands', () => {
    const c = vendorCoverage(lab, '\n  \n', { huawei_vrp: 'display version' });
    expect(c.perVendor).toEqual({ huawei_vrp: 2 });
    expect(c.common).toBe(0);
    expect(c.skipped).toEqual([{ vendor: 'cisco_ios', count: 3 }]);
  });

  it('lets the common list cover vendors without a list of their own', () => {
    const c = vendorCoverage(lab, 'show clock', { huawei_vrp: 'display clock' });
    expect(c.perVendor).toEqual({ huawei_vrp: 2 });
    expect(c.common).toBe(3);
    expect(c.skipped).toEqual([]);
  });

  it('treats a blank vendor list as no list: its devices fall back to the common list or are skipped', () => {
    expect(vendorCoverage(lab, 'show clock', { cisco_ios: '  \n' })).toMatchObject({
      common: 5,
      perVendor: { cisco_ios: 0 },
      skipped: [],
    });
    expect(vendorCoverage(lab, '', { cisco_ios: '\n' })).toMatchObject({
      common: 0,
      perVendor: { cisco_ios: 0 },
      skipped: [
        { vendor: 'huawei_vrp', count: 2 },
        { vendor: 'cisco_ios', count: 3 },
      ],
    });
  });

  it('reports a list for a vendor with no selected device as running on none', () => {
    const c = vendorCoverage(devices('huawei_vrp'), '', {
      huawei_vrp: 'display version',
      generic: 'uname -a',
    });
    expect(c.perVendor).toEqual({ huawei_vrp: 1, generic: 0 });
  });

  it('counts nothing without a selection', () => {
    expect(vendorCoverage([], '', { huawei_vrp: 'x' })).toEqual({
      common: 0,
      perVendor: { huawei_vrp: 0 },
      selectedByVendor: {},
      skipped: [],
    });
  });
});
