import type { Algorithms } from 'ssh2';
import { z } from 'zod';

/**
 * SSH algorithm profiles per device. `modern` is ssh2's defaults (no SHA-1 key exchange, no CBC, no
 * ssh-rsa signatures). `legacy` adds what old IOS and VRP images offer and nothing newer accepts:
 * group14/group1/group-exchange SHA-1 key exchanges, ssh-rsa and ssh-dss host keys, CBC ciphers and
 * hmac-sha1. A custom profile lists the algorithms per kind. The portal never falls back from one to
 * another on its own: a device that needs legacy fails with an error naming the profile.
 */
export const SSH_PROFILES = ['modern', 'legacy'] as const;
export type SshProfile = (typeof SSH_PROFILES)[number];

/** Added after ssh2's defaults, so a device that offers both still gets the stronger choice. */
function appended<T>(list: T[]) {
  return { append: list, prepend: [], remove: [] };
}

const LEGACY: Algorithms = {
  kex: appended([
    'diffie-hellman-group-exchange-sha1',
    'diffie-hellman-group14-sha1',
    'diffie-hellman-group1-sha1',
  ]),
  serverHostKey: appended(['ssh-rsa', 'ssh-dss']),
  cipher: appended(['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc']),
  hmac: appended(['hmac-sha1', 'hmac-sha1-96']),
};

/** What ssh2 can negotiate at all (a custom list naming anything else is refused when saved). */
export const SUPPORTED = {
  kex: [
    'curve25519-sha256',
    'curve25519-sha256@libssh.org',
    'ecdh-sha2-nistp256',
    'ecdh-sha2-nistp384',
    'ecdh-sha2-nistp521',
    'diffie-hellman-group-exchange-sha256',
    'diffie-hellman-group14-sha256',
    'diffie-hellman-group15-sha512',
    'diffie-hellman-group16-sha512',
    'diffie-hellman-group17-sha512',
    'diffie-hellman-group18-sha512',
    'diffie-hellman-group-exchange-sha1',
    'diffie-hellman-group14-sha1',
    'diffie-hellman-group1-sha1',
  ],
  serverHostKey: [
    'ssh-ed25519',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
    'rsa-sha2-512',
    'rsa-sha2-256',
    'ssh-rsa',
    'ssh-dss',
  ],
  cipher: [
    'chacha20-poly1305@openssh.com',
    'aes128-gcm@openssh.com',
    'aes256-gcm@openssh.com',
    'aes128-ctr',
    'aes192-ctr',
    'aes256-ctr',
    'aes128-cbc',
    'aes192-cbc',
    'aes256-cbc',
    '3des-cbc',
  ],
  hmac: [
    'hmac-sha2-256-etm@openssh.com',
    'hmac-sha2-512-etm@openssh.com',
    'hmac-sha1-etm@openssh.com',
    'hmac-sha2-256',
    'hmac-sha2-512',
    'hmac-sha1',
    'hmac-sha1-96',
  ],
} as const;

type Kind = keyof typeof SUPPORTED;
const KINDS = Object.keys(SUPPORTED) as Kind[];

const customSchema = z
  .object(
    Object.fromEntries(
      KINDS.map((k) => [
        k,
        z
          .array(z.enum(SUPPORTED[k] as unknown as [string, ...string[]]))
          .min(1)
          .max(20)
          .optional(),
      ]),
    ) as Record<Kind, z.ZodOptional<z.ZodArray<z.ZodEnum<Record<string, string>>>>>,
  )
  .strict();

/**
 * Read a stored or entered profile: `modern`, `legacy`, or JSON of a custom list
 * (`{"kex":["diffie-hellman-group14-sha1"],"cipher":["aes128-cbc"]}`; kinds left out keep ssh2's defaults).
 */
export function parseSshProfile(
  text: string,
): { ok: true; algorithms: Algorithms | undefined } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '' || t === 'modern') return { ok: true, algorithms: undefined };
  if (t === 'legacy') return { ok: true, algorithms: LEGACY };
  let raw: unknown;
  try {
    raw = JSON.parse(t);
  } catch {
    return {
      ok: false,
      error:
        'Choose modern, legacy, or a JSON list of algorithms per kind (kex, serverHostKey, cipher, hmac).',
    };
  }
  const r = customSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const [kind, index] = i.path as [string | undefined, number | undefined];
    const named =
      kind !== undefined && index !== undefined && Array.isArray((raw as Record<string, unknown>)[kind]);
    const why = named
      ? `${String(((raw as Record<string, unknown[]>)[kind] ?? [])[index])} is not a ${kind} algorithm the portal supports`
      : i.message;
    return { ok: false, error: `Custom algorithms: ${i.path.join('.') || 'list'}: ${why}.` };
  }
  return { ok: true, algorithms: r.data as Algorithms };
}

