import 'server-only';
import { createTranslator } from 'next-intl';
import { getTranslations } from 'next-intl/server';
import { en } from '@/messages';
import { knownError } from './known-errors';

const english = () => createTranslator({ locale: 'en', messages: en, namespace: 'admin' });

export type AdminTranslator = ReturnType<typeof english>;

/**
 * The admin namespace in the request's language, for Server Actions. Outside a request (the unit
 * tests call the actions directly, where next-intl has no request to read) it speaks English.
 */
export async function adminTranslator(): Promise<AdminTranslator> {
  try {
    return (await getTranslations('admin')) as unknown as AdminTranslator;
  } catch {
    return english();
  }
}

/** lib's English error in the reader's language when it is one we know; otherwise as it came. */
export function localiseError(t: AdminTranslator, error: string): string {
  const known = knownError(error);
  return known ? t(`errors.${known.key}`, known.values) : error;
}
