import devices from '@/messages/en/devices.json';

type ErrorKey = keyof (typeof devices)['errors'];

/**
 * The device form's validation messages come from lib/devices/schema.ts in English (the REST API
 * answers with the same words). The form shows the ones it knows in the user's language: this finds
 * the message key for an English message, or null for one to show as it is (e.g. a jump-host or
 * custom-algorithm error that names the problem in detail).
 */
const BY_TEXT: ReadonlyMap<string, ErrorKey> = new Map(
  (Object.entries(devices.errors) as [ErrorKey, string][]).map(([k, text]) => [text, k]),
);

export function fieldErrorKey(message: string): ErrorKey | null {
  return BY_TEXT.get(message) ?? null;
}
