import { describe, expect, it } from 'vitest';
import * as groups from '../app/(portal)/admin/groups/actions';
import * as teams from '../app/(portal)/admin/teams/actions';
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
  ['setGrantsAction: the old FormData shape', users.setGrantsAction, ['u1', {}, fd()]],
  ['setGrantsAction: filter user id', users.setGrantsAction, [filter, { devices: [], groups: [] }]],
  ['setGrantsAction: plain ids', users.setGrantsAction, ['u1', { devices: ['d1'], groups: [] }]],
  [
    'setGrantsAction: unknown level',
    users.setGrantsAction,
    ['u1', { devices: [{ id: 'd1', level: 'admin' }], groups: [] }],
  ],
  [
    'setGrantsAction: filter in a grant id',
    users.setGrantsAction,
    ['u1', { devices: [], groups: [{ id: { not: '' }, level: 'view' }] }],
  ],
  ['setGrantsAction: extra key', users.setGrantsAction, ['u1', { devices: [], groups: [], userId: 'u2' }]],
  ['createGroupAction: no FormData', groups.createGroupAction, [{}, { name: 'x' }]],
  ['updateGroupAction: filter id', groups.updateGroupAction, [filter, {}, fd()]],
  ['groupDeleteImpactAction: array id', groups.groupDeleteImpactAction, [['g1']]],
  ['setGroupJumpHostAction: filter id', groups.setGroupJumpHostAction, [filter, {}, fd()]],
  ['setGroupJumpHostAction: no FormData', groups.setGroupJumpHostAction, ['g1', {}, { jumpHost: 'x' }]],
  ['deleteGroupAction: string boolean', groups.deleteGroupAction, ['g1', 'true']],
  ['addGroupDevicesAction: not a list', groups.addGroupDevicesAction, ['g1', 'd1']],
  ['addGroupDevicesAction: filters in the list', groups.addGroupDevicesAction, ['g1', [{ in: [] }]]],
  [
    'removeGroupDevicesAction: too many',
    groups.removeGroupDevicesAction,
    ['g1', Array.from({ length: 10_001 }, (_, i) => `d${i}`)],
  ],
  ['searchDevicesAction: filter in q', groups.searchDevicesAction, [{ q: { contains: '' }, page: 0 }]],
  ['searchDevicesAction: negative page', groups.searchDevicesAction, [{ q: '', page: -1 }]],
  ['searchDevicesAction: huge q', groups.searchDevicesAction, [{ q: long, page: 0 }]],
  [
    'searchDevicesAction: unknown scope',
    groups.searchDevicesAction,
    [{ q: '', page: 0, groupId: 'g1', scope: 'x' }],
  ],
  ['createTeamAction: no FormData', teams.createTeamAction, [{}, null]],
  ['updateTeamAction: filter id', teams.updateTeamAction, [filter, {}, fd()]],
  ['deleteTeamAction: number id', teams.deleteTeamAction, [7]],
  ['setTeamMembersAction: filter team id', teams.setTeamMembersAction, [filter, []]],
  ['setTeamMembersAction: filters in the list', teams.setTeamMembersAction, ['t1', [{ not: 'x' }]]],
  ['setTeamGrantsAction: no grant set', teams.setTeamGrantsAction, ['t1', 'devices=d1']],
  [
    'setTeamGrantsAction: unknown level',
    teams.setTeamGrantsAction,
    ['t1', { devices: [], groups: [{ id: 'g1', level: 'owner' }] }],
  ],
];

describe('Server Action arguments are validated before anything runs', () => {
  for (const [name, action, args] of cases) {
    it(name, async () => {
      const result = await (action as (...a: unknown[]) => Promise<unknown>)(...args);
      expect(JSON.stringify(result)).toContain('Invalid request');
    });
  }
});
