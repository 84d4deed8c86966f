/**
 * The English error strings lib/ answers with (shared with the REST API, so they stay English there),
 * recognised so the admin pages can say them in the reader's language. A string not listed here is
 * shown as it came. Plain module: used by Server Actions and unit-tested.
 */
export type KnownErrorKey =
  | 'invalidRequest'
  | 'sessionEnded'
  | 'roleDenied'
  | 'noSuchUser'
  | 'noSuchGroup'
  | 'noSuchTeam'
  | 'groupExists'
  | 'teamExists'
  | 'noDeviceNamed'
  | 'jumpHostTelnet'
  | 'ownRole'
  | 'disableSelf'
  | 'chooseRole';

export interface KnownError {
  key: KnownErrorKey;
  values: Record<string, string>;
}

const EXACT: Record<string, KnownErrorKey> = {
  'Invalid request.': 'invalidRequest',
  'Your session has ended. Sign in again.': 'sessionEnded',
  'Your role does not allow this.': 'roleDenied',
  'No such user.': 'noSuchUser',
  'No such group.': 'noSuchGroup',
  'No such team.': 'noSuchTeam',
  'You cannot change your own role.': 'ownRole',
  'You cannot disable yourself.': 'disableSelf',
  'Choose admin, operator or viewer.': 'chooseRole',
};

const PATTERNS: [RegExp, KnownErrorKey][] = [
  [/^A group named “(?<name>.+)” already exists\.$/s, 'groupExists'],
  [/^A team named “(?<name>.+)” already exists\.$/s, 'teamExists'],
  [/^No device named (?<name>.+)\.$/s, 'noDeviceNamed'],
  [/^(?<name>.+) is reached over telnet; a jump host must be an SSH device\.$/s, 'jumpHostTelnet'],
];

/** The message key (and its arguments) for one of lib's known errors, or null for any other text. */
export function knownError(error: string): KnownError | null {
  const exact = EXACT[error];
  if (exact) return { key: exact, values: {} };
  for (const [re, key] of PATTERNS) {
    const m = re.exec(error);
    if (m?.groups) return { key, values: { ...m.groups } };
  }
  return null;
}
