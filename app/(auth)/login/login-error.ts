/**
 * Pure: what kind of refusal a sign-in error text is. next-auth hands the form only the English
 * message lib/auth/sign-in.ts threw (LOGIN_ERRORS); the form shows it in the reader's language when
 * it is one of those, and as it came otherwise.
 */
export type LoginError =
  | { code: 'invalid' }
  | { code: 'disabled' }
  | { code: 'throttled'; unit: 'second' | 'minute'; count: number }
  | { code: 'other'; text: string };

const THROTTLED = /^Too many failed sign-ins\. Try again in (\d+) (second|minute)s?\.$/;

export function classifyLoginError(error: string | null | undefined): LoginError {
  if (!error || error === 'CredentialsSignin' || error === 'Wrong username or password.')
    return { code: 'invalid' };
  if (error === 'This account is disabled. Ask an administrator.') return { code: 'disabled' };
  const m = THROTTLED.exec(error);
  if (m) return { code: 'throttled', unit: m[2] as 'second' | 'minute', count: Number(m[1]) };
  return { code: 'other', text: error };
}
