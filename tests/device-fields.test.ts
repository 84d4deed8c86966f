import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldErrorKey } from '../app/(portal)/devices/_list/field-errors';
import * as deviceRoute from '../app/api/v1/devices/[id]/route';
import * as devicesRoute from '../app/api/v1/devices/route';
import * as exportRoute from '../app/api/v1/devices/export/route';
import * as importRoute from '../app/api/v1/devices/import/route';
import { createTemplate, previewTemplate } from '../lib/automation/templates';
import {
  checkDeviceFields,
  DEVICE_FIELD_VALUE_MAX_CHARS,
  DEVICE_FIELDS_MAX,
  FIELD_ERRORS,
  readDeviceFields,
} from '../lib/devices/fields';
import { createDevice, updateDevice } from '../lib/devices/inventory';
import { validateDeviceForm } from '../lib/devices/schema';
import { setRuntime } from '../lib/server/registry';
import { call, mintToken } from './api-client';
import { startPortal, type Portal } from './harness';

/** A valid device form, as the browser posts it; `fields` is JSON of [key, value] rows. */
const form = (extra: Record<string, string> = {}) => ({
  name: 'f-dev',
  host: '192.0.2.20',
  port: '22',
  vendor: 'huawei_vrp',
  encoding: 'utf-8',
  username: 'netops',
  authType: 'password',
  password: 'pw',
  ...extra,
});
const rows = (...pairs: [string, string][]) => JSON.stringify(pairs);

describe('custom field rules (the form, the API and the import share them)', () => {
  it('accepts keys and values within the rules, trimmed, a wholly empty row dropped', () => {
    expect(
      checkDeviceFields([
        [' site ', ' lab-a '],
        ['', ''],
        ['rack_2', 'B4'],
      ]),
    ).toEqual({
      ok: true,
      fields: { site: 'lab-a', rack_2: 'B4' },
    });
    const r = validateDeviceForm(form({ fields: rows(['site', 'dc1'], ['role', 'core']) }));
    expect(r.ok && r.value.fields).toEqual({ site: 'dc1', role: 'core' });
    // left out: the stored fields stay (undefined), not "no fields"
    const kept = validateDeviceForm(form());
    expect(kept.ok && kept.value.fields).toBeUndefined();
    // the API's object form
    const obj = validateDeviceForm(form({ fields: JSON.stringify({ site: 'dc2' }) }));
    expect(obj.ok && obj.value.fields).toEqual({ site: 'dc2' });
  });

  it('refuses a bad key, a control character, a long value, a repeated key, a missing value, too many', () => {
    const refuse = (fields: string) => {
      const r = validateDeviceForm(form({ fields }));
      return r.ok ? null : r.errors.fields;
    };
    for (const key of ['Site', '1site', 'site-a', 'a'.repeat(33), 'sité', '_x'])
      expect(refuse(rows([key, 'v'])), key).toBe(FIELD_ERRORS.key);
    expect(refuse(rows(['', 'v']))).toBe(FIELD_ERRORS.keyMissing);
    for (const value of [
      'two\nlines',
      'tab\there',
      'esc\x1b[2J',
      'nul\x00',
      'c1\x85',
      'ls\u2028x',
      'del\x7f',
    ])
      expect(refuse(rows(['site', value])), JSON.stringify(value)).toBe(FIELD_ERRORS.valueControl);
    expect(refuse(rows(['site', 'x'.repeat(DEVICE_FIELD_VALUE_MAX_CHARS + 1)]))).toBe(FIELD_ERRORS.valueLong);
    expect(refuse(rows(['site', 'x'.repeat(DEVICE_FIELD_VALUE_MAX_CHARS)]))).toBeNull();
    expect(refuse(rows(['site', '  ']))).toBe(FIELD_ERRORS.valueMissing);
    expect(refuse(rows(['site', 'a'], ['site', 'b']))).toBe(FIELD_ERRORS.duplicate);
    const many = Array.from({ length: DEVICE_FIELDS_MAX + 1 }, (_, i): [string, string] => [`k${i}`, 'v']);
    expect(refuse(JSON.stringify(many))).toBe(FIELD_ERRORS.tooMany);
    expect(refuse(JSON.stringify(many.slice(0, DEVICE_FIELDS_MAX)))).toBeNull();
    for (const shape of ['not json', '42', '[["a"]]', '{"site":1}', '[["a",2]]'])
      expect(refuse(shape), shape).toBe(FIELD_ERRORS.shape);
  });

  it('every message is one the form shows in the reader’s language', () => {
    for (const message of Object.values(FIELD_ERRORS)) expect(fieldErrorKey(message), message).not.toBeNull();
  });

  it('reads stored JSON defensively', () => {
    expect(readDeviceFields('{"site":"a"}')).toEqual({ site: 'a' });
    expect(readDeviceFields('garbage')).toEqual({});
    expect(readDeviceFields('{"site":1}')).toEqual({});
    expect(readDeviceFields('')).toEqual({});
  });
});

