/**
 * The English error strings lib/automation/webhooks.ts and lib/automation/settings.ts answer with
 * (the REST API shows them as they are), recognised so the admin pages can say them in the reader's
 * language. A string not listed here is shown as it came. Plain module: used by Server Actions and
 * unit-tested.
 */
export type WebhookErrorKey =
  | 'invalidRequest'
  | 'sessionEnded'
  | 'roleDenied'
  | 'adminsOnly'
  | 'noSuchWebhook'
  | 'enterUrl'
  | 'notUrl'
  | 'scheme'
  | 'credentials'
  | 'urlTooLong'
  | 'unresolved'
  | 'local'
  | 'chooseEvent'
  | 'tooLong'
  | 'settingsAdminsOnly'
  | 'retention';

export interface KnownWebhookError {
  key: WebhookErrorKey;
  values: Record<string, string | number>;
}

const EXACT: Record<string, WebhookErrorKey> = {
  'Invalid request.': 'invalidRequest',
  'Your session has ended. Sign in again.': 'sessionEnded',
  'Your role does not allow this.': 'roleDenied',
  'Only admins configure webhooks.': 'adminsOnly',
  'No such webhook.': 'noSuchWebhook',
  'Enter a URL.': 'enterUrl',
  'Not a URL (e.g. https://hooks.example.com/switchboard).': 'notUrl',
  'Use an http:// or https:// URL.': 'scheme',
  'Put no user name or password in the URL; the signature authenticates the portal.': 'credentials',
  'At most 2000 characters.': 'urlTooLong',
  'Choose at least one event.': 'chooseEvent',
  'Only admins change output settings.': 'settingsAdminsOnly',
};

const PATTERNS: [RegExp, WebhookErrorKey, (g: Record<string, string>) => Record<string, string | number>][] =
  [
    [/^(?<host>.+) does not resolve\.$/s, 'unresolved', (g) => ({ host: g.host! })],
    [
      /^(?<host>.+) is a loopback or link-local address \((?<address>[^)]+)\); an admin must allow local addresses for this webhook\.$/s,
      'local',
      (g) => ({ host: g.host!, address: g.address! }),
    ],
    [/^At most (?<max>\d+) characters\.$/, 'tooLong', (g) => ({ max: Number(g.max) })],
    [
      /^Enter a whole number of days from (?<min>\d+) to (?<max>\d+)\.$/,
      'retention',
      (g) => ({ min: Number(g.min), max: Number(g.max) }),
    ],
  ];

/** The message key (and its arguments) for one of lib's known errors, or null for any other text. */
export function knownWebhookError(error: string): KnownWebhookError | null {
  const exact = EXACT[error];
  if (exact) return { key: exact, values: {} };
  for (const [re, key, values] of PATTERNS) {
    const m = re.exec(error);
    if (m?.groups) return { key, values: values(m.groups) };
  }
  return null;
}
