import { describe, expect, it } from 'vitest';
import { VENDORS } from '../schema';
import { TRANSCRIPTS } from './fixtures';
import { cleanOutput, DRIVERS, driverFor, generic, outputIsError } from './index';

const lastLine = (raw: string): string => raw.split(/\r?\n/).pop()!;

describe('every vendor has a driver and a recorded transcript', () => {
  it('covers VENDORS in order', () => {
    expect(Object.keys(DRIVERS)).toEqual([...VENDORS]);
    expect(TRANSCRIPTS.map((t) => t.vendor)).toEqual([...VENDORS]);
  });
  it('falls back to the generic driver for an unknown vendor', () => {
    expect(driverFor('cisco_ios')).toBe(DRIVERS.cisco_ios);
    expect(driverFor('foundry')).toBe(generic);
    expect(driverFor('__proto__')).toBe(generic);
  });
});

for (const t of TRANSCRIPTS) {
  const driver = DRIVERS[t.vendor];
  describe(`${driver.label} (${t.vendor}) on its recorded transcript`, () => {
    it('learns the name from the prompt after login and matches that prompt', () => {
      expect(driver.prompt.test(t.login)).toBe(true);
      expect(driver.promptName(lastLine(t.login))).toBe(t.name);
      expect(driver.promptFor(t.name).test(t.login)).toBe(true);
    });

    it.each(t.prompts)('knows the prompt %j, in mode %s', (line, mode) => {
      expect(driver.prompt.test(`output\r\n${line}`)).toBe(true);
      expect(driver.promptFor(t.name).test(`output\r\n${line}`)).toBe(true);
      expect(driver.promptName(line)).toBe(t.name);
      expect(driver.modeOf(line)).toBe(mode);
    });

    it('sees a prompt only at the very end', () => {
      for (const [line] of t.prompts) {
        expect(driver.prompt.test(`${line}\r\nmore output`), line).toBe(false);
        expect(driver.promptFor(t.name).test(`${line}\r\n`), line).toBe(false);
      }
    });

    it('ends the version output with the prompt and finds its fingerprint', () => {
      expect(driver.versionCommand).toBe(t.version.command);
      expect(driver.promptFor(t.name).test(t.version.raw)).toBe(true);
      expect(driver.fingerprints.some((re) => re.test(t.version.raw))).toBe(true);
      expect(outputIsError(driver, t.version.raw)).toBe(false);
    });

    it('stops at the pager, and cleans the paged output to exactly what the device printed', () => {
      const { raw, pagerPrompt, command, clean } = t.paged;
      const atPager = raw.slice(0, raw.indexOf(pagerPrompt) + pagerPrompt.length);
      expect(driver.pager.test(atPager)).toBe(true);
      expect(driver.prompt.test(atPager)).toBe(false);
      expect(driver.question.test(atPager)).toBe(false);
      expect(driver.pager.test(raw)).toBe(false);
      expect(cleanOutput(driver, raw, command)).toBe(clean);
      expect(outputIsError(driver, raw)).toBe(false);
    });

    it.each(t.errors)('flags the rejection %j', (raw) => {
      expect(outputIsError(driver, raw)).toBe(true);
      expect(driver.question.test(raw)).toBe(false);
    });

    it.each(t.successes)('does not flag %j', (raw) => {
      expect(outputIsError(driver, raw)).toBe(false);
    });

    it.each(t.questions)('sees the question in %j', (raw) => {
      expect(driver.question.test(raw)).toBe(true);
      expect(driver.prompt.test(raw)).toBe(false);
      expect(driver.pager.test(raw)).toBe(false);
    });

    it('never takes a prompt or a pager for a question', () => {
      for (const [line] of t.prompts) expect(driver.question.test(`output\r\n${line}`), line).toBe(false);
      expect(driver.question.test(t.login)).toBe(false);
      expect(driver.question.test(t.paged.pagerPrompt)).toBe(false);
    });

    if (t.enable) {
      const enable = driver.enable!;
      it('asks for the enable secret and recognises a wrong one', () => {
        expect(enable.passwordPrompt.test(t.enable!.asked)).toBe(true);
        for (const answer of t.enable!.refused) expect(enable.refused.test(answer), answer).toBe(true);
        expect(enable.refused.test(`\r\n${t.name}#`)).toBe(false);
      });
    } else {
      it('has no privilege escalation to run and never reports the user level', () => {
        expect(driver.enable).toBeUndefined();
        expect(t.prompts.some(([, mode]) => mode === 'user')).toBe(false);
      });
    }
  });
}

