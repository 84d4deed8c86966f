import type { Messages } from '@/messages';

/**
 * The task service and its form schema (lib/tasks) answer in English, because the REST API shares
 * them. The pages show those answers in the reader's language: each known message is recognised
 * here and named by its key in messages/<locale>/tasks.json (`errors.*`) with the values it carries.
 * A message not recognised (a new one, or RE2's own words about a pattern) is shown as it came.
 * Browser-safe: the server actions and the per-command options editor both use it.
 */
export type TaskErrorKey = keyof Messages['tasks']['errors'];
export type TaskErrorValues = Record<string, string | number>;
export type TranslateTaskError = (key: TaskErrorKey, values?: TaskErrorValues) => string;

interface Known {
  re: RegExp;
  key: TaskErrorKey;
  values?: (m: RegExpExecArray) => TaskErrorValues;
  /** Its `reason` value is a guard-rail decision, in English: localised too (GUARD_REASONS). */
  guardReason?: boolean;
}

const num = (s: string | undefined) => Number(s);

const KNOWN: Known[] = [
  { re: /^Give the task a name\.$/, key: 'nameRequired' },
  { re: /^At most (\d+) characters\.$/, key: 'maxChars', values: (m) => ({ max: num(m[1]) }) },
  { re: /^Enter at least one command\.$/, key: 'commandsRequired' },
  { re: /^At most (\d+) commands\.$/, key: 'maxCommands', values: (m) => ({ max: num(m[1]) }) },
  {
    re: /^A command may have at most (\d+) characters\.$/,
    key: 'commandTooLong',
    values: (m) => ({ max: num(m[1]) }),
  },
  { re: /^Commands cannot contain control characters\.$/, key: 'commandControl' },
  { re: /^No control characters\.$/, key: 'noControl' },
  { re: /^Say what the device asks \(text it shows, e\.g\. \[Y\/N\]\)\.$/, key: 'promptRequired' },
  { re: /^At most (\d+) answers per command\.$/, key: 'maxAnswers', values: (m) => ({ max: num(m[1]) }) },
  { re: /^Command options are not valid JSON\.$/, key: 'optionsJson' },
  {
    re: /^A command's timeout must be between (\d+) and (\d+) seconds\.$/,
    key: 'commandTimeoutRange',
    values: (m) => ({ min: num(m[1]), max: num(m[2]) }),
  },
  { re: /^Timeout must be a number\.$/, key: 'timeoutNumber' },
  { re: /^Timeout must be a whole number of seconds\.$/, key: 'timeoutWhole' },
  {
    re: /^Timeout must be between (\d+) and (\d+) seconds\.$/,
    key: 'timeoutRange',
    values: (m) => ({ min: num(m[1]), max: num(m[2]) }),
  },
  { re: /^Concurrency must be a number\.$/, key: 'concurrencyNumber' },
  { re: /^Concurrency must be a whole number\.$/, key: 'concurrencyWhole' },
  {
    re: /^Concurrency must be between (\d+) and (\d+)\.$/,
    key: 'concurrencyRange',
    values: (m) => ({ min: num(m[1]), max: num(m[2]) }),
  },
  { re: /^At most (\d+) failure patterns\.$/, key: 'maxPatterns', values: (m) => ({ max: num(m[1]) }) },
  {
    re: /^A pattern may have at most (\d+) characters\.$/,
    key: 'patternTooLong',
    values: (m) => ({ max: num(m[1]) }),
  },
  // RE2's explanation stays as it is: it quotes the pattern
  { re: /^Not a valid pattern: ([\s\S]*)$/, key: 'patternInvalid', values: (m) => ({ detail: m[1] ?? '' }) },
  { re: /^Per-vendor commands are not valid JSON\.$/, key: 'vendorJson' },
  {
    re: /^Unknown vendor “([^”]*)” \(use ([^)]*)\)\.$/,
    key: 'unknownVendor',
    values: (m) => ({ vendor: m[1] ?? '', vendors: m[2] ?? '' }),
  },
  {
    re: /^(.+): at most (\d+) commands\.$/,
    key: 'vendorMaxCommands',
    values: (m) => ({ vendor: m[1] ?? '', max: num(m[2]) }),
  },
  {
    re: /^No commands for (.+) \(([\w-]+)\) in this task\.$/,
    key: 'noCommandsForVendor',
    values: (m) => ({ vendor: m[1] ?? '', code: m[2] ?? '' }),
  },
  { re: /^Choose at least one device\.$/, key: 'devicesRequired' },
  { re: /^At most (\d+) devices per task\.$/, key: 'maxDevices', values: (m) => ({ max: num(m[1]) }) },
  {
    re: /^(\d+) of the chosen devices (?:does|do) not exist or (?:is|are) not available to you\.$/,
    key: 'devicesUnavailable',
    values: (m) => ({ count: num(m[1]) }),
  },
  {
    re: /^You already have (\d+) tasks queued or running \(limit (\d+)\)\. Wait for one to finish or cancel one\.$/,
    key: 'tooManyActive',
    values: (m) => ({ active: num(m[1]), limit: num(m[2]) }),
  },
  { re: /^No such task\.$/, key: 'noSuchTask' },
  { re: /^The task has already been cancelled\.$/, key: 'alreadyCancelled' },
  { re: /^The task has already finished\.$/, key: 'alreadyFinished' },
  { re: /^The task is still running\.$/, key: 'stillRunning' },
  { re: /^No device of this task failed\.$/, key: 'noFailed' },
  { re: /^Your session has ended\. Sign in again\.$/, key: 'sessionEnded' },
  { re: /^Your role does not allow this\.$/, key: 'roleDenied' },
  { re: /^Invalid request\.$/, key: 'invalidRequest' },
  // why a task stopped or started again (its statusReason)
  { re: /^Cancelled by the user\.$/, key: 'cancelledByUser' },
  { re: /^Resumed after a server restart\.$/, key: 'resumedAfterRestart' },
  {
    re: /^The server restarted before the task finished \(TASKS_RESUME_ON_START=off\)\.$/,
    key: 'interruptedByRestart',
  },
  // a device the guard rails refused as it was about to run (lib/tasks/guard.ts notRunByGuard)
  {
    re: /^Not run: the guard rails refuse «(.+?)» \((.+)\); no command was sent\.$/,
    key: 'guardRunDenied',
    values: (m) => ({ command: m[1] ?? '', reason: m[2] ?? '' }),
    guardReason: true,
  },
  {
    re: /^Not run: «(.+?)» needs a second person's approval \((.+)\); no command was sent\.$/,
    key: 'guardRunApproval',
    values: (m) => ({ command: m[1] ?? '', reason: m[2] ?? '' }),
    guardReason: true,
  },
  {
    re: /^Not run: «(.+?)» now needs confirming \((.+)\); create the task again to confirm it\. No command was sent\.$/,
    key: 'guardRunConfirm',
    values: (m) => ({ command: m[1] ?? '', reason: m[2] ?? '' }),
    guardReason: true,
  },
];

