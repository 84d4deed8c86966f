import { z } from 'zod';
import { ENCODINGS } from './encodings';
import { checkDeviceFields, fieldPairsOf, FIELD_ERRORS, type DeviceFields } from './fields';
import { parseSshProfile } from './ssh-algorithms';

/** Device form validation, shared by the Server Action and the form (field-level errors). */
export const VENDORS = [
  'huawei_vrp',
  'cisco_ios',
  'h3c_comware',
  'cisco_nxos',
  'arista_eos',
  'juniper_junos',
  'ruijie_os',
  'generic',
] as const;
export type Vendor = (typeof VENDORS)[number];
export const VENDOR_LABELS: Record<Vendor, string> = {
  huawei_vrp: 'Huawei VRP',
  cisco_ios: 'Cisco IOS / IOS-XE',
  h3c_comware: 'H3C Comware',
  cisco_nxos: 'Cisco NX-OS',
  arista_eos: 'Arista EOS',
  juniper_junos: 'Juniper Junos',
  ruijie_os: 'Ruijie RGOS',
  generic: 'Generic (Linux / other)',
};
export { ENCODINGS, type DeviceEncoding } from './encodings';
export const AUTH_TYPES = ['password', 'key'] as const;
export const TRANSPORTS = ['ssh', 'telnet'] as const;
export type Transport = (typeof TRANSPORTS)[number];
export const DEVICE_KINDS = ['device', 'console_line'] as const;
export const KIND_LABELS: Record<(typeof DEVICE_KINDS)[number], string> = {
  device: 'Device',
  console_line: 'Console-server line',
};

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export const deviceFormSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Name is required.')
      .max(64, 'At most 64 characters.')
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
        'Letters, digits, dot, dash and underscore; start with a letter or digit.',
      ),
    host: z
      .string()
      .trim()
      .min(1, 'Host is required.')
      .refine(
        // a dotted all-numeric name is an IPv4 address or nothing
        (h) => (/^[\d.]+$/.test(h) ? IPV4.test(h) : HOSTNAME.test(h) || z.ipv6().safeParse(h).success),
        'Not a valid hostname or IP address.',
      ),
    port: z.coerce
      .number({ error: 'Port must be a number.' })
      .int('Port must be a whole number.')
      .min(1, 'Port must be between 1 and 65535.')
      .max(65535, 'Port must be between 1 and 65535.'),
    vendor: z.enum(VENDORS, { error: 'Choose a vendor.' }),
    encoding: z.enum(ENCODINGS, { error: `Choose one of ${ENCODINGS.join(', ')}.` }),
    transport: z.enum(TRANSPORTS, { error: 'Choose SSH or telnet.' }).default('ssh'),
    kind: z.enum(DEVICE_KINDS, { error: 'Choose device or console line.' }).default('device'),
    /** `modern`, `legacy`, or a custom JSON list (ssh-algorithms.ts). */
    sshAlgorithms: z
      .string()
      .trim()
      .max(2000, 'At most 2000 characters.')
      .default('modern')
      .transform((t) => t || 'modern')
      .superRefine((t, ctx) => {
        const r = parseSshProfile(t);
        if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
      }),
    /** Concurrent sessions from the portal; empty = DEVICE_MAX_SESSIONS. */
    maxSessions: z
      .string()
      .trim()
      .default('')
      .refine(
        (v) => v === '' || (/^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= 1000),
        'A whole number from 1 to 1000, or empty for the default.',
      )
      .transform((v) => (v === '' ? null : Number(v))),
    /** The jump host's name (empty: reached directly). */
    jumpHost: z.string().trim().max(64, 'At most 64 characters.').default(''),
    /** Empty only for a console line over telnet (no login of its own). */
    username: z.string().trim().max(64, 'At most 64 characters.'),
    authType: z.enum(AUTH_TYPES, { error: 'Choose password or private key.' }),
    /** Empty on edit = keep the stored one. */
    password: z.string().max(256, 'At most 256 characters.').default(''),
    privateKey: z.string().max(16384, 'Key is too large.').default(''),
    passphrase: z.string().max(256, 'At most 256 characters.').default(''),
    enableSecret: z.string().max(256, 'At most 256 characters.').default(''),
    notes: z.string().max(2000, 'At most 2000 characters.').default(''),
    /**
     * Custom fields as JSON: [key, value] pairs (the form) or an object (the API). Absent: the stored
     * fields stay (a new device has none).
     */
    fields: z
      .string()
      .max(64 * 1024, FIELD_ERRORS.tooMany)
      .optional()
      .transform((json, ctx): DeviceFields | undefined => {
        if (json === undefined) return undefined;
        const pairs = fieldPairsOf(json);
        if (!pairs) {
          ctx.addIssue({ code: 'custom', message: FIELD_ERRORS.shape });
          return z.NEVER;
        }
        const r = checkDeviceFields(pairs);
        if (!r.ok) {
          ctx.addIssue({ code: 'custom', message: r.error, path: r.key === undefined ? [] : [r.key] });
          return z.NEVER;
        }
        return r.fields;
      }),
  })
  .strip();

export type DeviceFormInput = z.infer<typeof deviceFormSchema>;

export const DEVICE_FORM_FIELDS = Object.keys(deviceFormSchema.shape) as (keyof DeviceFormInput)[];

export type FieldErrors = Partial<Record<keyof DeviceFormInput | 'form', string>>;

export interface CredentialPresence {
  hasSecret: boolean;
  authType: (typeof AUTH_TYPES)[number];
}

/**
 * Validate a submitted device form. On create a password or key is required; on edit an empty
 * secret keeps the stored one, unless the auth type changed.
 */
export function validateDeviceForm(
  raw: Record<string, unknown>,
  existing?: CredentialPresence,
): { ok: true; value: DeviceFormInput } | { ok: false; errors: FieldErrors } {
  const result = deviceFormSchema.safeParse(raw);
  const errors: FieldErrors = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = (issue.path[0] as keyof DeviceFormInput | undefined) ?? 'form';
      errors[key] ??= issue.message;
    }
  }
  // Cross-field rules run even when other fields are wrong, so every error shows at once.
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : '');
  const authType = result.success ? result.data.authType : str('authType');
  const password = result.success ? result.data.password : str('password');
  const privateKey = result.success ? result.data.privateKey : str('privateKey');
  const keepsSecret = existing?.hasSecret && existing.authType === authType;
  // a console line over telnet lands on the device's own prompt: no login of its own
  const noLogin = str('transport') === 'telnet' && str('kind') === 'console_line';
  if (!noLogin && !str('username').trim()) errors.username ??= 'Username is required.';
  if (str('transport') === 'telnet' && authType === 'key')
    errors.authType ??= 'Telnet logs in with a password; a private key needs SSH.';
  if (authType === 'password' && !password && !keepsSecret && !noLogin)
    errors.password ??= 'Password is required.';
  if (authType === 'key' && !privateKey.trim() && !keepsSecret)
    errors.privateKey ??= 'Private key is required.';
  if (authType === 'key' && privateKey.trim() && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
    errors.privateKey ??= 'Paste a PEM or OpenSSH private key (-----BEGIN … PRIVATE KEY-----).';
  }
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: result.data };
}

/** Pick only the known fields out of a FormData (Next adds its own $ACTION fields). */
export function formDataToObject(fd: FormData, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = fd.get(f);
    if (typeof v === 'string') out[f] = v;
  }
  return out;
}
