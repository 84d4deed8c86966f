import { driverFor, NOT_SECRET_LINE, SECRET_MARK, type SecretRule } from '../devices/drivers';

/**
 * Hides the secrets in configuration output (password hashes, SNMP communities, keys, pre-shared
 * secrets) with the vendor driver's rules before anything stores or sends it: task output,
 * configuration history, diffs, exports, webhooks. Pure and synchronous.
 */
export { SECRET_MARK };

export interface Redacted {
  text: string;
  /** How many secrets were hidden (0 when the text had none, or had them hidden already). */
  hidden: number;
}

const QUOTED_MARK = `"${SECRET_MARK}"`;

/**
 * `text` with every secret the vendor's driver knows replaced by SECRET_MARK, keeping the keywords
 * around it (`snmp-server community <secret hidden> RO`). An unknown vendor gets every family's rules.
 * Idempotent: a hidden secret is left as it is and not counted again. Linear in the length of `text`:
 * each rule is (patterns.test.ts times them), and a line runs only the rules whose hint it holds.
 * Never throws.
 */
export function redactSecrets(text: string, vendor: string): Redacted {
  if (typeof text !== 'string' || text === '')
    return { text: typeof text === 'string' ? text : '', hidden: 0 };
  const rules = driverFor(String(vendor)).secrets;
  let hidden = 0;
  let out = text;
  for (const rule of rules) {
    if (!rule.spansLines || !holdsHint(out, rule)) continue;
    const applied = applyRule(out, rule);
    out = applied.text;
    hidden += applied.hidden;
  }
  // a rule whose hints are nowhere in the text has none in any line: most command output (a version,
  // interfaces, routes) holds no hint at all and is returned as it is, without being cut into lines
  const lineRules = rules.filter((r) => !r.spansLines && holdsHint(out, r));
  if (lineRules.length === 0) return { text: out, hidden };
  const pieces: string[] = [];
  let start = 0;
  while (start <= out.length) {
    const nl = out.indexOf('\n', start);
    const end = nl === -1 ? out.length : nl;
    let line = out.slice(start, end);
    if (!NOT_SECRET_LINE.test(line)) {
      for (const rule of lineRules) {
        if (!holdsHint(line, rule)) continue;
        const applied = applyRule(line, rule);
        line = applied.text;
        hidden += applied.hidden;
      }
    }
    pieces.push(line);
    if (nl === -1) break;
    start = nl + 1;
  }
  return { text: pieces.join('\n'), hidden };
}

/** Whether `text` holds one of the rule's hints (a loop: no closure per line and rule). */
function holdsHint(text: string, rule: SecretRule): boolean {
  for (const h of rule.hints) if (text.includes(h)) return true;
  return false;
}

function applyRule(text: string, rule: SecretRule): Redacted {
  let hidden = 0;
  // `test` is many times cheaper than `replace` with a callback, and most lines hold no secret
  rule.pattern.lastIndex = 0;
  if (!rule.pattern.test(text)) return { text, hidden };
  rule.pattern.lastIndex = 0;
  const replaced = text.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
    // named groups come last, then the whole input, then the offset of the match
    const groups = rest[rest.length - 1] as { keep?: string; secret?: string } | undefined;
    const input = rest[rest.length - 2] as string;
    const offset = rest[rest.length - 3] as number;
    const keep = groups?.keep ?? '';
    const secret = groups?.secret ?? '';
    if (keep === '') return match;
    const value = hide(secret, input, offset + keep.length);
    if (value === null) return match;
    hidden++;
    return keep + value + match.slice(keep.length + secret.length);
  });
  return { text: replaced, hidden };
}

/** What replaces `secret` (found at `at` in `input`), or null when there is nothing left to hide. */
function hide(secret: string, input: string, at: number): string | null {
  if (input.startsWith(SECRET_MARK, at) || input.startsWith(QUOTED_MARK, at)) return null;
  if (secret.length >= 2 && secret.startsWith('"') && secret.endsWith('"')) return QUOTED_MARK;
  // a key block's body ends in the line break before its END line, which stays
  const body = secret.trimEnd();
  if (body === '') return null;
  return SECRET_MARK + secret.slice(body.length);
}