/** A guard-rail decision's English (lib/policy/guard-text.ts `decision`), recognised. */
const ACTIONS: Record<string, string> = {
  allows: 'allow',
  denies: 'deny',
  'asks to confirm': 'confirm',
  'needs approval for': 'approve',
};
const GUARD_REASONS: Known[] = [
  {
    re: /^Rule «(.+)» (allows|denies|asks to confirm|needs approval for) «(.+)»\.$/,
    key: 'guardRule',
    values: (m) => ({ rule: m[1] ?? '', action: ACTIONS[m[2]!] ?? 'other', command: m[3] ?? '' }),
  },
  {
    re: /^«(.+)» is not a read-only command, and viewers may only run those\.$/,
    key: 'guardReadOnly',
    values: (m) => ({ command: m[1] ?? '' }),
  },
];

/** A guard-rail reason in the reader's language (as it came when not recognised). */
function localiseGuardReason(reason: string, t: TranslateTaskError): string {
  for (const k of GUARD_REASONS) {
    const m = k.re.exec(reason);
    if (m) return t(k.key, k.values?.(m));
  }
  return reason;
}

/** Where in the form a message points: "Line 3: …", or "Cisco IOS / IOS-XE, line 2: …" (per-vendor lists). */
interface Place {
  line: number;
  vendor?: string;
}

/** The key and values of a known English message, or null; a line it names is kept apart. */
export function recogniseTaskError(
  message: string,
): { key: TaskErrorKey; values: TaskErrorValues; place?: Place; guardReason?: boolean } | null {
  const lined = /^Line (\d+): ([\s\S]*)$/.exec(message);
  const vendorLined = lined ? null : /^([^,\n]+), line (\d+): ([\s\S]*)$/.exec(message);
  const place: Place | undefined = lined
    ? { line: num(lined[1]) }
    : vendorLined
      ? { vendor: vendorLined[1]!, line: num(vendorLined[2]) }
      : undefined;
  const body = lined ? lined[2]! : vendorLined ? vendorLined[3]! : message;
  for (const k of KNOWN) {
    const m = k.re.exec(body);
    if (!m) continue;
    return {
      key: k.key,
      values: k.values?.(m) ?? {},
      ...(place ? { place } : {}),
      ...(k.guardReason ? { guardReason: true } : {}),
    };
  }
  return null;
}

/** A task error in the reader's language (unknown messages unchanged). */
export function localiseTaskError(message: string, t: TranslateTaskError): string {
  const r = recogniseTaskError(message);
  if (!r) return message;
  const values =
    r.guardReason && typeof r.values.reason === 'string'
      ? { ...r.values, reason: localiseGuardReason(r.values.reason, t) }
      : r.values;
  const text = t(r.key, values);
  if (!r.place) return text;
  return r.place.vendor === undefined
    ? t('onLine', { line: r.place.line, message: text })
    : t('onVendorLine', { vendor: r.place.vendor, line: r.place.line, message: text });
}

/** Every field error of a form answer, localised. */
export function localiseTaskErrors<T extends Partial<Record<string, string>>>(
  errors: T,
  t: TranslateTaskError,
): T {
  const out: Partial<Record<string, string>> = {};
  for (const [field, message] of Object.entries(errors)) {
    if (message !== undefined) out[field] = localiseTaskError(message, t);
  }
  return out as T;
}
