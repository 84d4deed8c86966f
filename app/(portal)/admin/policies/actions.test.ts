import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CurrentUser } from '@/lib/auth/session';
import { defaultLabFleet } from '@/lab';
import { setRuntime } from '@/lib/server/registry';
import { LAB_CREDS, startPortal, type Portal } from '@/tests/harness';

/**
 * The policies page's Server Actions against a real runtime: the form's fields reach the rule (and
 * its errors come back per field, the bad pattern named), rules move and are deleted, the tester
 * names the deciding rule and its place; malformed arguments and non-admins get nothing.
 */
let acting: CurrentUser | null = null;
vi.mock('@/lib/auth/session', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/auth/session')>()),
  getCurrentUser: async () => acting,
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

const actions = await import('./actions');

let portal: Portal;
let admin: CurrentUser;

function form(fields: Record<string, string | string[]>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) fd.append(k, x);
  return fd;
}

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(2, LAB_CREDS) }); // lab-vrp-01, lab-ios-01
  setRuntime(portal.runtime);
  admin = { id: portal.users.admin, username: 'admin', displayName: '', role: 'admin' };
});
afterAll(async () => {
  setRuntime(undefined);
  await portal?.close();
});

describe('policies page actions', () => {
  it('refuse malformed arguments before anything runs, and non-admins', async () => {
    acting = admin;
    const bad: [string, Promise<unknown>][] = [
      ['create without FormData', actions.createRuleAction({}, { name: 'x' } as never)],
      ['create with a filter as before', actions.createRuleAction({}, form({ before: '{"in":[]}' }))],
      ['update with a filter id', actions.updateRuleAction({ not: '' } as never, {}, form({}))],
      ['delete with a number', actions.deleteRuleAction(7 as never)],
      ['move sideways', actions.moveRuleAction('r1', 'sideways' as never)],
      ['restore with an argument', actions.restoreBuiltinsAction('all')],
      [
        'test with an extra key',
        actions.testPolicyAction({
          command: 'x',
          deviceId: 'd',
          userId: 'u',
          mode: null,
          role: 'admin',
        } as never),
      ],
      [
        'test with a bad mode',
        actions.testPolicyAction({ command: 'x', deviceId: 'd', userId: 'u', mode: 'root' as never }),
      ],
    ];
    for (const [name, p] of bad) expect(JSON.stringify(await p), name).toContain('The request was not valid');
    acting = { ...admin, id: portal.users.operator, role: 'operator' };
    expect(await actions.restoreBuiltinsAction()).toEqual({ error: 'Your role does not allow this.' });
    acting = null;
    expect(await actions.moveRuleAction('r1', 'up')).toEqual({
      error: 'Your session has ended. Sign in again.',
    });
  });

  it('add a rule from the form, with its errors per field; move it up; the tester names it; delete it', async () => {
    acting = admin;
    const { policy } = portal.runtime;
    const count = (await policy.list()).length;
    const fields = {
      name: 'No reloads (form)',
      action: 'deny',
      matchKind: 'regex',
      patterns: 'reload\n(a+)+$\n',
      vendors: 'cisco_ios',
      roles: 'operator',
      modes: ['exec', 'config'],
      enabled: 'on',
    };
    const refused = await actions.createRuleAction({}, form(fields));
    expect(refused.errors?.patterns).toMatch(/^«\(a\+\)\+\$»: Nested repetition/);
    expect(refused.values).toMatchObject({ name: fields.name, modes: ['exec', 'config'], notify: false });
    expect((await policy.list()).length).toBe(count);

    const made = await actions.createRuleAction(
      {},
      form({ ...fields, matchKind: 'words', patterns: 'reload *' }),
    );
    expect(made).toMatchObject({ ok: 'Rule “No reloads (form)” added.', saved: expect.any(Number) });
    let rules = await policy.list();
    const rule = rules.at(-1)!;
    expect(rule).toMatchObject({
      name: fields.name,
      enabled: true,
      notify: false,
      patterns: ['reload *'],
      vendors: ['cisco_ios'],
      roles: ['operator'],
      modes: ['exec', 'config'],
    });
    expect(await actions.moveRuleAction(rule.id, 'up')).toEqual({
      ok: `Rule “${fields.name}” is now rule ${count}.`,
    });

    const ios = await portal.deviceId('lab-ios-01');
    const judged = await actions.testPolicyAction({
      command: 'rel',
      deviceId: ios,
      userId: portal.users.operator,
      mode: 'exec',
    });
    // the built-in IOS rule (confirm) still comes first
    expect(judged.result).toMatchObject({
      action: 'confirm',
      role: 'operator',
      modeLabel: 'privileged EXEC',
    });
    rules = await policy.list();
    const builtinAt = rules.findIndex((r) => r.builtin === 'destructive-ios');
    for (let i = rules.findIndex((r) => r.id === rule.id); i > builtinAt; i--)
      expect((await actions.moveRuleAction(rule.id, 'up')).ok).toBeTruthy();
    const denied = await actions.testPolicyAction({
      command: 'rel',
      deviceId: ios,
      userId: portal.users.operator,
      mode: 'exec',
    });
    expect(denied.result).toMatchObject({
      action: 'deny',
      rule: { id: rule.id, name: fields.name, place: builtinAt + 1 },
      command: 'rel',
    });
    const unknownMode = await actions.testPolicyAction({
      command: 'rel',
      deviceId: ios,
      userId: portal.users.operator,
      mode: null,
    });
    // a mode not known is covered by rules that restrict (not knowing never opens anything)
    expect(unknownMode.result).toMatchObject({ action: 'deny', mode: null, modeLabel: null });
    expect(
      await actions.testPolicyAction({ command: 'rel', deviceId: 'nowhere', userId: admin.id, mode: null }),
    ).toEqual({ error: 'No such device.' });

    const saved = await actions.updateRuleAction(rule.id, {}, form({ ...fields, name: '', patterns: '' }));
    expect(Object.keys(saved.errors ?? {}).sort()).toEqual(['name', 'patterns']);
    expect(saved.errors?.name).toBe('Give the rule a name.');

    expect(await actions.deleteRuleAction(rule.id)).toEqual({ ok: `Rule “${fields.name}” deleted.` });
    expect(await actions.deleteRuleAction(rule.id)).toEqual({
      error: 'No such rule (it may have just been deleted).',
    });
    expect((await policy.list()).length).toBe(count);
  });
});
