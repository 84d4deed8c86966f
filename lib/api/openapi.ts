import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { z } from 'zod';
import {
  createdDevicesSchema,
  deviceListQuery,
  deviceListSchema,
  devicePatchSchema,
  deviceSchema,
  devicesInputSchema,
  grantsInputSchema,
  grantsSchema,
  idParams,
  meSchema,
  notificationListQuery,
  notificationListSchema,
  notificationsReadSchema,
  problemSchema,
  resultsQuery,
  taskDeviceListQuery,
  taskDeviceListSchema,
  taskInputSchema,
  taskListQuery,
  taskListSchema,
  taskSchema,
  unreadSchema,
  userInputSchema,
  userListQuery,
  userListSchema,
  userPatchSchema,
  userSchema,
  vendorDetectionSchema,
  connectionTestSchema,
  groupDeleteQuery,
  groupDevicesInputSchema,
  groupDevicesSchema,
  groupInputSchema,
  groupListSchema,
  groupPatchSchema,
  groupSchema,
  teamInputSchema,
  teamListSchema,
  teamMembersInputSchema,
  teamMembersSchema,
  teamPatchSchema,
  teamGrantsInputSchema,
  teamGrantsSchema,
  teamSchema,
} from './schemas';
// automation (issue 16)
import {
  createdWebhookSchema,
  historyDiffQuery,
  historyQuery,
  outputDiffSchema,
  outputGroupsSchema,
  outputHistorySchema,
  outputTextSchema,
  scheduleInputSchema,
  scheduleListSchema,
  schedulePatchSchema,
  scheduleSchema,
  templateInputSchema,
  templateListSchema,
  templatePreviewInputSchema,
  templatePreviewSchema,
  templateQuery,
  templateRunInputSchema,
  templateSchema,
  templateSubscriptionSchema,
  outputSearchQuery,
  outputSearchSchema,
  templateVersionListSchema,
  webhookDeliveryListSchema,
  webhookInputSchema,
  webhookListSchema,
  webhookSchema,
  webhookTestSchema,
} from './schemas';
import { webhookPatchSchema } from './automation';
// device import / export
import {
  csvTextSchema,
  deviceImportJsonSchema,
  deviceImportQuery,
  deviceImportResultSchema,
} from './schemas';
// session recordings (issue 18)
import {
  castTextSchema,
  recordingListQuery,
  recordingListSchema,
  recordingSchema,
} from './schemas-recordings';
// command guard rails (issue 19)
import {
  policyDecisionSchema,
  policyInputSchema,
  policyListSchema,
  policyMoveSchema,
  policyPatchSchema,
  policyRestoreSchema,
  policyRuleSchema,
  policyTestInputSchema,
} from './schemas-policies';

/**
 * The OpenAPI 3.1 description of /api/v1, generated from the zod schemas the handlers validate
 * with. A test checks that every route handler under app/api/v1 is listed here.
 */
const JSON_TYPE = 'application/json';

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Malformed request (bad JSON, a token in the URL, a bad cursor).',
  401: 'No token, or a bad, expired or revoked one.',
  403: 'A read token on a write, or a role that may not.',
  404: 'Not found, or not visible to the caller.',
  409: 'Conflicts with the current state.',
  413: 'Body larger than API_MAX_BODY_BYTES.',
  415: 'Body is not application/json.',
  422: 'Invalid fields; `errors` names each.',
  429: 'Over the per-token rate (see Retry-After).',
  502: 'The device could not be reached or did not answer as expected; `detail` says what it did.',
};

function problems(...statuses: number[]) {
  return Object.fromEntries(
    [401, 429, ...statuses].map((s) => [
      String(s),
      { description: PROBLEM_TEXT[s]!, content: { 'application/problem+json': { schema: problemSchema } } },
    ]),
  );
}

function op(
  summary: string,
  o: {
    query?: z.ZodObject;
    /** true: `{id}`; or the path parameters' schema. */
    path?: boolean | z.ZodObject;
    body?: z.ZodType;
    ok: [number, z.ZodType | null, string?];
    errors?: number[];
    write?: boolean;
    headers?: z.ZodObject;
  },
): ZodOpenApiOperationObject {
  const [status, schema, description] = o.ok;
  return {
    summary,
    description: o.write ? 'Needs a `write` token.' : 'A `read` token is enough.',
    requestParams: {
      ...(o.query ? { query: o.query } : {}),
      ...(o.path ? { path: o.path === true ? idParams : o.path } : {}),
      ...(o.headers ? { header: o.headers } : {}),
    },
    ...(o.body ? { requestBody: { required: true, content: { [JSON_TYPE]: { schema: o.body } } } } : {}),
    responses: {
      [String(status)]: {
        description: description ?? 'OK',
        ...(schema ? { content: { [JSON_TYPE]: { schema } } } : {}),
      },
      ...problems(...(o.errors ?? []), ...(o.body ? [400, 413, 415, 422] : []), ...(o.query ? [422] : [])),
    },
  };
}

