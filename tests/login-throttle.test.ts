import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../lib/auth/password';
import { signInWithPassword, type SignInInput } from '../lib/auth/sign-in';
import { LoginThrottle, type ThrottleKey } from '../lib/auth/throttle';
import { DatabaseThrottleStore } from '../lib/auth/throttle-store';
import { createPrismaClient, type PrismaClient } from '../lib/db/client';
import { createVault } from '../lib/devices/vault';
import { createRuntime, type Runtime, type RuntimeTunables } from '../lib/server/runtime';
import { TEST_SECRET, testTunables } from './harness';
import { freshDatabase } from './helpers';

const PASSWORD = 'the-admins-own-password';
const ADMIN_ADDRESS = '198.51.100.10';
const ATTACKER = '203.0.113.66';

const open: Runtime[] = [];
afterEach(async () => {
  for (const rt of open.splice(0)) await rt.close();
});

async function runtimeOn(db: PrismaClient, tunables: Partial<RuntimeTunables> = {}): Promise<Runtime> {
  const rt = await createRuntime({
    db,
    vault: createVault(TEST_SECRET),
    log: pino({ level: 'silent' }),
    statusMonitor: false,
    tunables: testTunables({ LOGIN_MAX_FAILURES: 5, ...tunables }),
  });
  open.push(rt);
  return rt;
}

/** A runtime on a fresh database with one admin, and a sign-in that counts password checks. */
async function setup(tunables: Partial<RuntimeTunables> = {}) {
  const { db, url } = freshDatabase();
  await db.user.create({
    data: { username: 'admin', role: 'admin', passwordHash: await hashPassword(PASSWORD) },
  });
  const rt = await runtimeOn(db, tunables);
  const checks = { count: 0 };
  const signIn = (input: SignInInput, runtime: Runtime = rt) =>
    signInWithPassword(input, {
      ...runtime,
      verifyPassword: (hash, password) => {
        checks.count++;
        return verifyPassword(hash, password);
      },
    });
  return { db, url, rt, checks, signIn };
}

describe('sign-in throttle (real SQLite database)', () => {
  it('40 parallel wrong passwords get no more password checks than the free budget', async () => {
    const { checks, signIn } = await setup();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        signIn({ username: 'admin', password: `guess-${i}`, ip: ATTACKER }),
      ),
    );
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(checks.count).toBe(5); // exactly the free budget: no more, and parallel guesses are not lost
    expect(results.filter((r) => !r.ok && r.code === 'throttled').length).toBe(40 - checks.count);
  });

  it('the first wait is LOGIN_BACKOFF_BASE_MS', async () => {
    const { signIn } = await setup({ LOGIN_BACKOFF_BASE_MS: 90_000 });
    for (let i = 0; i < 5; i++)
      expect(await signIn({ username: 'admin', password: `guess-${i}`, ip: ATTACKER })).toMatchObject({
        code: 'invalid',
      });
    expect(await signIn({ username: 'admin', password: PASSWORD, ip: ATTACKER })).toMatchObject({
      code: 'throttled',
      message: 'Too many failed sign-ins. Try again in 2 minutes.',
    });
  });

  it('the admin still signs in from their address after another address failed many times', async () => {
    // a long first wait, so that the 30 guesses cannot outlast it on a slow machine
    const { signIn, checks } = await setup({ LOGIN_BACKOFF_BASE_MS: 60_000 });
    for (let i = 0; i < 30; i++) {
      const r = await signIn({ username: 'admin', password: `guess-${i}`, ip: ATTACKER });
      expect(r.ok).toBe(false);
    }
    // the attacker is slowed: even the right password is not checked from there for now
    const before = checks.count;
    const fromAttacker = await signIn({ username: 'admin', password: PASSWORD, ip: ATTACKER });
    expect(fromAttacker).toMatchObject({ ok: false, code: 'throttled' });
    expect(checks.count).toBe(before);
    // the admin, from their usual address, gets in at once
    const admin = await signIn({ username: 'admin', password: PASSWORD, ip: ADMIN_ADDRESS });
    expect(admin).toMatchObject({ ok: true, user: { username: 'admin' } });
  });

  it('failures spread over many addresses do not lock the admin out either', async () => {
    const { signIn } = await setup();
    for (let i = 0; i < 25; i++) {
      await signIn({ username: 'admin', password: `guess-${i}`, ip: `203.0.113.${i + 1}` });
    }
    const admin = await signIn({ username: 'admin', password: PASSWORD, ip: ADMIN_ADDRESS });
    expect(admin.ok).toBe(true);
  });

  it('occasional typos by many people behind one address do not add up to a wait', async () => {
    const { db, signIn } = await setup();
    const hash = await hashPassword(PASSWORD);
    const people = ['ana', 'ben', 'cho', 'dev', 'eli', 'fay'];
    for (const username of people)
      await db.user.create({ data: { username, role: 'viewer', passwordHash: hash } });
    const office = '192.0.2.200';
    for (let round = 0; round < 5; round++) {
      for (const username of people) {
        expect(await signIn({ username, password: 'typo', ip: office })).toMatchObject({ code: 'invalid' });
        expect(await signIn({ username, password: PASSWORD, ip: office })).toMatchObject({ ok: true });
      }
    }
  });

  it('a restart does not clear the throttle', async () => {
    const { url, rt, signIn, checks } = await setup();
    for (let i = 0; i < 6; i++) await signIn({ username: 'admin', password: `guess-${i}`, ip: ATTACKER });
    await rt.close();
    open.splice(open.indexOf(rt), 1);
    const restarted = await runtimeOn(createPrismaClient(url));
    const before = checks.count;
    const r = await signIn({ username: 'admin', password: `guess-after-restart`, ip: ATTACKER }, restarted);
    expect(r).toMatchObject({ ok: false, code: 'throttled' });
    expect(checks.count).toBe(before);
  });

  it('the wait grows 1 s, 2 s, 4 s up to the cap and then lets one attempt through (database store, injected clock)', async () => {
    const { db } = freshDatabase();
    let now = Date.UTC(2026, 0, 1);
    const policy = { freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 4000, forgetAfterMs: 3_600_000 };
    const t = new LoginThrottle(new DatabaseThrottleStore(db), policy, () => now);
    const keys: ThrottleKey[] = [{ key: 'login:admin@203.0.113.66', onSuccess: 'reset' }];
    const waits: number[] = [];
    let checks = 0;
    while (checks < 7) {
      const v = await t.begin(keys);
      if (v.allowed) checks++;
      else {
        waits.push(v.retryAfterMs);
        now += v.retryAfterMs;
      }
    }
    expect(waits).toEqual([1000, 2000, 4000, 4000, 4000]);
    const row = await db.loginFailure.findUniqueOrThrow({ where: { key: keys[0]!.key } });
    expect(row.failures).toBe(7);
    await t.succeeded(keys);
    expect(await db.loginFailure.count()).toBe(0);
    await db.$disconnect();
  });
});
