import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as listRoute from '../app/api/v1/policies/route';
import * as oneRoute from '../app/api/v1/policies/[id]/route';
import * as moveRoute from '../app/api/v1/policies/[id]/move/route';
import * as restoreRoute from '../app/api/v1/policies/restore/route';
import * as testRoute from '../app/api/v1/policies/test/route';
import { defaultLabFleet } from '../lab';
import { setRuntime } from '../lib/server/registry';
import { call, mintToken } from './api-client';
import { LAB_CREDS, startPortal, type Portal } from './harness';

/**
 * /api/v1/policies…: an admin lists the guard rails in order, adds a rule (at the end or before
 * another), moves, changes and deletes it, restores the built-in ones, and asks which rule decides a
 * command line; patterns that do not compile or backtrack catastrophically are refused naming
 * `patterns`; operators are refused; an unknown rule is not found.
 */
let portal: Portal;
const tokens = { admin: '', adminRead: '', op: '' };

interface RuleJson {
  id: string;
  position: number;
  name: string;
  enabled: boolean;
  match_kind: string;
  patterns: string[];
  action: string;
  notify: boolean;
  vendors: string[];
  group_ids: string[];
  user_ids: string[];
  team_ids: string[];
  roles: string[];
  modes: string[];
  builtin: string | null;
}

const list = async (token = tokens.admin) => {
  const r = await call(listRoute.GET, { token, path: '/policies' });
  expect(r.status, r.text).toBe(200);
  return r.json.items as RuleJson[];
};
const create = (body: unknown, token = tokens.admin) =>
  call(listRoute.POST, { token, method: 'POST', path: '/policies', body });
const one = (id: string, method = 'GET', body?: unknown, token = tokens.admin) =>
  call(method === 'GET' ? oneRoute.GET : method === 'PATCH' ? oneRoute.PATCH : oneRoute.DELETE, {
    token,
    method,
    path: `/policies/${id}`,
    params: { id },
    body,
  });
const move = (id: string, direction: string, token = tokens.admin) =>
  call(moveRoute.POST, {
    token,
    method: 'POST',
    path: `/policies/${id}/move`,
    params: { id },
    body: { direction },
  });
const judge = (body: unknown, token = tokens.admin) =>
  call(testRoute.POST, { token, method: 'POST', path: '/policies/test', body });

const NO_RELOAD = {
  name: 'No reloads for operators (IOS)',
  patterns: ['reload *'],
  action: 'deny',
  vendors: ['cisco_ios'],
  roles: ['operator'],
};

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(2, LAB_CREDS) }); // lab-vrp-01, lab-ios-01
  setRuntime(portal.runtime);
  tokens.admin = (await mintToken(portal.runtime, portal.users.admin, 'write')).token;
  tokens.adminRead = (await mintToken(portal.runtime, portal.users.admin, 'read', 'admin-read')).token;
  tokens.op = (await mintToken(portal.runtime, portal.users.operator, 'write')).token;
}, 60_000);
afterAll(async () => {
  setRuntime(undefined);
  await portal?.close();
});