const historyParams = z.object({ id: z.string().min(1).max(128), version: z.string().min(1).max(128) });

export const API_PATHS: ZodOpenApiPathsObject = {
  '/me': { get: op('Who the token acts as', { ok: [200, meSchema] }) },
  '/devices': {
    get: op('List devices (paginated)', {
      query: deviceListQuery,
      ok: [200, deviceListSchema],
      errors: [400],
    }),
    post: op('Add one device or up to 1,000 (all or nothing)', {
      body: devicesInputSchema,
      ok: [201, createdDevicesSchema, 'Created'],
      errors: [403, 409],
      write: true,
    }),
  },
  '/devices/{id}': {
    get: op('One device', { path: true, ok: [200, deviceSchema], errors: [404] }),
    patch: op('Change a device', {
      path: true,
      body: devicePatchSchema,
      ok: [200, deviceSchema],
      errors: [403, 404],
      write: true,
    }),
    delete: op('Delete a device', {
      path: true,
      ok: [204, null, 'Deleted'],
      errors: [403, 404],
      write: true,
    }),
  },
  '/devices/{id}/detect-vendor': {
    post: op("Log in and propose the device's vendor (SSH ident, banner, prompt, version command)", {
      path: true,
      ok: [200, vendorDetectionSchema],
      errors: [403, 404, 502],
      write: true,
    }),
  },
  '/devices/{id}/test-connection': {
    post: op(
      'Log in step by step (access, route, TCP, negotiation, host key, authentication, prompt, paging, vendor) and report each; a new host key is recorded as offered, never trusted',
      { path: true, ok: [200, connectionTestSchema], errors: [403, 404], write: true },
    ),
  },
  '/tasks': {
    get: op('List tasks (paginated, newest first)', {
      query: taskListQuery,
      ok: [200, taskListSchema],
      errors: [400],
    }),
    post: op('Start a task', {
      body: taskInputSchema,
      ok: [201, taskSchema, 'Created (200 with Idempotent-Replayed: true for a repeated Idempotency-Key)'],
      errors: [403, 409],
      write: true,
    }),
  },
  '/tasks/{id}': { get: op('A task', { path: true, ok: [200, taskSchema], errors: [404] }) },
  '/tasks/{id}/cancel': {
    post: op('Cancel a task', {
      path: true,
      ok: [202, taskSchema, 'Cancelling'],
      errors: [403, 404, 409],
      write: true,
    }),
  },
  '/tasks/{id}/retry': {
    post: op('Retry the failed devices', {
      path: true,
      ok: [202, taskSchema, 'Queued again'],
      errors: [403, 404, 409],
      write: true,
    }),
  },
  '/tasks/{id}/devices': {
    get: op("A task's devices with outputs (paginated)", {
      path: true,
      query: taskDeviceListQuery,
      ok: [200, taskDeviceListSchema],
      errors: [400, 404],
    }),
  },
  '/tasks/{id}/results': {
    get: op('All results as JSON or CSV (streamed)', {
      path: true,
      query: resultsQuery,
      ok: [200, null, 'JSON or text/csv'],
      errors: [404],
    }),
  },
  '/notifications': {
    get: op('Your notifications after a sequence number', {
      query: notificationListQuery,
      ok: [200, notificationListSchema],
    }),
  },
  '/notifications/read': {
    post: op('Mark notifications read', {
      body: notificationsReadSchema,
      ok: [200, unreadSchema],
      write: true,
    }),
  },
  '/users': {
    get: op('List users (admins)', { query: userListQuery, ok: [200, userListSchema], errors: [400, 403] }),
    post: op('Create a user (admins)', {
      body: userInputSchema,
      ok: [201, userSchema, 'Created'],
      errors: [403, 409],
      write: true,
    }),
  },
  '/users/{id}': {
    get: op('A user (admins)', { path: true, ok: [200, userSchema], errors: [403, 404] }),
    patch: op('Change role, disabled or password (admins)', {
      path: true,
      body: userPatchSchema,
      ok: [200, userSchema],
      errors: [403, 404],
      write: true,
    }),
  },
  '/users/{id}/grants': {
    get: op("A user's device grants (admins)", { path: true, ok: [200, grantsSchema], errors: [403, 404] }),
    put: op("Replace a user's grants on devices and groups (admins)", {
      path: true,
      body: grantsInputSchema,
      ok: [200, grantsSchema],
      errors: [403, 404],
      write: true,
    }),
  },
  // ---- access: groups and teams ----
  '/groups': {
    get: op('Device groups (admins: all; others: those holding devices they see)', {
      ok: [200, groupListSchema],
    }),
    post: op('Create a device group (admins)', {
      body: groupInputSchema,
      ok: [201, groupSchema, 'Created'],
      errors: [403, 409],
      write: true,
    }),
  },
  '/groups/{id}': {
    get: op('One device group', { path: true, ok: [200, groupSchema], errors: [404] }),
    patch: op('Rename or describe a group (admins)', {
      path: true,
      body: groupPatchSchema,
      ok: [200, groupSchema],
      errors: [403, 404, 409],
      write: true,
    }),
    delete: op('Delete a group; its devices stay (admins; ?confirm=true when it grants access)', {
      path: true,
      query: groupDeleteQuery,
      ok: [204, null, 'Deleted'],
      errors: [403, 404, 409],
      write: true,
    }),
  },
  '/groups/{id}/devices': {
    get: op("A group's devices that the caller sees", {
      path: true,
      ok: [200, groupDevicesSchema],
      errors: [404],
    }),
    put: op("Replace a group's devices (admins)", {
      path: true,
      body: groupDevicesInputSchema,
      ok: [200, groupDevicesSchema],
      errors: [403, 404],
      write: true,
    }),
  },
  '/teams': {
    get: op('Teams (admins)', { ok: [200, teamListSchema], errors: [403] }),
    post: op('Create a team (admins)', {
      body: teamInputSchema,
      ok: [201, teamSchema, 'Created'],
      errors: [403, 409],
      write: true,
    }),
  },
  '/teams/{id}': {
    get: op('One team (admins)', { path: true, ok: [200, teamSchema], errors: [403, 404] }),
    patch: op('Rename or describe a team, or set its permissions (admins)', {
      path: true,
      body: teamPatchSchema,
      ok: [200, teamSchema],
      errors: [403, 404, 409],
      write: true,
    }),
    delete: op('Delete a team; its members lose what only it gave them (admins)', {
      path: true,
      ok: [204, null, 'Deleted'],
      errors: [403, 404],
      write: true,
    }),
  },
  '/teams/{id}/members': {
    get: op("A team's members (admins)", { path: true, ok: [200, teamMembersSchema], errors: [403, 404] }),
    put: op("Replace a team's members (admins)", {
      path: true,
      body: teamMembersInputSchema,
      ok: [200, teamMembersSchema],
      errors: [403, 404],
      write: true,
    }),
  },
  '/teams/{id}/grants': {
    get: op("A team's grants (admins)", { path: true, ok: [200, teamGrantsSchema], errors: [403, 404] }),
    put: op("Replace a team's grants on devices and groups, observing included (admins)", {
      path: true,
      body: teamGrantsInputSchema,
      ok: [200, teamGrantsSchema],
      errors: [403, 404],
      write: true,
    }),
  },
  // ---- end access ----
  // ---- device import / export (issue 13) ----
  '/devices/import': {
    post: {
      ...op('Import devices from CSV or JSON rows: a dry run by default; applied all or nothing', {
        query: deviceImportQuery,
        ok: [200, deviceImportResultSchema, 'What each row does (dry run) or did (applied)'],
        errors: [400, 403, 409, 413, 415, 422],
        write: true,
      }),
      description:
        'Needs a `write` token and a role that may edit devices. Rows upsert by name. Each row is `new`, `changed` (with its `fields`), `unchanged` or `error` (with the line). With `dry_run=false` and any error row the answer is 422 (problem+json carrying the same `rows` and `summary`) and nothing is written. Secrets are write-only: an empty one keeps the stored secret while host, port, username, transport and jump host stay the same. At most 10,000 rows (IMPORT_MAX_ROWS) and 16 MiB (IMPORT_MAX_BYTES).',
      requestBody: {
        required: true,
        content: {
          'text/csv': {
            schema: csvTextSchema,
          },
          [JSON_TYPE]: { schema: deviceImportJsonSchema },
        },
      },
    },
  },
  '/devices/import/template': {
    get: {
      ...op('A CSV template: the import columns and two example devices', { ok: [200, null] }),
      responses: {
        '200': { description: 'text/csv', content: { 'text/csv': { schema: csvTextSchema } } },
        ...problems(),
      },
    },
  },
  '/devices/export': {
    get: {
      ...op('The devices you see as CSV in the import columns (secrets empty; re-imports unchanged)', {
        ok: [200, null],
      }),
      responses: {
        '200': { description: 'text/csv, streamed', content: { 'text/csv': { schema: csvTextSchema } } },
        ...problems(),
      },
    },
  },
  // ---- end device import / export ----
  // ---- automation (issue 16) ----
  '/templates': {
    get: op('Task templates you see (yours, your teams’ shared ones; admins: all)', {
      ok: [200, templateListSchema],
    }),
    post: op('Create a template', {
      body: templateInputSchema,
      ok: [201, templateSchema, 'Created'],
      errors: [403, 409],
      write: true,
    }),
  },
  '/templates/{id}': {
    get: op('A template, at its current version or ?version=N', {
      path: true,
      query: templateQuery,
      ok: [200, templateSchema],
      errors: [404],
    }),
    patch: op('Save a new version (the same body as POST; owner or admin; started tasks keep theirs)', {
      path: true,
      body: templateInputSchema,
      ok: [200, templateSchema],
      errors: [403, 404, 409],
      write: true,
    }),
    delete: op('Delete a template (owner or admin; built-in ones: 409)', {
      path: true,
      ok: [204, null, 'Deleted'],
      errors: [403, 404, 409],
      write: true,
    }),
  },
  '/templates/{id}/versions': {
    get: op('Every version of a template, newest first', {
      path: true,
      ok: [200, templateVersionListSchema],
      errors: [404],
    }),
  },
  '/templates/{id}/search': {
    get: op("Which devices' latest output of this template matches (devices you see)", {
      path: true,
      query: outputSearchQuery,
      ok: [200, outputSearchSchema],
      errors: [404, 422],
    }),
  },
  '/templates/{id}/subscription': {
    get: op('Whether you follow a template (told when a run finds changed output)', {
      path: true,
      ok: [200, templateSubscriptionSchema],
      errors: [404],
    }),
    put: op('Follow a template: a "configuration changed" notification when a run finds changes', {
      path: true,
      ok: [200, templateSubscriptionSchema],
      errors: [404],
      write: true,
    }),
    delete: op('Stop following a template', {
      path: true,
      ok: [200, templateSubscriptionSchema],
      errors: [404],
      write: true,
    }),
  },
  '/templates/{id}/preview': {
    post: op('What each device would receive with these inputs (runs nothing)', {
      path: true,
      body: templatePreviewInputSchema,
      ok: [200, templatePreviewSchema],
      errors: [403, 404],
      write: true,
    }),
  },
  '/templates/{id}/run': {
    post: op('Run a template on devices: a task', {
      path: true,
      body: templateRunInputSchema,
      headers: z.object({ 'Idempotency-Key': z.string().max(128).optional() }),
      ok: [201, taskSchema, 'Created (200 with Idempotent-Replayed: true for a repeated Idempotency-Key)'],
      errors: [403, 404, 409],
      write: true,
    }),
  },
  '/schedules': {
    get: op('Your schedules (admins: all), the next to run first', { ok: [200, scheduleListSchema] }),
    post: op('Schedule a template (runs as you, with your access at each run)', {
      body: scheduleInputSchema,
      ok: [201, scheduleSchema, 'Created'],
      errors: [403],
      write: true,
    }),
  },
  '/schedules/{id}': {
    get: op('A schedule with its next five runs', { path: true, ok: [200, scheduleSchema], errors: [404] }),
    patch: op('Change a schedule (the fields given)', {
      path: true,
      body: schedulePatchSchema,
      ok: [200, scheduleSchema],
      errors: [403, 404],
      write: true,
    }),
    delete: op('Delete a schedule', {
      path: true,
      ok: [204, null, 'Deleted'],
      errors: [403, 404],
      write: true,
    }),
  },
  '/devices/{id}/history': {
    get: op("A device's stored outputs of templated runs (configuration history), newest first", {
      path: true,
      query: historyQuery,
      ok: [200, outputHistorySchema],
      errors: [404],
    }),
  },
  '/devices/{id}/history/{version}': {
    get: op('One stored output of the device', {
      path: historyParams,
      ok: [200, outputTextSchema],
      errors: [404],
    }),
  },
  '/devices/{id}/history/{version}/diff': {
    get: op('A version against another of the same device (default: the previous one)', {
      path: historyParams,
      query: historyDiffQuery,
      ok: [200, outputDiffSchema],
      errors: [404],
    }),
  },
  '/tasks/{id}/groups': {
    get: op("The task's succeeded devices grouped by identical output", {
      path: true,
      ok: [200, outputGroupsSchema],
      errors: [404],
    }),
  },
  '/webhooks': {
    get: op('Webhooks (admins)', { ok: [200, webhookListSchema], errors: [403] }),
    post: op('Add a webhook (admins); the signing secret is returned once', {
      body: webhookInputSchema,
      ok: [201, createdWebhookSchema, 'Created'],
      errors: [403],
      write: true,
    }),
  },
  '/webhooks/{id}': {
    patch: op('Change a webhook: URL, description, events, enabled, allow_local (admins)', {
      path: true,
      body: webhookPatchSchema,
      ok: [200, webhookSchema],
      errors: [403, 404],
      write: true,
    }),
    delete: op('Delete a webhook (admins)', {
      path: true,
      ok: [204, null, 'Deleted'],
      errors: [403, 404],
      write: true,
    }),
  },
  '/webhooks/{id}/test': {
    post: op('Send a test ping (admins)', {
      path: true,
      ok: [202, webhookTestSchema, 'Queued'],
      errors: [403, 404],
      write: true,
    }),
  },
  '/webhooks/{id}/deliveries': {
    get: op("A webhook's latest 100 deliveries (admins)", {
      path: true,
      ok: [200, webhookDeliveryListSchema],
      errors: [403, 404],
    }),
  },
  // ---- end automation ----
  // ---- session recordings (issue 18) ----
  '/recordings': {
    get: op(
      'Session recordings (yours; admins and teams with the recordings permission: all), newest first, by device, user, command typed, time, state',
      {
        query: recordingListQuery,
        ok: [200, recordingListSchema],
        errors: [400],
      },
    ),
  },
  '/recordings/{id}': {
    get: op('A recording: who, which device, when, its state, and every command line at its offset', {
      path: true,
      ok: [200, recordingSchema],
      errors: [404],
    }),
  },
  '/recordings/{id}/cast': {
    get: {
      ...op('The recording as an asciicast v2 file (a download)', {
        path: true,
        ok: [200, null],
        errors: [404],
      }),
      responses: {
        '200': {
          description:
            'application/x-asciicast, with a Content-Disposition filename; a session still open gives what was flushed so far',
          content: { 'application/x-asciicast': { schema: castTextSchema } },
        },
        ...problems(404),
      },
    },
  },
  // ---- end session recordings ----
  // ---- command guard rails (issue 19) ----
  '/policies': {
    get: op('The command guard rails in the order they decide (admins)', {
      ok: [200, policyListSchema],
      errors: [403],
    }),
    post: op('Add a rule (admins): at the end, or before the rule `before`; patterns are checked', {
      body: policyInputSchema,
      ok: [201, policyRuleSchema, 'Created'],
      errors: [403],
      write: true,
    }),
  },
  '/policies/{id}': {
    get: op('One rule and its place (admins)', {
      path: true,
      ok: [200, policyRuleSchema],
      errors: [403, 404],
    }),
    patch: op('Change a rule (admins): the fields given replace its own, the rest and its place stay', {
      path: true,
      body: policyPatchSchema,
      ok: [200, policyRuleSchema],
      errors: [403, 404],
      write: true,
    }),
    delete: op('Delete a rule (admins)', {
      path: true,
      ok: [204, null, 'Deleted'],
      errors: [403, 404],
      write: true,
    }),
  },
  '/policies/{id}/move': {
    post: op('Move a rule one place up or down (admins)', {
      path: true,
      body: policyMoveSchema,
      ok: [200, policyRuleSchema],
      errors: [403, 404],
      write: true,
    }),
  },
  '/policies/restore': {
    post: op('Put the built-in rules back as shipped (admins); rules admins wrote stay', {
      ok: [200, policyRestoreSchema],
      errors: [403],
      write: true,
    }),
  },
  '/policies/test': {
    post: op(
      'Which rule decides a command line for a user (default: you) on a device, in a mode (admins); runs nothing',
      { body: policyTestInputSchema, ok: [200, policyDecisionSchema], errors: [403] },
    ),
  },
  // ---- end command guard rails ----
  '/openapi.json': {
    get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } },
  },
};

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument(): ReturnType<typeof createDocument> {
  cached ??= createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: '1',
      description:
        'Everything a user does in the browser, for scripts. Authenticate with a personal access token ' +
        '(Account page, or `npm run token -- create`) in `Authorization: Bearer sb_…`. Lists answer ' +
        '`{"items":[…],"next_cursor":…}`; pass `cursor` for the next page. Errors are RFC 9457 ' +
        'problem details with a stable `code`.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearerAuth: [] }],
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'sb_…' } } },
    paths: API_PATHS,
  });
  return cached;
}
