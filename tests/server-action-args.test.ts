import { describe, expect, it } from 'vitest';
import * as users from '../app/(portal)/admin/users/actions';
import * as devices from '../app/(portal)/devices/actions';
import * as notifications from '../app/(portal)/notifications/actions';
import * as tasks from '../app/(portal)/tasks/actions';

/**
 * A Server Action is a public endpoint: its arguments arrive as JSON from whoever calls it, not as
 * the types its signature claims. Each call below is refused with a value before the action looks
 * at the session or the database (none exists in this test: reaching either would throw).
 */
const fd = () => new FormData();
const filter = { in: [] as string[] };
const long = 'x'.repeat(10_000);

type AnyAction = (...args: never[]) => Promise<unknown>;
const cases: [string, AnyAction, unknown[]][] = [
  ['createDeviceAction: no FormData', devices.createDeviceAction, [{}, { name: 'x' }]],
  ['updateDeviceAction: filter id', devices.updateDeviceAction, [filter, {}, fd()]],
  ['updateDeviceAction: FormData missing', devices.updateDeviceAction, ['dev1', {}, 'name=x']],
  ['deleteDeviceAction: filter id', devices.deleteDeviceAction, [{ not: 'x' }]],
  ['deleteDeviceAction: huge id', devices.deleteDeviceAction, [long]],
  ['acceptHostKeyAction: filter fingerprint', devices.acceptHostKeyAction, ['dev1', { not: '' }]],
  ['forgetHostKeyAction: array id', devices.forgetHostKeyAction, [['dev1']]],
  ['setLabDeviceUpAction: string boolean', devices.setLabDeviceUpAction, ['lab-vrp-01', 'yes']],
  ['setLabDeviceUpAction: filter name', devices.setLabDeviceUpAction, [filter, true]],
  ['markReadAction: not a list', notifications.markReadAction, ['n1']],
  ['markReadAction: filters in the list', notifications.markReadAction, [[{ not: 'x' }]]],
  [
    'markReadAction: too many',
    notifications.markReadAction,
    [Array.from({ length: 1001 }, (_, i) => `n${i}`)],
  ],
  ['savePreferencesAction: no FormData', notifications.savePreferencesAction, [{}, { kind: ['x'] }]],
  ['createTaskAction: no FormData', tasks.createTaskAction, [{}, {}]],
  ['cancelTaskAction: filter id', tasks.cancelTaskAction, [filter]],
  ['cancelTaskAction: number id', tasks.cancelTaskAction, [42]],
  ['retryFailedAction: null id', tasks.retryFailedAction, [null]],
  ['createUserAction: no FormData', users.createUserAction, [{}, null]],
  ['setRoleAction: filter user id', users.setRoleAction, [filter, 'admin']],
  ['setRoleAction: filter role', users.setRoleAction, ['u1', { in: ['admin'] }]],
  ['setDisabledAction: string boolean', users.setDisabledAction, ['u1', 'true']],
  ['resetPasswordAction: filter user id', users.resetPasswordAction, [filter, {}, fd()]],
  ['setGrantsAction: no FormData', users.setGrantsAction, ['u1', {}, 'device=d1']],
];

describe('Server Action arguments are validated before anything runs', () => {
  for (const [name, action, args] of cases) {
    it(name, async () => {
      const result = await (action as (...a: unknown[]) => Promise<unknown>)(...args);
      expect(JSON.stringify(result)).toContain('Invalid request');
    });
  }
});
