// No 'server-only' marker: the WebSocket upgrade (server.ts, plain Node) checks sessions too.

/**
 * A session (next-auth JWT) carries the user's session version from the moment of sign-in, under this
 * claim. Password reset, disable, role change and "sign out everywhere" bump `User.sessionVersion`, so
 * every session issued before the change stops being accepted: pages, Server Actions and WebSocket
 * upgrades all compare the two.
 */
export const SESSION_VERSION_CLAIM = 'sv';

/** The version a decoded token carries; tokens issued before versions existed count as version 0. */
export function sessionVersionOf(token: Record<string, unknown> | null | undefined): number {
  const v = token?.[SESSION_VERSION_CLAIM];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}

/** What a signed-out browser is told, by cause (terminal tabs and WebSocket close frames show it). */
export const REVOCATION_REASONS = {
  disabled: 'Your account was disabled.',
  passwordReset: 'Your password was reset. Sign in again.',
  passwordChanged: 'Your password was changed. Sign in again.',
  roleChanged: 'Your role was changed. Sign in again.',
  signedOutEverywhere: 'You were signed out everywhere. Sign in again.',
} as const;
