import { describe, expect, it } from 'vitest';
import { REVOCATION_REASONS } from '../auth/session-version';
import { accessVerdict, SESSION_ENDED_REASON, type AccountState, type TokenCheck } from './access';
import type { Identity } from './upgrade';

const socket = (id: string, identity: Partial<Identity> & { userId: string }) => ({
  id,
  identity: { username: identity.userId, role: 'operator' as const, sessionVersion: 0, ...identity },
});
const account = (id: string, over: Partial<AccountState> = {}): [string, AccountState] => [
  id,
  { id, role: 'operator', disabled: false, sessionVersion: 0, ...over },
];

describe('accessVerdict', () => {
  it('keeps every socket whose account, session and token still hold', () => {
    const conns = [socket('a', { userId: 'u' }), socket('b', { userId: 'u', tokenId: 't' })];
    const tokens = new Map<string, TokenCheck>([['t', { ok: true }]]);
    expect(accessVerdict(conns, new Map([account('u')]), tokens)).toEqual({ revocations: [], stale: [] });
  });

  it('revokes a disabled or vanished user once, whatever the number of sockets', () => {
    const conns = [
      socket('a', { userId: 'off' }),
      socket('b', { userId: 'off' }),
      socket('c', { userId: 'gone' }),
    ];
    const users = new Map([account('off', { disabled: true })]);
    expect(accessVerdict(conns, users, new Map())).toEqual({
      revocations: [
        { userId: 'off', scope: 'all', reason: REVOCATION_REASONS.disabled },
        { userId: 'gone', scope: 'all', reason: SESSION_ENDED_REASON },
      ],
      stale: [],
    });
  });

  it('ends only the sockets of an older session or role; a newer session of the same user stays', () => {
    const old = socket('old', { userId: 'u', sessionVersion: 1 });
    const fresh = socket('fresh', { userId: 'u', sessionVersion: 2 });
    const demoted = socket('demoted', { userId: 'v', role: 'operator' });
    const users = new Map([account('u', { sessionVersion: 2 }), account('v', { role: 'viewer' })]);
    expect(accessVerdict([old, fresh, demoted], users, new Map())).toEqual({
      revocations: [],
      stale: [
        { conn: old, reason: SESSION_ENDED_REASON },
        { conn: demoted, reason: REVOCATION_REASONS.roleChanged },
      ],
    });
  });

  it('revokes a failing token once; a token not looked up is not judged', () => {
    const conns = [
      socket('a', { userId: 'u', tokenId: 'bad' }),
      socket('b', { userId: 'u', tokenId: 'bad' }),
      socket('c', { userId: 'u', tokenId: 'unchecked' }),
    ];
    const tokens = new Map<string, TokenCheck>([['bad', { ok: false, message: 'This token was revoked.' }]]);
    expect(accessVerdict(conns, new Map([account('u')]), tokens).revocations).toEqual([
      { userId: 'u', scope: { tokenId: 'bad' }, reason: 'This token was revoked.' },
    ]);
  });

  it('a socket whose session version is unknown (a token resolved without it) is judged on account and role', () => {
    const conns = [{ id: 'a', identity: { userId: 'u', username: 'u', role: 'operator' as const } }];
    expect(accessVerdict(conns, new Map([account('u', { sessionVersion: 7 })]), new Map())).toEqual({
      revocations: [],
      stale: [],
    });
  });
});
