import 'server-only';
import { createTranslator } from 'next-intl';
import { getTranslations } from 'next-intl/server';
import { en } from '@/messages';

const english = () => createTranslator({ locale: 'en', messages: en, namespace: 'policies' });

export type PoliciesTranslator = ReturnType<typeof english>;

/**
 * The policies namespace in the request's language, for Server Actions. Outside a request (a test
 * calling an action directly) it speaks English.
 */
export async function policiesTranslator(): Promise<PoliciesTranslator> {
  try {
    return (await getTranslations('policies')) as unknown as PoliciesTranslator;
  } catch {
    return english();
  }
}

type ErrorKey = keyof (typeof en)['policies']['errors'];

/**
 * The English strings lib/policy and the session checks answer with (the REST API shows them as
 * they are) that the page says in the reader's language. A pattern's own error (`«(a+)+$»: Nested
 * repetition …`) quotes the pattern and stays as lib wrote it.
 */
const KNOWN: Record<string, ErrorKey> = {
  'Invalid request.': 'invalidRequest',
  'Your session has ended. Sign in again.': 'sessionEnded',
  'Your role does not allow this.': 'roleDenied',
  'No such rule.': 'noSuchRule',
  'The rule to insert before no longer exists.': 'beforeGone',
  'Give the rule a name.': 'nameMissing',
  'Write at least one command.': 'patternsMissing',
};

/** lib's English error in the reader's language when it is one we know; otherwise as it came. */
export function localisePolicyError(t: PoliciesTranslator, error: string): string {
  const key = Object.hasOwn(KNOWN, error) ? KNOWN[error]! : null;
  return key ? t(`errors.${key}`) : error;
}

/** Every field's error translated. */
export function localiseFields(
  t: PoliciesTranslator,
  fields: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, localisePolicyError(t, v)]));
}
