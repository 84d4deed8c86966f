import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import { credentialContext } from '../lib/devices/credentials';
import { bashTarget, bypasses, guardRules, IOS, openTerminal, VRP } from './guard-bypasses';
import { LAB_CREDS, startPortal, type Portal } from './harness';
import { startSlowLink, type SlowLink } from './slow-link';
import { addSshdDevice, startSshd, type RealSshd } from './sshd';

/**
 * Command guard rails across a slow link (a satellite site): each device is reached through a relay
 * that holds every chunk 250 ms each way, so a key's echo comes back after the Enter is pressed and
 * the screen does not show the line yet. Every way of typing a denied command (guard-bypasses.ts) is
 * refused all the same, and an allowed line still runs.
 */

let portal: Portal;
let sshd: RealSshd;
const links: SlowLink[] = [];
const marker = `/tmp/switchboard-slow-${randomUUID()}`;
/** Each way: a key's echo comes back 500 ms after the key, later than an Enter waits for it (300 ms). */
const SLOW_LINK_DELAY_MS = 250;

beforeAll(async () => {
  sshd = await startSshd();
  // a slow link takes several round trips to log in
  portal = await startPortal({ lab: defaultLabFleet(2, LAB_CREDS), readyTimeoutMs: 20_000 });
  const relay = async (target: { host: string; port: number }) => {
    const link = await startSlowLink(target, SLOW_LINK_DELAY_MS);
    links.push(link);
    return link;
  };
  await addSshdDevice(
    portal,
    { ...sshd, ...(await relay(sshd)) },
    { name: 'debian-openssh-slow', vendor: 'generic', grantTo: [portal.users.operator2] },
  );
  await copyDevice(
    'lab-vrp-01',
    'lab-vrp-01-slow',
    await relay(portal.lab.find((d) => d.name === 'lab-vrp-01')!),
  );
  await copyDevice(
    'lab-ios-01',
    'lab-ios-01-slow',
    await relay(portal.lab.find((d) => d.name === 'lab-ios-01')!),
  );
  await guardRules(portal);
}, 60_000);
afterAll(async () => {
  await portal?.close();
  await sshd?.close();
  await Promise.all(links.map((l) => l.close()));
});

/** `of` again under another name, reached through `link`, granted to operator2. */
async function copyDevice(of: string, name: string, link: SlowLink) {
  const d = await portal.db.device.findUniqueOrThrow({ where: { name: of } });
  const id = randomUUID();
  const secret = portal.vault.open(d.secretEnc, credentialContext(d.id, 'secret'));
  await portal.db.device.create({
    data: {
      id,
      name,
      host: link.host,
      port: link.port,
      vendor: d.vendor,
      username: d.username,
      authType: d.authType,
      secretEnc: portal.vault.seal(secret, credentialContext(id, 'secret')),
      ...(d.enableSecretEnc && {
        enableSecretEnc: portal.vault.seal(
          portal.vault.open(d.enableSecretEnc, credentialContext(d.id, 'enable')),
          credentialContext(id, 'enable'),
        ),
      }),
      grants: { create: [{ userId: portal.users.operator2 }] },
    },
  });
}

describe.each([
  ['lab VRP', { ...VRP, device: 'lab-vrp-01-slow' }],
  ['lab IOS', { ...IOS, device: 'lab-ios-01-slow' }],
  ['Debian OpenSSH, bash', { ...bashTarget(marker), device: 'debian-openssh-slow' }],
])('%s across a slow link (the echo comes back after the Enter is pressed)', (_name, t) => {
  it.each(bypasses(t))(
    '%s',
    async (_how, keys) => {
      const c = await openTerminal(portal, t.device);
      await t.reach?.(c);
      await c.waitOutput(t.prompt, 20_000);
      const mark = c.outputTotal;
      for (const k of typeof keys === 'string' ? [keys] : keys) c.send({ type: 'input', data: k });
      const out = await c.waitOutputSince(mark, new RegExp(`Not sent[\\s\\S]*${t.prompt.source}`));
      expect(out).toMatch(t.notice);
      expect(t.ran(out)).toBe(false);
      // an allowed line still runs, however slow the link
      const next = c.outputTotal;
      c.send({ type: 'input', data: `${t.harmless[0].keys}\r` });
      await c.waitOutputSince(next, new RegExp(`${t.harmless[0].shows.source}[\\s\\S]*${t.prompt.source}`));
      expect(t.ran(c.outputSince(mark))).toBe(false);
      await c.closeTerminal();
    },
    30_000,
  );
});
