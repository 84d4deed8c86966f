import { describe, expect, it } from 'vitest';

import { TelnetLogin, credentialCheck, telnetLoginText } from './login';

const check = credentialCheck('netops', 'S3cret!');
const ios = (): TelnetLogin => new TelnetLogin(telnetLoginText('cisco_ios', 'sw1'), check);

describe('TelnetLogin', () => {
  it('greets like the vendor and asks for the username first', () => {
    expect(ios().start()).toBe('\r\nUser Access Verification\r\n\r\nUsername: ');
    const vrp = new TelnetLogin(telnetLoginText('huawei_vrp', 'r1'), check);
    expect(vrp.start()).toBe('\r\nLogin authentication\r\n\r\n\r\nUsername:');
    const h3c = new TelnetLogin(telnetLoginText('h3c_comware', 'h1'), check).start();
    expect(h3c).toContain('* Copyright (c) 2004-2023 New H3C Technologies Co., Ltd. All rights reserved.*');
    expect(h3c.endsWith('\r\n\r\nLogin: ')).toBe(true);
    expect(new TelnetLogin(telnetLoginText('juniper_junos', 'j1'), check).start()).toBe(
      '\r\n\r\nj1 (ttyp0)\r\n\r\nlogin: ',
    );
  });

  it('echoes the username, not the password, and accepts the right pair', () => {
    const l = ios();
    expect(l.feed(Buffer.from('netops\r\0'))).toEqual({ write: 'netops\r\nPassword: ', outcome: 'pending' });
    expect(l.secret).toBe(true);
    const step = l.feed(Buffer.from('S3cret!\r\n'));
    expect(step).toMatchObject({ write: '\r\n', outcome: 'accepted', username: 'netops' });
    expect(step.rest?.length).toBe(0);
    expect(l.pendingCr).toBe(false);
  });

  it('hands type-ahead after the password to the CLI, and remembers a CR whose LF is still to come', () => {
    const l = ios();
    l.feed(Buffer.from('netops\n'));
    const step = l.feed(Buffer.from('S3cret!\r\0show clock\r'));
    expect(step.rest?.toString()).toBe('show clock\r');
    const l2 = ios();
    l2.feed(Buffer.from('netops\r'));
    l2.feed(Buffer.from('\n'));
    expect(l2.feed(Buffer.from('S3cret!\r')).outcome).toBe('accepted');
    expect(l2.pendingCr).toBe(true);
  });

  it('handles backspace in both fields', () => {
    const l = ios();
    expect(l.feed(Buffer.from('netopx\x7fs\r')).write).toBe('netopx\b \bs\r\nPassword: ');
    expect(l.feed(Buffer.from('S3cret!!\x08\r')).outcome).toBe('accepted');
  });

  it("prints the vendor's failure, asks again, and hangs up after three failures", () => {
    const l = ios();
    const first = l.feed(Buffer.from('netops\rwrong\r'));
    expect(first.write).toBe('netops\r\nPassword: \r\n% Login invalid\r\n\r\nUsername: ');
    expect(first.outcome).toBe('pending');
    l.feed(Buffer.from('netops\rwrong\r'));
    const third = l.feed(Buffer.from('nobody\rS3cret!\r'));
    expect(third).toEqual({ write: 'nobody\r\nPassword: \r\n% Login invalid\r\n\r\n', outcome: 'refused' });
    expect(l.feed(Buffer.from('netops\r')).write).toBe('');
  });

  it('asks again for an empty username without counting it as a failure', () => {
    const vrp = new TelnetLogin(telnetLoginText('huawei_vrp', 'r1'), check, 1);
    expect(vrp.feed(Buffer.from('\r\n')).write).toBe('\r\nUsername:');
    expect(vrp.feed(Buffer.from('netops\rbad\r'))).toEqual({
      write: 'netops\r\nPassword:\r\nError: Failed to authenticate.\r\n',
      outcome: 'refused',
    });
  });
});
