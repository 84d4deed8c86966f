import 'server-only';
import { createTranslator } from 'next-intl';
import { getTranslations } from 'next-intl/server';
import { en } from '@/messages';
import { knownWebhookError } from './known-errors';

const english = () => createTranslator({ locale: 'en', messages: en, namespace: 'webhooks' });

export type WebhooksTranslator = ReturnType<typeof english>;

/**
 * The webhooks namespace (webhooks and output settings) in the request's language, for Server
 * Actions. Outside a request (the integration tests call the actions directly) it speaks English.
 */
export async function webhooksTranslator(): Promise<WebhooksTranslator> {
  try {
    return (await getTranslations('webhooks')) as unknown as WebhooksTranslator;
  } catch {
    return english();
  }
}

/** lib's English error in the reader's language when it is one we know; otherwise as it came. */
export function localiseWebhookError(t: WebhooksTranslator, error: string): string {
  const known = knownWebhookError(error);
  return known ? t(`errors.${known.key}`, known.values) : error;
}

/** Every field's error translated. */
export function localiseErrors(
  t: WebhooksTranslator,
  errors: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, localiseWebhookError(t, v)]));
}
