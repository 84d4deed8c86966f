import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { defaultLabFleet, generateHostKey, startLab } from './index';

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('SSH-'));
    });
    s.once('error', () => resolve(false));
  });
}

describe('lab device availability', () => {
  it('takes a device down and brings it back on the same port', async () => {
    const lab = await startLab(defaultLabFleet(2, { username: 'u', password: 'p', enablePassword: 'e' }), {
      hostKey: generateHostKey(),
    });
    const [a, b] = lab.devices;
    expect(await answers(a!.port)).toBe(true);
    expect(await lab.setUp(a!.name, false)).toBe(true);
    expect(lab.isUp(a!.name)).toBe(false);
    expect(await answers(a!.port)).toBe(false);
    expect(await answers(b!.port)).toBe(true); // the others are untouched
    expect(await lab.setUp(a!.name, true)).toBe(true);
    expect(await answers(a!.port)).toBe(true);
    expect(await lab.setUp('no-such-device', false)).toBe(false);
    await lab.close();
  });
});