describe('prompts of other devices are not this device’s prompt', () => {
  const cases: [keyof typeof DRIVERS, string, string[]][] = [
    [
      'huawei_vrp',
      'sw1',
      ['<sw10>', '[sw10]', '[~sw10-GigabitEthernet0/0/1]', '<xsw1>', '<sw1-core>', 'x<sw1>'],
    ],
    ['h3c_comware', 'sw1', ['<sw10>', '[sw10-Vlan-interface10]']],
    ['cisco_ios', 'sw1', ['sw10#', 'sw10(config)#', 'xsw1>', 'sw1.lab#', 'show sw1#']],
    ['cisco_nxos', 'sw1', ['sw10#', 'sw1>']],
    ['arista_eos', 'sw1', ['sw10>', 'sw10(config-if-Et1)#']],
    ['ruijie_os', 'sw1', ['sw10#', 'sw10(config-if-GigabitEthernet 0/1)#']],
    ['juniper_junos', 'admin@sw1', ['admin@sw10>', 'xadmin@sw1#', 'admin@sw1:RE:0% ']],
    ['generic', 'admin@sw1:~$', ['admin@sw10:~$ ', 'root@sw1:~# ', 'sw1$ ']],
  ];
  it.each(cases)('%s %s', (vendor, name, others) => {
    const re = DRIVERS[vendor].promptFor(name);
    for (const other of others) expect(re.test(`output\r\n${other}`), other).toBe(false);
  });

  it('escapes the learned name', () => {
    expect(DRIVERS.cisco_ios.promptFor('r1.lab').test('\r\nr1xlab#')).toBe(false);
    expect(DRIVERS.cisco_ios.promptFor('r1.lab').test('\r\nr1.lab#')).toBe(true);
    expect(DRIVERS.huawei_vrp.promptFor('a+b').test('\r\n<a+b>')).toBe(true);
    expect(DRIVERS.generic.promptFor('host (prod)>').test('\r\nhost (prod)> ')).toBe(true);
  });
});

describe("a learned prompt's test answers as its own regex does", () => {
  /** The learned prompt's pattern run as a plain RegExp (what `test` meant before it was shared). */
  const plain = (re: RegExp) => (text: string) =>
    RegExp.prototype.test.call(new RegExp(re.source, re.flags), text);
  const names: Record<string, string[]> = {
    huawei_vrp: ['sw1', 'a+b', 'HRP_Mx', 'lab-vrp-01', 'core.sw-1'],
    h3c_comware: ['sw1', 'core-sw'],
    cisco_ios: ['r1.lab', 'dc1-agg-switch-0001-east', 'sw1'],
    cisco_nxos: ['n9k-1'],
    arista_eos: ['eos-1'],
    ruijie_os: ['rj-1'],
    juniper_junos: ['admin@mx1', 'root'],
    generic: ['bash-5.2$', 'netops@jump-01:~$'],
  };
  const tails = (name: string, extra: string[]) => {
    const lines = [
      `<${name}>`,
      `<${name}> `,
      `[${name}]`,
      `[~${name}-GigabitEthernet0/0/1]`,
      `[*${name}-aaa]`,
      `HRP_M<${name}>`,
      `HRP_S[${name}-ui-vty0-4]`,
      `${name}#`,
      `${name}>`,
      `${name}(config)#`,
      `${name}(config-if)# `,
      `${name.slice(0, 20)}(config-if)#`,
      `${name.slice(0, 20)}#`,
      `[edit interfaces ge-0/0/0]\r\n${name}# `,
      `{master:0}\r\n${name}> `,
      `\r\n{primary:node0}[edit]\r\n${name}# `,
      `x${name}>`,
      `<${name}x>`,
      `${name}`,
      ...extra,
    ];
    return lines.flatMap((line) => [
      line,
      `output\r\n${line}`,
      `output\r${line}`,
      `output\n\n${line}`,
      `${line}\r\n`,
      `${line}\r\nmore`,
      `a\r\n${line}\r\nb\r\n${line}`,
      `\r\n${line}x`,
    ]);
  };
  for (const t of TRANSCRIPTS) {
    const driver = DRIVERS[t.vendor];
    it(`${t.vendor}: on its transcripts and on prompt-like lines of other names`, () => {
      const extra = [t.login, t.version.raw, t.paged.raw, ...t.prompts.map(([line]) => line)];
      for (const name of [t.name, ...(names[t.vendor] ?? [])]) {
        const re = driver.promptFor(name);
        const expected = plain(re);
        for (const other of [name, ...(names[t.vendor] ?? [])])
          for (const text of tails(other, extra))
            expect(re.test(text), `${name} on ${JSON.stringify(text)}`).toBe(expected(text));
      }
    });
  }
});

