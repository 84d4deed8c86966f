import type { DeviceFormInput, FieldErrors } from './schema';

/**
 * What changes when a device is edited or re-imported with another route: the one decision shared by
 * updateDevice (the form and the API) and the CSV import. Pure.
 */
export interface RouteChange {
  /** Host or port: a different SSH server. */
  endpointChanged: boolean;
  /** Transport or jump host: the secrets would travel another way. */
  pathChanged: boolean;
  userChanged: boolean;
}

export function routeChange(
  existing: { host: string; port: number; username: string; transport: string; jumpHostId: string | null },
  next: { host: string; port: number; username: string; transport: string; jumpHostId: string | null },
): RouteChange {
  return {
    endpointChanged: existing.host !== next.host || existing.port !== next.port,
    pathChanged: existing.transport !== next.transport || existing.jumpHostId !== next.jumpHostId,
    userChanged: existing.username !== next.username,
  };
}

/**
 * A change of route (host, port, username, transport or jump host) sends the stored secrets somewhere
 * else: they must be entered again. The enable secret too, where the form shows it (Cisco).
 */
export function retargetErrors(
  existing: { enableSecretEnc: string | null },
  v: DeviceFormInput,
  change: RouteChange & { newSecret: boolean },
): FieldErrors | null {
  const { endpointChanged, pathChanged, userChanged } = change;
  if (!endpointChanged && !pathChanged && !userChanged) return null;
  const errors: FieldErrors = {};
  const what = pathChanged
    ? 'route (transport and jump host)'
    : endpointChanged && userChanged
      ? 'address and user'
      : endpointChanged
        ? 'address'
        : 'user';
  if (!change.newSecret && v.username !== '') {
    if (v.authType === 'key')
      errors.privateKey = `Paste the private key again: a stored key is only sent to the ${what} it was entered for.`;
    else
      errors.password = `Enter the password again: a stored password is only sent to the ${what} it was entered for.`;
  }
  if (
    (endpointChanged || pathChanged) &&
    existing.enableSecretEnc &&
    v.vendor === 'cisco_ios' &&
    !v.enableSecret
  ) {
    errors.enableSecret = `Enter the enable secret again: it is only sent to the ${what === 'user' ? 'address' : what} it was entered for.`;
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

/** A moved non-Cisco device forgets its enable secret (the form does not show it to re-enter). */
export function dropsEnableSecret(
  change: RouteChange,
  v: Pick<DeviceFormInput, 'vendor' | 'enableSecret'>,
): boolean {
  return change.endpointChanged && v.vendor !== 'cisco_ios' && !v.enableSecret;
}

/**
 * A different endpoint is a different SSH server. Its key is not trusted on first use: the login
 * refuses it and records it until someone who operates the device accepts it.
 */
export function endpointResetFields(now: Date) {
  return {
    hostKeyApprovalRequired: true,
    offeredHostKey: null,
    offeredHostKeyFingerprint: null,
    offeredHostKeyAt: null,
    status: 'unknown',
    statusChangedAt: now,
  };
}
