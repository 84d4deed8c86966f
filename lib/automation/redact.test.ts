import { describe, expect, it } from 'vitest';

import { DRIVERS } from '../devices/drivers';
import { SECRETS_FIXTURES, type SecretsFixture } from '../devices/drivers/fixtures/secrets';
import { redactSecrets, SECRET_MARK } from './redact';

/** The fixture as the device prints it, and as redaction must leave it. */
function texts(f: SecretsFixture): { shown: string; redacted: string; secrets: number } {
  const shown: string[] = [];
  const redacted: string[] = [];
  let secrets = 0;
  for (const line of f.lines) {
    if (typeof line === 'string') {
      shown.push(line);
      redacted.push(line);
      continue;
    }
    const [before, after] = line;
    shown.push(before);
    if (after === null) continue;
    redacted.push(after.replaceAll('<>', SECRET_MARK));
    secrets += after.split('<>').length - 1;
  }
  return { shown: shown.join('\n'), redacted: redacted.join('\n'), secrets };
}

describe('redactSecrets on running configurations', () => {
  for (const f of SECRETS_FIXTURES) {
    describe(`${f.vendor}: ${f.command}`, () => {
      const { shown, redacted, secrets } = texts(f);

      it('hides exactly the secrets, keeping keywords and every other line', () => {
        const out = redactSecrets(shown, f.vendor);
        expect(out.text.split('\n')).toEqual(redacted.split('\n'));
        expect(out.hidden).toBe(secrets);
      });

      it('keeps CR LF line ends', () => {
        const out = redactSecrets(shown.replaceAll('\n', '\r\n'), f.vendor);
        expect(out.text).toBe(redacted.replaceAll('\n', '\r\n'));
      });

      it('is idempotent: a second pass changes and counts nothing', () => {
        const once = redactSecrets(shown, f.vendor).text;
        expect(redactSecrets(once, f.vendor)).toEqual({ text: once, hidden: 0 });
      });

      it('never leaves a line with only the mark, nor a secret in view', () => {
        const out = redactSecrets(shown, f.vendor).text;
        for (const line of out.split('\n')) {
          if (line.includes(SECRET_MARK) && !/^-----BEGIN|^<secret hidden>$/.test(line)) {
            expect(line.replace(SECRET_MARK, '').replace(/["; ]/g, ''), line).not.toBe('');
          }
        }
        for (const line of f.lines) {
          if (typeof line === 'string' || line[1] === null) continue;
          // the value that was hidden: what the redacted line does not keep
          const [before, after] = line;
          const [head, tail = ''] = after.split('<>');
          const value = before.slice(head!.length, before.length - (tail.split('<>')[0]?.length ?? 0));
          if (value.length > 3 && !after.includes('<>', head!.length + 2)) expect(out).not.toContain(value);
        }
      });

      it('the generic driver (unknown platforms) hides the same secrets', () => {
        expect(redactSecrets(shown, 'no-such-vendor').text).toBe(redacted);
      });
    });
  }
});

describe('redactSecrets: what it keeps', () => {
  it('exposes the mark as a constant', () => {
    expect(SECRET_MARK).toBe('<secret hidden>');
  });

  it('leaves a configuration without secrets as it is', () => {
    const text = [
      'interface Vlanif10',
      ' description password-reset-vlan',
      ' description cipher simple plain key-string words stay',
      'ssh server cipher aes256_gcm aes128_gcm',
      'service password-encryption',
      'key chain OSPF-KEYS',
      ' key 1',
    ].join('\n');
    for (const vendor of Object.keys(DRIVERS))
      expect(redactSecrets(text, vendor)).toEqual({ text, hidden: 0 });
  });

  it('keeps the structure of a key block and hides only its body', () => {
    const pem = [
      'crypto pki import',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
      'QyNTUxOQAAACBzZWNyZXQta2V5LWJvZHktZ29lcy1oZXJlLW5vdC1yZWFsAAAAAA==',
      '-----END OPENSSH PRIVATE KEY-----',
      '-----BEGIN CERTIFICATE-----',
      'MIIBszCCAVmgAwIBAgIUQ==',
      '-----END CERTIFICATE-----',
    ].join('\n');
    for (const vendor of Object.keys(DRIVERS)) {
      const out = redactSecrets(pem, vendor);
      expect(out.text.split('\n')).toEqual([
        'crypto pki import',
        '-----BEGIN OPENSSH PRIVATE KEY-----',
        SECRET_MARK,
        '-----END OPENSSH PRIVATE KEY-----',
        '-----BEGIN CERTIFICATE-----',
        'MIIBszCCAVmgAwIBAgIUQ==',
        '-----END CERTIFICATE-----',
      ]);
      expect(out.hidden).toBe(1);
    }
  });

  it('hides a truncated key block to the end of the output', () => {
    const out = redactSecrets('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBdP0x1', 'generic');
    expect(out.text).toBe(`-----BEGIN EC PRIVATE KEY-----\n${SECRET_MARK}`);
  });
});

/** The processor time `run` takes, in ms (this process's, whatever else the machine runs). */
function cpuTime<T>(run: () => T): { result: T; ms: number } {
  const before = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(before);
  return { result, ms: (used.user + used.system) / 1000 };
}

/**
 * How redaction's time grows with its input: the processor time per byte at `bytes` against that at
 * a quarter of it. Each sample handles the same number of bytes (the quarter-size input four times
 * over), so a sample of either size lasts as long as the other, and the best of three samples taken
 * in turn is as likely to catch a quiet moment of the machine (which CI shares with the other
 * suites) for one size as for the other; a short sample would catch more of them, and once (at
 * 10 ms against 40) came out 2.9 times faster per byte. For one long line both sizes must be larger
 * than the processor's caches: below a few MiB a line stays cached while each rule's hint is looked
 * for in it, and per byte took a third of the time (0.4 ms per MiB at 0.5 MiB, 1.6 at 5, 1.8 at 20),
 * whatever the algorithm; short lines are looked at one by one at any size. Linear work gives about
 * 1; backtracking that grows with the square of the input gives about 4. Also the time at full size.
 */
function growth(make: (bytes: number) => string, bytes: number): { ratio: number; ms: number } {
  const small = make(Math.ceil(bytes / 4));
  const big = make(bytes);
  const repeats = Math.max(1, Math.round(big.length / small.length));
  let smallMs = Infinity;
  let bigMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const { ms } = cpuTime(() => {
      for (let r = 0; r < repeats; r++) redactSecrets(small, 'generic');
    });
    smallMs = Math.min(smallMs, ms / repeats);
    bigMs = Math.min(bigMs, cpuTime(() => redactSecrets(big, 'generic')).ms);
  }
  return { ratio: bigMs / big.length / (Math.max(smallMs, 0.1) / small.length), ms: bigMs };
}

describe('redactSecrets on hostile input', () => {
  it('never throws, whatever it is given', () => {
    const inputs = [
      '',
      '\n\n\n',
      'password',
      ' password ',
      'snmp-server community',
      'enable secret 9',
      '"',
      '-----BEGIN RSA PRIVATE KEY-----',
      '-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----',
      ' cipher "unterminated',
      '\u0000\uffff\ud800 cipher \ud800',
      `${SECRET_MARK} cipher ${SECRET_MARK}`,
    ];
    for (const vendor of [...Object.keys(DRIVERS), 'unknown', '__proto__', '']) {
      for (const text of inputs) expect(() => redactSecrets(text, vendor)).not.toThrow();
    }
    expect(redactSecrets(undefined as unknown as string, 'cisco_ios')).toEqual({ text: '', hidden: 0 });
  });

  it('redacts a 5 MiB configuration dense with secrets in time linear in its size', () => {
    const all = SECRETS_FIXTURES.map((f) => texts(f).shown).join('\n');
    const config = (bytes: number) =>
      Array.from({ length: Math.ceil(bytes / all.length) }, () => all).join('\n');
    const big = config(5 * 1024 * 1024);
    const copies = Math.ceil((5 * 1024 * 1024) / all.length);
    expect(redactSecrets(big, 'generic').hidden).toBeGreaterThan(copies * 50);
    const { ratio, ms } = growth(config, 5 * 1024 * 1024);
    expect(ratio).toBeLessThan(2.5);
    // about 0.3 s on a quiet machine of this kind; the ceiling is for a busy one
    expect(ms).toBeLessThan(5000);
  });

  it('stays linear on a 20 MiB single line of secret-like fragments', () => {
    for (const unit of [
      ' cipher ',
      ' password ',
      'snmp-server community x ',
      '%^%#',
      ' key 7 ',
      '"',
      '-----',
    ]) {
      // a line this long is out of the processor's caches at a quarter of it too (see growth)
      const { ratio, ms } = growth((bytes) => unit.repeat(Math.ceil(bytes / unit.length)), 20 * 1024 * 1024);
      expect(ratio, unit).toBeLessThan(2.5);
      expect(ms, unit).toBeLessThan(5000);
    }
    // 7 fragments, 3 samples of 40 MiB each: about 7 s on a quiet machine, 22 s at a load of 4
  }, 60_000);
});
