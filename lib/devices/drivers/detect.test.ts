import { describe, expect, it } from 'vitest';
import { detectVendor } from './index';
import { TRANSCRIPTS } from './fixtures';

describe('detectVendor', () => {
  it.each(TRANSCRIPTS.map((t) => [t.vendor, t] as const))(
    'names %s from its version output, with high confidence',
    (vendor, t) => {
      expect(detectVendor({ versionOutput: t.version.raw, prompt: '<x>' })).toMatchObject({
        vendor,
        confidence: 'high',
      });
    },
  );
  it('says what it saw', () => {
    expect(detectVendor({ versionOutput: 'Cisco IOS XE Software, Version 17.03.04a' })?.reason).toBe(
      'the version output says “Cisco IOS XE Software”',
    );
  });
  it('tells NX-OS from IOS and Comware from VRP, whichever comes first in the output', () => {
    expect(
      detectVendor({
        versionOutput: 'Copyright (c) Cisco Systems\nCisco Nexus Operating System (NX-OS) Software',
      })?.vendor,
    ).toBe('cisco_nxos');
    expect(
      detectVendor({
        versionOutput: 'Huawei-3Com Versatile Routing Platform Software\nComware Software, Version 3.10',
      })?.vendor,
    ).toBe('h3c_comware');
  });
  it('uses the SSH ident and the banner when there is no version output', () => {
    expect(detectVendor({ ident: 'SSH-2.0-HUAWEI-1.5', prompt: '<sw1>' })).toMatchObject({
      vendor: 'huawei_vrp',
      confidence: 'high',
    });
    expect(detectVendor({ ident: 'SSH-2.0-Cisco-1.25' })).toMatchObject({
      vendor: 'cisco_ios',
      confidence: 'high',
    });
    expect(detectVendor({ ident: 'SSH-2.0-Comware-7.1.064' })?.vendor).toBe('h3c_comware');
    const h3c = TRANSCRIPTS.find((t) => t.vendor === 'h3c_comware')!;
    expect(detectVendor({ ident: 'SSH-2.0-OpenSSH_8.9', banner: h3c.login })).toMatchObject({
      vendor: 'h3c_comware',
      reason: 'the login banner says “New H3C Technologies”',
    });
  });
  it('falls back to the shape of the prompt, with low confidence', () => {
    expect(detectVendor({ prompt: 'Info: welcome\r\n<sw1>' })).toMatchObject({
      vendor: 'huawei_vrp',
      confidence: 'low',
    });
    expect(detectVendor({ prompt: '{master:0}\r\nadmin@ex1> ' })).toMatchObject({
      vendor: 'juniper_junos',
      confidence: 'low',
    });
    expect(detectVendor({ prompt: 'sw1>' })).toMatchObject({ vendor: 'cisco_ios', confidence: 'low' });
    expect(detectVendor({ prompt: 'root@box:/# ' })).toMatchObject({ vendor: 'generic', confidence: 'low' });
    expect(detectVendor({ prompt: 'sw1#' })?.reason).toBe('the prompt “sw1#” looks like an IOS-style CLI');
  });
  it('returns null when nothing points to a vendor', () => {
    expect(detectVendor({})).toBeNull();
    expect(
      detectVendor({ ident: 'SSH-2.0-OpenSSH_8.9', banner: 'Authorized use only', prompt: 'Username:' }),
    ).toBeNull();
  });
});
