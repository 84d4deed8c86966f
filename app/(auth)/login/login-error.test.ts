import { describe, expect, it } from 'vitest';
import { LOGIN_ERRORS } from '@/lib/auth/sign-in';
import { classifyLoginError } from './login-error';

describe('classifyLoginError', () => {
  it('knows each refusal the sign-in service gives, whatever its wording for the wait', () => {
    expect(classifyLoginError(LOGIN_ERRORS.invalid)).toEqual({ code: 'invalid' });
    expect(classifyLoginError(LOGIN_ERRORS.disabled)).toEqual({ code: 'disabled' });
    expect(classifyLoginError(LOGIN_ERRORS.throttled(1_000))).toEqual({
      code: 'throttled',
      unit: 'second',
      count: 1,
    });
    expect(classifyLoginError(LOGIN_ERRORS.throttled(42_000))).toEqual({
      code: 'throttled',
      unit: 'second',
      count: 42,
    });
    expect(classifyLoginError(LOGIN_ERRORS.throttled(60_000))).toEqual({
      code: 'throttled',
      unit: 'minute',
      count: 1,
    });
    expect(classifyLoginError(LOGIN_ERRORS.throttled(15 * 60_000))).toEqual({
      code: 'throttled',
      unit: 'minute',
      count: 15,
    });
  });

  it("treats next-auth's generic refusal and a missing text as a wrong password", () => {
    expect(classifyLoginError('CredentialsSignin')).toEqual({ code: 'invalid' });
    expect(classifyLoginError(undefined)).toEqual({ code: 'invalid' });
  });

  it('passes any other text through as it came', () => {
    expect(classifyLoginError('Configuration')).toEqual({ code: 'other', text: 'Configuration' });
  });
});
