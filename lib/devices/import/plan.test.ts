import { describe, expect, it } from 'vitest';
import { planImport, type ExistingDevice, type JumpCandidate, type PlanContext } from './plan';
import { rowsFromCsv } from './rows';

/** A stored device; its "sealed" secrets are `plain:<value>` (the context opens them). */
function stored(name: string, extra: Partial<ExistingDevice> = {}): ExistingDevice {
  return {
    id: `id-${name}`,
    name,
    host: '10.0.0.1',
    port: 22,
    vendor: 'huawei_vrp',
    encoding: 'utf-8',
    username: 'netops',
    authType: 'password',
    notes: '',
    transport: 'ssh',
    kind: 'device',
    sshAlgorithms: 'modern',
    maxSessions: null,
    jumpHostName: null,
    secretEnc: 'plain:pw',
    passphraseEnc: null,
    enableSecretEnc: null,
    groups: [],
    access: 'operate',
    ...extra,
  };
}

function ctx(devices: ExistingDevice[] = [], over: Partial<PlanContext> = {}): PlanContext {
  return {
    isAdmin: true,
    existing: new Map(devices.map((d) => [d.name, d])),
    groups: new Map([['site:dc1', 'site:dc1']]),
    jumpHosts: new Map<string, JumpCandidate>(),
    jumpMaxHops: 3,
    openSecret(d, field) {
      const s = field === 'secret' ? d.secretEnc : field === 'enable' ? d.enableSecretEnc : d.passphraseEnc;
      return s?.startsWith('plain:') ? s.slice(6) : null;
    },
    ...over,
  };
}

const HEADER = 'name,host,port,vendor,encoding,username,password,private_key,enable_secret,groups,notes';

function plan(csv: string, c: PlanContext = ctx()) {
  const rows = rowsFromCsv(csv);
  if (!rows.ok) throw new Error(rows.error);
  return planImport(rows.rows, c);
}

