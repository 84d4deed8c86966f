import { describe, expect, it } from 'vitest';
import { OfferRecorder, readServerHello } from './ssh-algorithms';

/** An SSH_MSG_KEXINIT packet as a server sends it in the clear: name-lists, then padding. */
function kexInit(lists: string[][]): Buffer {
  const nameList = (l: string[]) => {
    const text = Buffer.from(l.join(','), 'latin1');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(text.length);
    return Buffer.concat([len, text]);
  };
  const payload = Buffer.concat([
    Buffer.from([20]),
    Buffer.alloc(16, 7), // cookie
    ...lists.map(nameList),
    Buffer.from([0, 0, 0, 0, 0]), // first_kex_packet_follows, reserved
  ]);
  const padding = 8 - ((payload.length + 5) % 8) + 4;
  const head = Buffer.alloc(5);
  head.writeUInt32BE(1 + payload.length + padding);
  head[4] = padding;
  return Buffer.concat([head, payload, Buffer.alloc(padding)]);
}

const LISTS = [
  ['diffie-hellman-group14-sha1', 'kex-strict-s-v00@openssh.com'],
  ['ssh-rsa'],
  ['aes128-cbc', '3des-cbc'],
  ['aes128-cbc'],
  ['hmac-sha1'],
  ['hmac-sha1'],
  ['none'],
  ['none'],
  [],
  [],
];

describe('readServerHello', () => {
  const hello = Buffer.concat([
    Buffer.from('Welcome, authorised use only\r\nSSH-2.0-Cisco-1.25\r\n', 'latin1'),
    kexInit(LISTS),
  ]);

  it('reads the identification line after other lines, and what the key exchange packet offers', () => {
    expect(readServerHello(hello)).toEqual({
      ident: 'SSH-2.0-Cisco-1.25',
      offers: {
        kex: ['diffie-hellman-group14-sha1', 'kex-strict-s-v00@openssh.com'],
        serverHostKey: ['ssh-rsa'],
        cipher: ['aes128-cbc', '3des-cbc'],
        hmac: ['hmac-sha1'],
      },
    });
  });

  it('waits for more while any of it is still to come, wherever the bytes were cut', () => {
    for (let cut = 0; cut < hello.length; cut++)
      expect(readServerHello(hello.subarray(0, cut)), `cut at ${cut}`).toBeUndefined();
  });

  it('gives the line without offers when the first packet is not a KEXINIT', () => {
    const other = kexInit(LISTS);
    other[5] = 21;
    expect(readServerHello(Buffer.concat([Buffer.from('SSH-2.0-x\r\n'), other]))).toEqual({
      ident: 'SSH-2.0-x',
      offers: null,
    });
    const huge = Buffer.concat([Buffer.from('SSH-2.0-x\r\n'), Buffer.from([0xff, 0xff, 0xff, 0xff, 4])]);
    expect(readServerHello(huge)).toEqual({ ident: 'SSH-2.0-x', offers: null });
  });

  it('gives up on a peer that sends no identification line', () => {
    expect(readServerHello(Buffer.alloc(64 * 1024, 'x'))).toEqual({ ident: '', offers: null });
  });
});

describe('OfferRecorder', () => {
  it('explains a failed negotiation with what the device offers', () => {
    const offers = new OfferRecorder();
    offers.record(readServerHello(Buffer.concat([Buffer.from('SSH-2.0-x\r\n'), kexInit(LISTS)]))!.offers!);
    expect(offers.explain('Handshake failed: no matching C->S cipher', 'sw1', 'modern')).toBe(
      'sw1 and the portal share no cipher under the "modern" profile: the device offers aes128-cbc, 3des-cbc. Choose the "legacy" SSH algorithm profile for this device.',
    );
    expect(offers.explain('Handshake failed: no matching host key format', 'sw1', 'legacy')).toMatch(
      /offers ssh-rsa\. No profile the portal has/,
    );
    expect(offers.explain('connection reset', 'sw1', 'modern')).toBeNull();
  });
});
