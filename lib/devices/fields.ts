/**
 * A device's custom fields (site, rack, role…): what templates fill in as `{{field.<key>}}`. Stored
 * as a JSON object in Device.fields; set on the device form, through the REST API (`fields`) and by
 * the import's `field.<key>` columns. Browser-safe: the form's editor checks each row with these too.
 */

/** Fields one device may have. */
export const DEVICE_FIELDS_MAX = 32;
/** Characters of a key; the pattern below says the same. */
export const DEVICE_FIELD_KEY_MAX_CHARS = 32;
/** Characters of a value. */
export const DEVICE_FIELD_VALUE_MAX_CHARS = 256;
/** A lowercase letter, then lowercase letters, digits or `_` (a subset of a template variable's name). */
export const DEVICE_FIELD_KEY = /^[a-z][a-z0-9_]{0,31}$/;
/** The import's column for field `<key>`: `field.<key>`. */
export const FIELD_COLUMN_PREFIX = 'field.';

// C0 (tab included), DEL, C1, and the Unicode line and paragraph separators: a value is one line
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

/** The messages (lib/devices/schema.ts's style: the form translates the ones it knows). */
export const FIELD_ERRORS = {
  key: 'Keys start with a lowercase letter, then lowercase letters, digits or _ (at most 32 characters).',
  keyMissing: 'Give each field a key, or remove it.',
  duplicate: 'Each key may appear once.',
  valueMissing: 'Give each field a value, or remove it.',
  valueControl: 'Values are one line of text, without control characters.',
  valueLong: 'Values are at most 256 characters.',
  tooMany: 'At most 32 fields.',
  shape: 'Fields must be an object of text values.',
} as const;

export type DeviceFields = Record<string, string>;

/** What is wrong with a key, or null. */
export function fieldKeyProblem(key: string): string | null {
  if (key === '') return FIELD_ERRORS.keyMissing;
  return DEVICE_FIELD_KEY.test(key) ? null : FIELD_ERRORS.key;
}

/** What is wrong with a value, or null. */
export function fieldValueProblem(value: string): string | null {
  if (value === '') return FIELD_ERRORS.valueMissing;
  if (CONTROL.test(value)) return FIELD_ERRORS.valueControl;
  if (value.length > DEVICE_FIELD_VALUE_MAX_CHARS) return FIELD_ERRORS.valueLong;
  return null;
}

export type FieldsCheck =
  | { ok: true; fields: DeviceFields }
  | {
      ok: false;
      error: string;
      /** the key (as given) the error is about, when it is one field's */ key?: string;
    };

/**
 * Check fields given as [key, value] pairs, in order (the form's rows, the API's object, the import's
 * columns): keys and values are trimmed, a row with neither is dropped, the rest must be valid.
 */
export function checkDeviceFields(pairs: readonly (readonly [string, string])[]): FieldsCheck {
  const out: DeviceFields = {};
  let count = 0;
  for (const [rawKey, rawValue] of pairs) {
    const key = rawKey.trim();
    const value = rawValue.trim();
    if (key === '' && value === '') continue;
    const problem = fieldKeyProblem(key) ?? fieldValueProblem(value);
    if (problem) return { ok: false, error: problem, key };
    if (Object.hasOwn(out, key)) return { ok: false, error: FIELD_ERRORS.duplicate, key };
    out[key] = value;
    if (++count > DEVICE_FIELDS_MAX) return { ok: false, error: FIELD_ERRORS.tooMany };
  }
  return { ok: true, fields: out };
}

/**
 * The form's and the API's `fields` as sent: JSON of [key, value] pairs (the form: it keeps the
 * rows' order and a repeated key) or of an object (the API). Null when it is neither.
 */
export function fieldPairsOf(json: string): [string, string][] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  const isText = (v: unknown): v is string => typeof v === 'string';
  if (Array.isArray(parsed)) {
    const pairs: [string, string][] = [];
    for (const p of parsed) {
      if (!Array.isArray(p) || p.length !== 2 || !isText(p[0]) || !isText(p[1])) return null;
      pairs.push([p[0], p[1]]);
    }
    return pairs;
  }
  if (parsed && typeof parsed === 'object') {
    const entries = Object.entries(parsed);
    return entries.every((e): e is [string, string] => isText(e[1])) ? entries : null;
  }
  return null;
}

/** The stored column as an object (unreadable or odd JSON is no fields). */
export function readDeviceFields(stored: string | null | undefined): DeviceFields {
  if (!stored) return {};
  const pairs = fieldPairsOf(stored);
  if (!pairs) return {};
  return Object.fromEntries(pairs.filter(([k]) => k !== '__proto__'));
}

/** The column's text for fields (keys in the order given). */
export const storeDeviceFields = (fields: DeviceFields): string => JSON.stringify(fields);

/** The same fields, whatever their order. */
export function sameDeviceFields(a: DeviceFields, b: DeviceFields): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}