/** The algorithms one login agreed on (ssh2's `handshake` event). */
export interface NegotiatedAlgorithms {
  kex: string;
  serverHostKey: string;
  cipher: string;
  hmac: string;
}

const WORDS: Record<Kind, string> = {
  kex: 'key exchange',
  serverHostKey: 'host key type',
  cipher: 'cipher',
  hmac: 'MAC',
};

/** What a server offers per kind (client to server, for ciphers and MACs). */
export type Offers = Partial<Record<Kind, string[]>>;

/** The start of a connection from the server: its identification line and the offers of its KEXINIT. */
export interface ServerHello {
  /** `SSH-2.0-Cisco-1.25`; empty when none came. */
  ident: string;
  /** null when the first packet is not one the portal can read (it never is, from an SSH server). */
  offers: Offers | null;
}

const IDENT = /^SSH-[^\r\n]{1,250}/m;
/** Lines a server may send before its identification line, and the key exchange packet after it. */
const MAX_HELLO_BYTES = 64 * 1024;
const SSH_MSG_KEXINIT = 20;
/** The largest packet an SSH implementation must take (RFC 4253 §6.1). */
const MAX_PACKET_BYTES = 35_000;

/**
 * Read the server's hello from the bytes it sent first: the identification line (RFC 4253 §4.2, maybe
 * after other lines) and SSH_MSG_KEXINIT, the first packet after it, sent in the clear (§7.1), with
 * the algorithms the server offers. Undefined while more bytes are needed.
 */
export function readServerHello(data: Buffer): ServerHello | undefined {
  const text = data.toString('latin1', 0, Math.min(data.length, MAX_HELLO_BYTES));
  const m = IDENT.exec(text);
  const eol = m ? text.indexOf('\n', m.index) : -1;
  if (eol < 0) return data.length >= MAX_HELLO_BYTES ? { ident: m?.[0] ?? '', offers: null } : undefined;
  const offers = kexInitOffers(data.subarray(eol + 1));
  if (offers === undefined && data.length < MAX_HELLO_BYTES) return undefined;
  return { ident: m![0], offers: offers ?? null };
}

/** The offers of a KEXINIT packet at the start of `b`; undefined while it is incomplete. */
function kexInitOffers(b: Buffer): Offers | null | undefined {
  if (b.length < 5) return undefined;
  const packetLength = b.readUInt32BE(0);
  if (packetLength < 2 || packetLength > MAX_PACKET_BYTES) return null;
  if (b.length < 4 + packetLength) return undefined;
  const payload = b.subarray(5, 4 + packetLength - b[4]!);
  // byte SSH_MSG_KEXINIT, byte[16] cookie, then name-lists: kex, host key, cipher c->s, s->c, MAC c->s…
  if (payload[0] !== SSH_MSG_KEXINIT) return null;
  const lists: string[][] = [];
  let at = 17;
  for (let i = 0; i < 5; i++) {
    if (at + 4 > payload.length) return null;
    const length = payload.readUInt32BE(at);
    at += 4;
    if (at + length > payload.length) return null;
    lists.push(length === 0 ? [] : payload.toString('latin1', at, at + length).split(','));
    at += length;
  }
  const [kex, serverHostKey, cipher, , hmac] = lists;
  const offers: Offers = {};
  for (const [kind, list] of [
    ['kex', kex],
    ['serverHostKey', serverHostKey],
    ['cipher', cipher],
    ['hmac', hmac],
  ] as const)
    if (list && list.length > 0) offers[kind] = list;
  return offers;
}

/**
 * What the server offered (its KEXINIT, read by ssh.ts), to explain a failed negotiation in words:
 * which kind had no match, what the device offers, and which profile would reach it.
 */
export class OfferRecorder {
  private offered: Offers = {};

  record(offers: Offers): void {
    this.offered = offers;
  }

  /** A message for ssh2's "Handshake failed: no matching …" error, or null for any other error. */
  explain(message: string, label: string, profile: string): string | null {
    const m =
      /no matching (key exchange algorithm|host key format|C->S cipher|S->C cipher|C->S MAC|S->C MAC)/.exec(
        message,
      );
    if (!m) return null;
    const kind: Kind = m[1]!.startsWith('key')
      ? 'kex'
      : m[1]!.startsWith('host')
        ? 'serverHostKey'
        : m[1]!.includes('cipher')
          ? 'cipher'
          : 'hmac';
    const offers = this.offered[kind]?.join(', ') ?? 'nothing the portal could read';
    const legacyWould = this.offered[kind]?.some((a) => (SUPPORTED[kind] as readonly string[]).includes(a));
    const hint =
      profile !== 'legacy' && legacyWould
        ? 'Choose the "legacy" SSH algorithm profile for this device.'
        : 'No profile the portal has offers one of these; a custom list cannot help either.';
    return `${label} and the portal share no ${WORDS[kind]} under the "${profile.startsWith('{') ? 'custom' : profile}" profile: the device offers ${offers}. ${hint}`;
  }
}