describe('prompt details', () => {
  it('accepts the IOS hostname cut to 20 characters in configuration modes', () => {
    const re = DRIVERS.cisco_ios.promptFor('dc1-agg-switch-0001-east');
    expect(re.test('\r\ndc1-agg-switch-0001-east#')).toBe(true);
    expect(re.test('\r\ndc1-agg-switch-0001-(config-if)#')).toBe(true);
    expect(re.test('\r\ndc1-agg-switch-0001-#')).toBe(false);
  });
  it('takes the Junos blank line and context line as part of the prompt', () => {
    const re = DRIVERS.juniper_junos.promptFor('admin@mx1');
    for (const tail of [
      '\r\n\r\n[edit interfaces ge-0/0/0]\r\nadmin@mx1# ',
      '\r\n{primary:node0}[edit]\r\nadmin@mx1# ',
      '\r\nroot> ',
    ])
      expect(DRIVERS.juniper_junos.prompt.test(`x${tail}`), tail).toBe(true);
    expect(re.exec('commit complete\r\n\r\n[edit]\r\nadmin@mx1# ')?.index).toBe('commit complete'.length);
  });
  it('learns the bare Junos user before a host name is set', () => {
    expect(DRIVERS.juniper_junos.promptName('root> ')).toBe('root');
  });
  it('learns a generic prompt as the whole line, letting the directory change', () => {
    expect(generic.promptName('bash-5.2$ ')).toBe('bash-5.2$');
    expect(generic.promptName('loading…')).toBeNull();
    expect(generic.promptFor('bash-5.2$').test('\r\nbash-5.2$ ')).toBe(true);
    expect(generic.promptFor('netops@jump-01:~$').test('\r\nnetops@jump-01:/var/log$ ')).toBe(true);
    expect(generic.promptFor('[root@centos ~]#').test('\r\n[root@centos network-scripts]# ')).toBe(true);
    expect(generic.promptFor('[root@centos ~]#').test('\r\n[root@centos2 ~]# ')).toBe(false);
    // bash 5.1+ turns bracketed paste on in front of every prompt
    expect(generic.promptName('\x1b[?2004hroot@vm:~# ')).toBe('root@vm:~#');
    expect(generic.promptFor('root@vm:~#').test('\r\n\x1b[?2004hroot@vm:~# ')).toBe(true);
    // and on an xterm, an erase to the end of the line after it
    expect(generic.prompt.test('\r\n\x1b]0;u@vm: ~\x07u@vm:~$ \x1b[K')).toBe(true);
    expect(generic.promptFor('u@vm:~$').test('\r\n\x1b]0;u@vm: ~\x07u@vm:~$ \x1b[K')).toBe(true);
  });
  it('returns null for a line that is not a prompt of the platform', () => {
    expect(DRIVERS.huawei_vrp.promptName('vrp8>')).toBeNull();
    expect(DRIVERS.cisco_ios.promptName('<sw1>')).toBeNull();
    expect(DRIVERS.cisco_nxos.promptName('sw1>')).toBeNull();
    expect(DRIVERS.juniper_junos.promptName('sw1(config)#')).toBeNull();
  });
});

describe('error patterns hold to the start of a line', () => {
  it.each([
    ['huawei_vrp', ' description Error: foo'],
    ['huawei_vrp', 'Info: Error: is just a word here'],
    ['cisco_ios', ' description % Invalid input'],
    ['cisco_ios', '  5 minute input rate 0 bits/sec, 0 packets/sec\r\n     0 input errors, 0 CRC'],
    ['juniper_junos', '    description "error: none";'],
    ['generic', 'cat: notes: see "bash: x: command not found" below'],
  ] as const)('%s: %j', (vendor, output) => {
    expect(outputIsError(DRIVERS[vendor], output)).toBe(false);
  });
});