describe('custom fields in the inventory, the API, the import and templates', () => {
  let portal: Portal;
  const tokens: Record<string, string> = {};
  const admin = () => ({
    id: portal.users.admin,
    role: 'admin' as const,
    username: 'admin',
    displayName: '',
  });

  beforeAll(async () => {
    portal = await startPortal();
    setRuntime(portal.runtime);
    tokens.op = (await mintToken(portal.runtime, portal.users.operator, 'write')).token;
    tokens.admin = (await mintToken(portal.runtime, portal.users.admin, 'write')).token;
  }, 60_000);
  afterAll(async () => {
    setRuntime(undefined);
    await portal?.close();
  });

  it('the device form saves them; a save without the field keeps them; an edit replaces them', async () => {
    const made = await createDevice(
      admin(),
      form({ name: 'form-fields', fields: rows(['site', 'lab-a'], ['rack', 'A1']) }),
      portal.runtime,
    );
    expect(made.ok).toBe(true);
    const id = (made as { id: string }).id;
    const stored = async () =>
      readDeviceFields((await portal.db.device.findUniqueOrThrow({ where: { id } })).fields);
    expect(await stored()).toEqual({ site: 'lab-a', rack: 'A1' });
    expect(
      (await updateDevice(admin(), id, form({ name: 'form-fields', password: '' }), portal.runtime)).ok,
    ).toBe(true);
    expect(await stored()).toEqual({ site: 'lab-a', rack: 'A1' });
    const edited = await updateDevice(
      admin(),
      id,
      form({ name: 'form-fields', password: '', fields: rows(['site', 'lab-b']) }),
      portal.runtime,
    );
    expect(edited.ok).toBe(true);
    expect(await stored()).toEqual({ site: 'lab-b' });
    const bad = await updateDevice(
      admin(),
      id,
      form({ name: 'form-fields', password: '', fields: rows(['Bad Key', 'x']) }),
      portal.runtime,
    );
    expect(bad).toEqual({ ok: false, errors: { fields: FIELD_ERRORS.key } });
    expect(await stored()).toEqual({ site: 'lab-b' });
    const audit = await portal.db.auditEvent.findFirst({
      where: { action: 'device.update', target: 'form-fields' },
      orderBy: { at: 'desc' },
    });
    expect(audit?.detail).toContain('fields now site');
  });

  it('the REST API takes `fields` on create and PATCH and returns them', async () => {
    const created = await call(devicesRoute.POST, {
      method: 'POST',
      token: tokens.op,
      body: {
        name: 'api-fields',
        host: '192.0.2.30',
        vendor: 'cisco_ios',
        username: 'netops',
        password: 'pw',
        fields: { site: 'lab-a', role: 'edge' },
      },
    });
    expect(created.status, created.text).toBe(201);
    const item = (created.json.items as { id: string; fields: unknown }[])[0]!;
    expect(item.fields).toEqual({ site: 'lab-a', role: 'edge' });
    const id = item.id;

    const read = await call(deviceRoute.GET, { token: tokens.op, params: { id } });
    expect(read.json.fields).toEqual({ site: 'lab-a', role: 'edge' });
    const list = await call(devicesRoute.GET, { token: tokens.op, path: '/devices?q=api-fields' });
    expect((list.json.items as { fields: unknown }[])[0]!.fields).toEqual({ site: 'lab-a', role: 'edge' });

    // a PATCH without `fields` keeps them; with `fields` replaces them all
    const notes = await call(deviceRoute.PATCH, {
      method: 'PATCH',
      token: tokens.op,
      params: { id },
      body: { notes: 'edge router' },
    });
    expect([notes.status, notes.json.fields]).toEqual([200, { site: 'lab-a', role: 'edge' }]);
    const replaced = await call(deviceRoute.PATCH, {
      method: 'PATCH',
      token: tokens.op,
      params: { id },
      body: { fields: { rack: 'B4' } },
    });
    expect([replaced.status, replaced.json.fields]).toEqual([200, { rack: 'B4' }]);

    const bad = await call(deviceRoute.PATCH, {
      method: 'PATCH',
      token: tokens.op,
      params: { id },
      body: { fields: { site: 'one\ntwo' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual({ fields: FIELD_ERRORS.valueControl });
    const notText = await call(deviceRoute.PATCH, {
      method: 'PATCH',
      token: tokens.op,
      params: { id },
      body: { fields: { site: 3 } },
    });
    expect(notText.status).toBe(422);
    expect((await call(deviceRoute.GET, { token: tokens.op, params: { id } })).json.fields).toEqual({
      rack: 'B4',
    });
  });

  it('a PATCH keeps what it leaves out: the route and the session cap too', async () => {
    const created = await call(devicesRoute.POST, {
      method: 'POST',
      token: tokens.op,
      body: {
        name: 'api-telnet',
        host: '192.0.2.31',
        port: 23,
        vendor: 'cisco_ios',
        transport: 'telnet',
        username: 'netops',
        password: 'pw',
        max_sessions: 3,
        ssh_algorithms: 'legacy',
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.json.items as { id: string }[])[0]!.id;
    const patched = await call(deviceRoute.PATCH, {
      method: 'PATCH',
      token: tokens.op,
      params: { id },
      body: { notes: 'console' },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({
      transport: 'telnet',
      port: 23,
      max_sessions: 3,
      ssh_algorithms: 'legacy',
      notes: 'console',
    });
  });

  it('CSV import: field.<key> columns set fields (an empty cell removes one), other fields stay', async () => {
    const importCsv = async (csv: string, dryRun: boolean) =>
      call(importRoute.POST, {
        method: 'POST',
        token: tokens.admin,
        path: `/devices/import?dry_run=${dryRun}`,
        raw: csv,
        headers: { 'content-type': 'text/csv; charset=utf-8' },
      });
    const fieldsOf = async (name: string) =>
      readDeviceFields((await portal.db.device.findUniqueOrThrow({ where: { name } })).fields);

    const first = await importCsv(
      'name,host,vendor,username,password,Field.Site,field.rack\n' +
        'csv-f1,192.0.2.41,huawei_vrp,netops,pw,lab-a,A1\n' +
        'csv-f2,192.0.2.42,cisco_ios,netops,pw,lab-b,\n',
      false,
    );
    expect(first.status, first.text).toBe(200);
    expect(first.json.applied).toBe(true);
    expect(await fieldsOf('csv-f1')).toEqual({ site: 'lab-a', rack: 'A1' });
    expect(await fieldsOf('csv-f2')).toEqual({ site: 'lab-b' });

    // a file with only field.site: rack stays; an empty site cell removes site
    const second = await importCsv(
      'name,host,field.site\ncsv-f1,192.0.2.41,lab-c\ncsv-f2,192.0.2.42,\n',
      true,
    );
    const planned = second.json.rows as { name: string; action: string; fields: string[] }[];
    expect(planned.map((r) => [r.name, r.action, r.fields])).toEqual([
      ['csv-f1', 'changed', ['field.site']],
      ['csv-f2', 'changed', ['field.site']],
    ]);
    await importCsv('name,host,field.site\ncsv-f1,192.0.2.41,lab-c\ncsv-f2,192.0.2.42,\n', false);
    expect(await fieldsOf('csv-f1')).toEqual({ site: 'lab-c', rack: 'A1' });
    expect(await fieldsOf('csv-f2')).toEqual({});

    // a bad value is an error row naming the column; a bad key refuses the file
    const badValue = await importCsv('name,host,field.site\ncsv-f1,192.0.2.41,"a\nb"\n', true);
    expect(badValue.status).toBe(200);
    expect((badValue.json.rows as { error: string }[])[0]!.error).toBe(
      `field.site: ${FIELD_ERRORS.valueControl}`,
    );
    const badKey = await importCsv('name,host,field.rack.u\ncsv-f1,192.0.2.41,x\n', true);
    expect(badKey.status).toBe(422);
    expect(String(badKey.json.detail)).toContain('"field.rack.u" names no valid field key');

    // JSON rows take the same keys
    const json = await call(importRoute.POST, {
      method: 'POST',
      token: tokens.admin,
      path: '/devices/import?dry_run=false',
      body: { rows: [{ name: 'csv-f2', host: '192.0.2.42', 'field.role': 'access' }] },
    });
    expect(json.status, json.text).toBe(200);
    expect(await fieldsOf('csv-f2')).toEqual({ role: 'access' });

    // the export has a column per key in use, and re-imports as unchanged
    const exported = await call(exportRoute.GET, { token: tokens.admin, path: '/devices/export' });
    const header = exported.text.split('\r\n')[0]!;
    expect(header).toContain('"field.rack","field.role","field.site"');
    expect(exported.text.split('\r\n').find((l) => l.startsWith('"csv-f1"'))).toMatch(/"A1","","lab-c"$/);
    const back = await importCsv(exported.text, true);
    expect(back.status, back.text.slice(0, 300)).toBe(200);
    expect((back.json.summary as Record<string, number>).changed).toBe(0);
  });

  it('a template using {{field.site}} renders each device’s value; a device without it cannot run', async () => {
    const t = await createTemplate(
      admin(),
      {
        name: 'field-site',
        commands: 'display current-configuration | include {{field.site}}',
        concurrency: '1',
        timeoutSeconds: '10',
      },
      portal.tasks,
    );
    if (!t.ok) throw new Error(JSON.stringify(t.errors));
    const withSite = (await portal.db.device.findUniqueOrThrow({ where: { name: 'csv-f1' } })).id;
    const without = (await portal.db.device.findUniqueOrThrow({ where: { name: 'csv-f2' } })).id;
    const p = await previewTemplate(
      admin(),
      t.id,
      { deviceIds: [withSite, without], inputs: {} },
      portal.runtime,
    );
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    expect(p.rows.map((r) => [r.device, r.status, r.status === 'ok' ? r.commands : r.status])).toEqual([
      ['csv-f1', 'ok', ['display current-configuration | include lab-c']],
      ['csv-f2', 'error', 'error'],
    ]);
  });
});
