import { compileUserPattern } from '../tasks/patterns';
import { TASK_MAX_COMMAND_CHARS } from '../tasks/schema';

/**
 * Template variables in commands: `{{device.name}}`, `{{device.host}}`, `{{device.vendor}}`,
 * `{{field.<key>}}` (a custom field stored on the device, e.g. `{{field.site}}`) and
 * `{{input.<name>}}` (asked when the task is started). Pure: the same template, device and inputs
 * give the same commands, and the preview shows exactly what each device will receive.
 *
 * Rendering never yields a control character (a newline would send a second command, an ESC or
 * Ctrl-C would be keystrokes): a value that would put one in a command is refused, naming the
 * variable and the device.
 */

export const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const INPUT_MAX_CHARS = 200;
export const TEMPLATE_MAX_INPUTS = 20;
export const FIELD_MAX_CHARS = 500;

// A control character in a value: C0 (tab included: it completes a word at a device's prompt), DEL, C1.
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

const DEVICE_VARIABLES = ['name', 'host', 'vendor'] as const;

type Part = { text: string } | { variable: string; scope: 'device' | 'field' | 'input'; key: string };

export type ParseResult = { ok: true; parts: Part[] } | { ok: false; error: string };

/** Split a command into literal text and variables; `{{` … `}}` with an unknown name is an error. */
export function parseTemplate(source: string): ParseResult {
  const parts: Part[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      parts.push({ text: source.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: source.slice(i, open) });
    const close = source.indexOf('}}', open + 2);
    if (close < 0) return { ok: false, error: `“{{” at column ${open + 1} is not closed with “}}”.` };
    const inner = source.slice(open + 2, close).trim();
    const dot = inner.indexOf('.');
    const scope = dot < 0 ? '' : inner.slice(0, dot);
    const key = dot < 0 ? '' : inner.slice(dot + 1);
    if (scope === 'device' && (DEVICE_VARIABLES as readonly string[]).includes(key)) {
      parts.push({ variable: inner, scope, key });
    } else if ((scope === 'field' || scope === 'input') && VARIABLE_NAME.test(key)) {
      parts.push({ variable: inner, scope, key });
    } else {
      return {
        ok: false,
        error: `Unknown variable {{${inner}}}: use device.name, device.host, device.vendor, field.<key> or input.<name>.`,
      };
    }
    i = close + 2;
  }
  return { ok: true, parts };
}

/** The variables a list of commands uses, each once, in order of first use. */
export function variablesUsed(commands: string[]): string[] {
  const seen = new Set<string>();
  for (const c of commands) {
    const r = parseTemplate(c);
    if (!r.ok) continue;
    for (const p of r.parts) if ('variable' in p) seen.add(p.variable);
  }
  return [...seen];
}

export interface RenderDevice {
  name: string;
  host: string;
  vendor: string;
  /** Custom fields stored on the device. */
  fields: Record<string, string>;
}

export type RenderResult = { ok: true; command: string } | { ok: false; error: string };

/** One command for one device. */
export function renderCommand(
  source: string,
  device: RenderDevice,
  inputs: Record<string, string>,
): RenderResult {
  const parsed = parseTemplate(source);
  if (!parsed.ok) return parsed;
  let out = '';
  for (const p of parsed.parts) {
    if ('text' in p) {
      out += p.text;
      continue;
    }
    let value: string | undefined;
    if (p.scope === 'device') value = device[p.key as (typeof DEVICE_VARIABLES)[number]];
    else if (p.scope === 'field')
      value = Object.hasOwn(device.fields, p.key) ? device.fields[p.key] : undefined;
    else value = Object.hasOwn(inputs, p.key) ? inputs[p.key] : undefined;
    if (value === undefined) {
      return {
        ok: false,
        error:
          p.scope === 'field'
            ? `${device.name} has no field “${p.key}” ({{${p.variable}}}).`
            : `No value for {{${p.variable}}}.`,
      };
    }
    if (CONTROL.test(value)) {
      return {
        ok: false,
        error: `{{${p.variable}}} on ${device.name} holds a control character (a line break or a key), which would send more than this command.`,
      };
    }
    out += value;
  }
  if (CONTROL.test(out)) return { ok: false, error: 'The command holds a control character.' };
  if (out.length > TASK_MAX_COMMAND_CHARS)
    return {
      ok: false,
      error: `On ${device.name} the command would have more than ${TASK_MAX_COMMAND_CHARS} characters.`,
    };
  return { ok: true, command: out };
}

/** Every command for one device, or the first reason one cannot be rendered. */
export function renderCommands(
  sources: string[],
  device: RenderDevice,
  inputs: Record<string, string>,
): { ok: true; commands: string[] } | { ok: false; error: string; command: string } {
  const commands: string[] = [];
  for (const source of sources) {
    const r = renderCommand(source, device, inputs);
    if (!r.ok) return { ok: false, error: r.error, command: source };
    commands.push(r.command);
  }
  return { ok: true, commands };
}

/** A value asked for when a template runs. */
export type InputDefinition =
  | { name: string; label: string; type: 'text'; required: boolean; default?: string; pattern?: string }
  | { name: string; label: string; type: 'choice'; required: boolean; default?: string; choices: string[] };

export type InputsResult =
  { ok: true; values: Record<string, string> } | { ok: false; errors: Record<string, string> };

/** Check run-time inputs against their definitions (defaults filled in, unknown names refused). */
export function validateInputs(defs: InputDefinition[], given: Record<string, unknown>): InputsResult {
  const errors: Record<string, string> = {};
  const values: Record<string, string> = {};
  const known = new Set(defs.map((d) => d.name));
  for (const name of Object.keys(given)) if (!known.has(name)) errors[name] = `No input is called “${name}”.`;
  for (const def of defs) {
    const raw = Object.hasOwn(given, def.name) ? given[def.name] : undefined;
    const value = raw === undefined || raw === '' ? (def.default ?? '') : raw;
    if (typeof value !== 'string') {
      errors[def.name] = `${def.label}: give text.`;
      continue;
    }
    if (value === '') {
      if (def.required) errors[def.name] = `${def.label} is required.`;
      else values[def.name] = '';
      continue;
    }
    if (value.length > INPUT_MAX_CHARS) {
      errors[def.name] = `${def.label}: at most ${INPUT_MAX_CHARS} characters.`;
      continue;
    }
    if (CONTROL.test(value)) {
      errors[def.name] = `${def.label}: no line breaks or control characters.`;
      continue;
    }
    if (def.type === 'choice' && !def.choices.includes(value)) {
      errors[def.name] = `${def.label}: choose one of ${def.choices.join(', ')}.`;
      continue;
    }
    if (def.type === 'text' && def.pattern) {
      // the whole value must match, not a part of it
      const compiled = compileUserPattern(`^(?:${def.pattern})$`);
      if (!compiled.ok || !compiled.pattern.test(value)) {
        errors[def.name] = `${def.label}: “${value}” does not have the expected form.`;
        continue;
      }
    }
    values[def.name] = value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values };
}