describe('planImport', () => {
  it('a new row needs a password or a key; with one it is new', () => {
    const p = plan(
      `${HEADER}\nsw1,10.0.0.1,22,huawei_vrp,utf-8,netops,pw,,,,\nsw2,10.0.0.2,22,cisco_ios,utf-8,netops,,,,,\n`,
    );
    expect(p.rows.map((r) => [r.line, r.action])).toEqual([
      [2, 'new'],
      [3, 'error'],
    ]);
    expect(p.rows[1]!.error).toBe('password: a new device needs a password or a private key.');
    expect(p.summary).toEqual({ new: 1, changed: 0, unchanged: 0, error: 1 });
  });

  it('duplicate names: the later lines are errors naming the first line', () => {
    const p = plan(
      `${HEADER}\nsw1,h1,22,generic,utf-8,u,pw,,,,\nsw2,h2,22,generic,utf-8,u,pw,,,,\nsw1,h3,22,generic,utf-8,u,pw,,,,\nsw1,h4,22,generic,utf-8,u,pw,,,,\n`,
    );
    expect(p.rows.map((r) => r.action)).toEqual(['new', 'new', 'error', 'error']);
    expect(p.rows[2]!.error).toMatch(/the same name as line 2/);
    expect(p.rows[3]!.error).toMatch(/the same name as line 2/);
  });

  it('unknown vendors, ports out of range and bad encodings are row errors', () => {
    const p = plan(
      `${HEADER}\nsw1,h1,22,nokia_sros,utf-8,u,pw,,,,\nsw2,h2,70000,generic,utf-8,u,pw,,,,\nsw3,h3,0,generic,utf-8,u,pw,,,,\nsw4,h4,22,generic,latin1,u,pw,,,,\nsw5,h5,ssh,generic,utf-8,u,pw,,,,\n`,
    );
    expect(p.rows.map((r) => r.error)).toEqual([
      expect.stringMatching(/^vendor: unknown vendor "nokia_sros" \(one of huawei_vrp, .*, or auto\)/),
      'port: Port must be between 1 and 65535.',
      'port: Port must be between 1 and 65535.',
      'encoding: unknown encoding "latin1" (one of utf-8, gbk, gb18030, big5, shift_jis).',
      'port: Port must be a number.',
    ]);
  });

  it('a cell starting with = is kept as text in notes', () => {
    const p = plan(`${HEADER}\nsw1,h1,22,generic,utf-8,u,pw,,,,"=HYPERLINK(""http://x"")"\n`);
    expect(p.rows[0]!.action).toBe('new');
    expect(p.rows[0]!.write!.value.notes).toBe('=HYPERLINK("http://x")');
  });

  it('vendor auto: keeps the stored vendor, a new device is generic with a note', () => {
    const p = plan(
      `${HEADER}\nsw1,10.0.0.1,22,auto,utf-8,netops,,,,,\nsw2,h2,22,AUTO,utf-8,u,pw,,,,\n`,
      ctx([stored('sw1')]),
    );
    expect(p.rows[0]).toMatchObject({ action: 'unchanged' });
    expect(p.rows[1]).toMatchObject({ action: 'new', note: expect.stringMatching(/generic; Detect vendor/) });
    expect(p.rows[1]!.write!.value.vendor).toBe('generic');
  });

  describe('secrets are write-only', () => {
    const sw1 = stored('sw1');
    it('an empty password keeps the stored one while host, port and username stay', () => {
      const p = plan(`${HEADER}\nsw1,10.0.0.1,22,huawei_vrp,utf-8,netops,,,,,new notes\n`, ctx([sw1]));
      expect(p.rows[0]).toMatchObject({ action: 'changed', fields: ['notes'] });
      expect(p.rows[0]!.write!.secretChanged).toBe(false);
    });
    it('the same password given again is not a change; another one is', () => {
      const same = plan(`${HEADER}\nsw1,10.0.0.1,22,huawei_vrp,utf-8,netops,pw,,,,\n`, ctx([sw1]));
      expect(same.rows[0]).toMatchObject({ action: 'unchanged' });
      const other = plan(`${HEADER}\nsw1,10.0.0.1,22,huawei_vrp,utf-8,netops,pw2,,,,\n`, ctx([sw1]));
      expect(other.rows[0]).toMatchObject({ action: 'changed', fields: ['password'] });
    });
    it('a changed host, port or username without the password is an error', () => {
      for (const [line, moved] of [
        ['sw1,10.0.0.9,22,huawei_vrp,utf-8,netops,,,,,', 'host'],
        ['sw1,10.0.0.1,2222,huawei_vrp,utf-8,netops,,,,,', 'port'],
        ['sw1,10.0.0.1,22,huawei_vrp,utf-8,admin,,,,,', 'username'],
      ] as const) {
        const p = plan(`${HEADER}\n${line}\n`, ctx([sw1]));
        expect(p.rows[0]!.action).toBe('error');
        expect(p.rows[0]!.error).toMatch(
          new RegExp(`^${moved} changed: give the secret again\\. password: Enter the password again`),
        );
      }
      const given = plan(`${HEADER}\nsw1,10.0.0.9,22,huawei_vrp,utf-8,netops,pw,,,,\n`, ctx([sw1]));
      expect(given.rows[0]).toMatchObject({ action: 'changed', fields: ['host'] });
      expect(given.rows[0]!.write!.endpointChanged).toBe(true);
    });
    it('a Cisco device moved without its enable secret is an error too', () => {
      const ios = stored('r1', { vendor: 'cisco_ios', enableSecretEnc: 'plain:en' });
      const p = plan(`${HEADER}\nr1,10.0.0.9,22,cisco_ios,utf-8,netops,pw,,,,\n`, ctx([ios]));
      expect(p.rows[0]!.error).toMatch(/enable_secret: Enter the enable secret again/);
    });
    it('password and private key together are refused', () => {
      const p = plan(
        `${HEADER}\nsw9,h,22,generic,utf-8,u,pw,"-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----",,,\n`,
      );
      expect(p.rows[0]!.error).toMatch(/not both/);
    });
  });

  describe('groups', () => {
    it('splits on ; and |, matches stored groups without case, creates the rest (admins)', () => {
      const p = plan(`${HEADER}\nsw1,h1,22,generic,utf-8,u,pw,,,"SITE:DC1| role:core ;role:core",\n`);
      expect(p.rows[0]).toMatchObject({
        action: 'new',
        note: expect.stringMatching(/existing group "site:dc1"/),
      });
      expect(p.rows[0]!.write!.groups).toEqual(['role:core', 'site:dc1']);
      expect(p.groupsToCreate).toEqual(['role:core']);
    });
    it('an empty cell leaves membership alone; a filled one is the exact list', () => {
      const sw1 = stored('sw1', { groups: ['site:dc1', 'role:core'] });
      const c = ctx([sw1], {
        groups: new Map([
          ['site:dc1', 'site:dc1'],
          ['role:core', 'role:core'],
        ]),
      });
      expect(plan(`${HEADER}\nsw1,10.0.0.1,22,huawei_vrp,utf-8,netops,,,,,\n`, c).rows[0]!.action).toBe(
        'unchanged',
      );
      expect(
        plan(`${HEADER}\nsw1,10.0.0.1,22,huawei_vrp,utf-8,netops,,,,role:core;site:dc1,\n`, c).rows[0]!
          .action,
      ).toBe('unchanged');
      const fewer = plan(`${HEADER}\nsw1,10.0.0.1,22,huawei_vrp,utf-8,netops,,,,site:dc1,\n`, c);
      expect(fewer.rows[0]).toMatchObject({ action: 'changed', fields: ['groups'] });
      expect(fewer.rows[0]!.write!.groups).toEqual(['site:dc1']);
    });
    it('a bad group name is an error; only admins create groups', () => {
      expect(plan(`${HEADER}\nsw1,h1,22,generic,utf-8,u,pw,,,"-bad",\n`).rows[0]!.error).toMatch(
        /^groups: "-bad"/,
      );
      const op = plan(
        `${HEADER}\nsw1,h1,22,generic,utf-8,u,pw,,,site:dc1;new-group,\n`,
        ctx([], { isAdmin: false }),
      );
      expect(op.rows[0]!.error).toMatch(/no group "new-group" \(only an admin can create groups\)/);
      expect(op.groupsToCreate).toEqual([]);
    });
  });

  it('a device the user only views may be unchanged but not changed; one they cannot see is an error', () => {
    const c = ctx([stored('v1', { access: 'view' }), stored('hidden', { access: 'none' })], {
      isAdmin: false,
    });
    const p = plan(
      `${HEADER}\nv1,10.0.0.1,22,huawei_vrp,utf-8,netops,,,,,\nv1x,h,22,generic,utf-8,u,pw,,,,\nhidden,10.0.0.1,22,huawei_vrp,utf-8,netops,,,,,\n`,
      c,
    );
    expect(p.rows.map((r) => r.action)).toEqual(['unchanged', 'new', 'error']);
    const changed = plan(`${HEADER}\nv1,10.0.0.1,22,huawei_vrp,utf-8,netops,,,,,hello\n`, c);
    expect(changed.rows[0]!.error).toMatch(/you can see v1 but not change it/);
  });

  it('a jump host may be a row earlier in the file; loops and telnet hops are refused', () => {
    const H = 'name,host,username,password,vendor,transport,jump_host';
    const ok = plan(`${H}\njump,10.0.0.1,u,pw,generic,ssh,\nsw1,10.0.0.2,u,pw,generic,ssh,jump\n`);
    expect(ok.rows.map((r) => r.action)).toEqual(['new', 'new']);
    const loop = plan(`${H}\na,10.0.0.1,u,pw,generic,ssh,b\nb,10.0.0.2,u,pw,generic,ssh,a\n`);
    expect(loop.rows[0]!.error).toMatch(/would loop/);
    const telnet = plan(`${H}\nt,10.0.0.1,u,pw,generic,telnet,\nsw1,10.0.0.2,u,pw,generic,ssh,t\n`);
    expect(telnet.rows[1]!.error).toMatch(/reached over telnet/);
    const missing = plan(`${H}\nsw1,10.0.0.2,u,pw,generic,ssh,nowhere\n`);
    expect(missing.rows[0]!.error).toMatch(/no device named nowhere/);
  });
});
