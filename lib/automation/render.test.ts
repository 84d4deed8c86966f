import { describe, expect, it } from 'vitest';
import { TASK_MAX_COMMAND_CHARS } from '../tasks/schema';
import {
  parseTemplate,
  renderCommand,
  renderCommands,
  validateInputs,
  variablesUsed,
  type InputDefinition,
  type RenderDevice,
} from './render';

const sw: RenderDevice = {
  name: 'core-sw-01',
  host: '10.0.0.1',
  vendor: 'huawei_vrp',
  fields: { site: 'SHA-DC1', rack: 'B07' },
};

describe('parseTemplate', () => {
  it('splits text and variables, with or without spaces inside the braces', () => {
    const r = parseTemplate('ping {{ device.host }} -c {{input.count}}');
    expect(r.ok && r.parts).toEqual([
      { text: 'ping ' },
      { variable: 'device.host', scope: 'device', key: 'host' },
      { text: ' -c ' },
      { variable: 'input.count', scope: 'input', key: 'count' },
    ]);
  });

  it.each([
    ['display {{device.password}}', /Unknown variable \{\{device\.password\}\}/],
    ['display {{secret}}', /Unknown variable \{\{secret\}\}/],
    ['display {{field.}}', /Unknown variable/],
    ['display {{input.a b}}', /Unknown variable/],
    ['display {{device.name', /column 9 is not closed/],
    ['display {{}}', /Unknown variable/],
  ])('refuses %j', (source, error) => {
    const r = parseTemplate(source);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(error);
  });

  it('leaves single braces (Junos, regexes) alone', () => {
    expect(renderCommand('show configuration | display set | match "{1,2}"', sw, {})).toEqual({
      ok: true,
      command: 'show configuration | display set | match "{1,2}"',
    });
  });
});

describe('renderCommand', () => {
  it('fills device facts, custom fields and inputs', () => {
    expect(
      renderCommand('display interface {{input.port}} | include {{field.site}}-{{device.name}}', sw, {
        port: 'GE0/0/1',
      }),
    ).toEqual({ ok: true, command: 'display interface GE0/0/1 | include SHA-DC1-core-sw-01' });
    expect(renderCommand('! {{device.vendor}} at {{device.host}}', sw, {})).toEqual({
      ok: true,
      command: '! huawei_vrp at 10.0.0.1',
    });
  });

  it('names the device when it lacks a field, and the input when none was given', () => {
    expect(renderCommand('display {{field.pop}}', sw, {})).toEqual({
      ok: false,
      error: 'core-sw-01 has no field “pop” ({{field.pop}}).',
    });
    expect(renderCommand('display {{input.vlan}}', sw, {})).toEqual({
      ok: false,
      error: 'No value for {{input.vlan}}.',
    });
  });

  it.each(['a\nreload', 'a\rreload', 'x\x1b[A', '\x03', 'tab\tcompletion', 'nul\x00', 'c1\x9b'])(
    'refuses a value holding a control character: %j',
    (value) => {
      const r = renderCommand('description {{field.site}}', { ...sw, fields: { site: value } }, {});
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toMatch(/\{\{field\.site\}\} on core-sw-01 holds a control character/);
    },
  );

  it('refuses a command that would be longer than a command may be', () => {
    const long = 'x'.repeat(TASK_MAX_COMMAND_CHARS);
    const r = renderCommand('description {{field.site}}', { ...sw, fields: { site: long } }, {});
    expect(!r.ok && r.error).toMatch(/more than 1000 characters/);
  });

  it('does not read inherited properties as fields or inputs', () => {
    expect(renderCommand('{{field.constructor}}', sw, {}).ok).toBe(false);
    expect(renderCommand('{{input.toString}}', sw, {}).ok).toBe(false);
  });

  it('renders a list, stopping at the first command that cannot be rendered', () => {
    expect(renderCommands(['display version', 'display {{field.rack}}'], sw, {})).toEqual({
      ok: true,
      commands: ['display version', 'display B07'],
    });
    expect(renderCommands(['display version', 'display {{field.pop}}', '{{bad'], sw, {})).toMatchObject({
      ok: false,
      command: 'display {{field.pop}}',
    });
  });
});

describe('variablesUsed', () => {
  it('lists each variable once in order of first use', () => {
    expect(
      variablesUsed(['a {{input.x}} {{device.name}}', '{{input.x}} {{field.site}}', '{{broken']),
    ).toEqual(['input.x', 'device.name', 'field.site']);
  });
});

describe('validateInputs', () => {
  const defs: InputDefinition[] = [
    { name: 'vlan', label: 'VLAN', type: 'text', required: true, pattern: '[0-9]{1,4}' },
    {
      name: 'mode',
      label: 'Mode',
      type: 'choice',
      required: true,
      choices: ['brief', 'verbose'],
      default: 'brief',
    },
    { name: 'note', label: 'Note', type: 'text', required: false },
  ];

  it('fills defaults and accepts valid values', () => {
    expect(validateInputs(defs, { vlan: '120' })).toEqual({
      ok: true,
      values: { vlan: '120', mode: 'brief', note: '' },
    });
  });

  it('says what is wrong with each value', () => {
    const r = validateInputs(defs, { vlan: '12a', mode: 'all', note: 'x\ny', extra: '1' });
    expect(r).toEqual({
      ok: false,
      errors: {
        vlan: 'VLAN: “12a” does not have the expected form.',
        mode: 'Mode: choose one of brief, verbose.',
        note: 'Note: no line breaks or control characters.',
        extra: 'No input is called “extra”.',
      },
    });
    expect(validateInputs(defs, {})).toEqual({ ok: false, errors: { vlan: 'VLAN is required.' } });
    expect(validateInputs(defs, { vlan: 120 })).toEqual({ ok: false, errors: { vlan: 'VLAN: give text.' } });
    expect(validateInputs(defs, { vlan: '1'.repeat(201) }).ok).toBe(false);
  });

  it('matches a pattern against the whole value, not a part of it', () => {
    expect(validateInputs(defs, { vlan: '1200000' }).ok).toBe(false);
    expect(validateInputs(defs, { vlan: 'vlan 10' }).ok).toBe(false);
  });
});