describe('the rules, in order', () => {
  it('lists the built-in rules first to last, numbered from 1, in snake_case', async () => {
    const rules = await list();
    expect(rules.map((r) => r.position)).toEqual(rules.map((_, i) => i + 1));
    expect(rules[0]).toMatchObject({
      position: 1,
      builtin: 'read-only-viewers',
      action: 'allow',
      match_kind: 'words',
      roles: ['viewer'],
      modes: ['user', 'exec'],
      group_ids: [],
      user_ids: [],
      team_ids: [],
    });
    expect(rules.map((r) => r.builtin)).toContain('destructive-ios');
    // a read token reads them too
    expect((await call(listRoute.GET, { token: tokens.adminRead, path: '/policies' })).status).toBe(200);
  });

  it('adds a rule at the end, then another before the first; moves one up and down', async () => {
    const before = await list();
    const made = await create(NO_RELOAD);
    expect(made.status, made.text).toBe(201);
    expect(made.json).toMatchObject({
      ...NO_RELOAD,
      position: before.length + 1,
      enabled: true,
      notify: false,
      match_kind: 'words',
      builtin: null,
    });
    const id = made.json.id as string;

    const first = await create({
      name: 'Top rule',
      patterns: ['debug all'],
      action: 'confirm',
      before: before[0]!.id,
    });
    expect(first.status, first.text).toBe(201);
    expect(first.json.position).toBe(1);
    expect((await list()).map((r) => r.name).slice(0, 2)).toEqual(['Top rule', before[0]!.name]);

    const up = await move(id, 'up');
    expect(up.status, up.text).toBe(200);
    expect(up.json.position).toBe(before.length + 1); // was last of before.length + 2
    const down = await move(id, 'down');
    expect(down.json.position).toBe(before.length + 2);
    // already last: it stays
    expect((await move(id, 'down')).json.position).toBe(before.length + 2);
    const top = await move(first.json.id as string, 'up');
    expect(top.json.position).toBe(1);
    expect((await move(id, 'sideways')).status).toBe(422);

    expect((await one(first.json.id as string, 'DELETE')).status).toBe(204);
    expect((await list()).map((r) => r.id)).toEqual([...before.map((r) => r.id), id]);
  });

  it('refuses a catastrophic regex and a malformed one with 422 naming patterns, and creates nothing', async () => {
    const count = (await list()).length;
    const nested = await create({ name: 'Bad', match_kind: 'regex', patterns: ['(a+)+$'], action: 'deny' });
    expect(nested.status).toBe(422);
    expect(nested.headers.get('content-type')).toBe('application/problem+json');
    expect(nested.json.code).toBe('invalid');
    const errors = nested.json.errors as Record<string, string>;
    expect(Object.keys(errors)).toEqual(['patterns']);
    expect(errors.patterns).toMatch(/«\(a\+\)\+\$»: Nested repetition/);

    const malformed = await create({
      name: 'Bad',
      match_kind: 'regex',
      patterns: ['show', '('],
      action: 'deny',
    });
    expect(malformed.status).toBe(422);
    expect((malformed.json.errors as Record<string, string>).patterns).toMatch(/^«\(»: Not a valid pattern/);

    const empty = await create({ name: ' ', patterns: [' '], action: 'deny', match_kind: 'words' });
    expect(empty.status).toBe(422);
    expect(Object.keys(empty.json.errors as object).sort()).toEqual(['name', 'patterns']);

    // the API's own checks: unknown fields, vendors and modes are named too
    const odd = await create({ ...NO_RELOAD, vendors: ['cisco_ios', 'acme'], colour: 'red' });
    expect(odd.status).toBe(422);
    expect(Object.keys(odd.json.errors as object)).toEqual(expect.arrayContaining(['vendors.1']));
    const gone = await create({ ...NO_RELOAD, before: 'c0000000000000000000000000' });
    expect([gone.status, Object.keys(gone.json.errors as object)]).toEqual([422, ['before']]);

    expect((await list()).length).toBe(count);
  });
});

describe('one rule', () => {
  it('reads, changes the fields given (the rest stay), refuses a bad pattern, deletes; then it is not found', async () => {
    const made = await create({ ...NO_RELOAD, name: 'Changing' });
    const id = made.json.id as string;
    const got = await one(id);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(made.json);

    const patched = await one(id, 'PATCH', { name: 'Changed', enabled: false, modes: ['exec'] });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({
      id,
      name: 'Changed',
      enabled: false,
      modes: ['exec'],
      patterns: NO_RELOAD.patterns,
      vendors: NO_RELOAD.vendors,
      roles: NO_RELOAD.roles,
      action: 'deny',
      position: made.json.position,
    });
    const bad = await one(id, 'PATCH', { match_kind: 'regex', patterns: ['(x*)*'] });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors as object)).toEqual(['patterns']);
    expect((await one(id)).json.name).toBe('Changed');

    expect((await one(id, 'DELETE')).status).toBe(204);
    for (const r of [
      await one(id),
      await one(id, 'PATCH', { name: 'x' }),
      await one(id, 'DELETE'),
      await move(id, 'up'),
      await one('c0000000000000000000000000'),
    ]) {
      expect([r.status, r.json.code]).toEqual([404, 'not_found']);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('restores the built-in rules: a deleted one comes back at the top, an edited one as shipped', async () => {
    const rules = await list();
    const ios = rules.find((r) => r.builtin === 'destructive-ios')!;
    const viewers = rules.find((r) => r.builtin === 'read-only-viewers')!;
    expect((await one(ios.id, 'DELETE')).status).toBe(204);
    expect((await one(viewers.id, 'PATCH', { name: 'Viewers, renamed', enabled: false })).status).toBe(200);
    const r = await call(restoreRoute.POST, {
      token: tokens.admin,
      method: 'POST',
      path: '/policies/restore',
    });
    expect(r.status, r.text).toBe(200);
    const items = r.json.items as RuleJson[];
    expect(r.json.restored).toBe(items.filter((x) => x.builtin).length);
    expect(items.find((x) => x.builtin === 'destructive-ios')!.position).toBe(1);
    expect(items.find((x) => x.builtin === 'read-only-viewers')).toMatchObject({
      name: viewers.name,
      enabled: true,
    });
    expect(items.map((x) => x.id)).toEqual((await list()).map((x) => x.id));
  });
});

describe('which rule decides', () => {
  it('names the rule, its place and the mode as the vendor calls it; the role’s default when none matches', async () => {
    const rules = await list();
    const ios = rules.find((r) => r.builtin === 'destructive-ios')!;
    const ours = rules.find((r) => r.name === NO_RELOAD.name)!;
    expect(ours.position).toBeGreaterThan(ios.position);

    // the built-in IOS rule (confirm) comes first
    const confirm = await judge({ command: 'rel', device: 'lab-ios-01', user: 'op', mode: 'exec' });
    expect(confirm.status, confirm.text).toBe(200);
    expect(confirm.json).toMatchObject({
      action: 'confirm',
      rule: { id: ios.id, name: ios.name, position: ios.position, notify: false },
      command: 'rel',
      mode: 'exec',
      mode_label: 'privileged EXEC',
      device: { name: 'lab-ios-01', vendor: 'cisco_ios' },
      user: { id: portal.users.operator, username: 'op', role: 'operator' },
    });
    expect(confirm.json.reason).toMatch(/asks to confirm «rel»/);

    // moved above it, ours decides: deny
    for (let i = ours.position; i > ios.position; i--) expect((await move(ours.id, 'up')).status).toBe(200);
    const deny = await judge({
      command: 'rel',
      device: await portal.deviceId('lab-ios-01'),
      user: portal.users.operator,
    });
    expect(deny.json).toMatchObject({
      action: 'deny',
      rule: { id: ours.id, name: NO_RELOAD.name, position: ios.position },
      mode: null,
      mode_label: null,
    });
    // on VRP (another vendor) the built-in VRP rule decides; for the admin (another role) none: allow
    const vrp = await judge({ command: 'reboot', device: 'lab-vrp-01', user: 'op2', mode: 'config' });
    expect(vrp.json).toMatchObject({ action: 'confirm', mode_label: 'system view' });
    const mine = await judge({ command: 'rel', device: 'lab-ios-01' });
    expect(mine.json).toMatchObject({ action: 'allow', rule: null, user: { username: 'admin' } });
    expect(mine.json.reason).toBe('«rel» is allowed.');
    // a viewer: the built-in read-only rules
    const viewer = await judge({ command: 'dis cur', device: 'lab-vrp-01', user: 'viewer', mode: 'user' });
    expect(viewer.json).toMatchObject({ action: 'allow', rule: { name: 'Read-only terminal (viewers)' } });
    // a read token may ask (nothing changes)
    expect((await judge({ command: 'rel', device: 'lab-ios-01' }, tokens.adminRead)).status).toBe(200);
  });

  it('names an unknown device or user, or a bad mode, as a field', async () => {
    const r = await judge({ command: 'rel', device: 'nowhere', user: 'nobody' });
    expect(r.status).toBe(422);
    expect(Object.keys(r.json.errors as object).sort()).toEqual(['device', 'user']);
    const m = await judge({ command: 'rel', device: 'lab-ios-01', mode: 'enable' });
    expect([m.status, Object.keys(m.json.errors as object)]).toEqual([422, ['mode']]);
  });
});

describe('who may', () => {
  it('refuses operators (403) on every route, and a read token on writes', async () => {
    const id = (await list())[0]!.id;
    const refused = [
      await call(listRoute.GET, { token: tokens.op, path: '/policies' }),
      await create(NO_RELOAD, tokens.op),
      await one(id, 'GET', undefined, tokens.op),
      await one(id, 'PATCH', { name: 'x' }, tokens.op),
      await one(id, 'DELETE', undefined, tokens.op),
      await move(id, 'down', tokens.op),
      await call(restoreRoute.POST, { token: tokens.op, method: 'POST', path: '/policies/restore' }),
      await judge({ command: 'rel', device: 'lab-ios-01' }, tokens.op),
    ];
    for (const r of refused) expect([r.status, r.json.code]).toEqual([403, 'role']);
    const read = await create(NO_RELOAD, tokens.adminRead);
    expect([read.status, read.json.code]).toEqual([403, 'read_only_token']);
    expect((await one(id)).json.id).toBe(id); // unchanged
  });
});
