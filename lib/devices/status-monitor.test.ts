import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { nextProbeState, probeTcp, type ProbeState } from './status-monitor';

const h = { offlineAfter: 2, onlineAfter: 2 };
const run = (start: ProbeState, probes: boolean[]) =>
  probes.reduce((s, ok) => nextProbeState(s, ok, h), start);
const online: ProbeState = { status: 'online', fails: 0, oks: 5 };

describe('status hysteresis', () => {
  it('one lost probe is not an outage', () => {
    expect(run(online, [false]).status).toBe('online');
    expect(run(online, [false, true, false, true]).status).toBe('online');
  });
  it('goes offline after the threshold of consecutive failures', () => {
    expect(run(online, [false, false]).status).toBe('offline');
  });
  it('comes back only after the threshold of consecutive successes (no flapping)', () => {
    const off = run(online, [false, false]);
    expect(run(off, [true]).status).toBe('offline');
    expect(run(off, [true, false, true]).status).toBe('offline');
    expect(run(off, [true, true]).status).toBe('online');
  });
  it('an unknown device is online at its first good probe', () => {
    expect(run({ status: 'unknown', fails: 0, oks: 0 }, [true]).status).toBe('online');
  });
  it('error stays while the device answers and turns offline when it stops', () => {
    const err: ProbeState = { status: 'error', fails: 0, oks: 0 };
    expect(run(err, [true, true, true]).status).toBe('error');
    expect(run(err, [false, false]).status).toBe('offline');
  });
});

describe('probeTcp (telnet devices)', () => {
  it('a port that accepts and says nothing (a console line) is reachable; a closed port is not', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as net.AddressInfo;
    expect(await probeTcp('127.0.0.1', port, 2000)).toEqual({ ok: true, reason: 'TCP port open' });
    await new Promise((r) => silent.close(r));
    expect(await probeTcp('127.0.0.1', port, 2000)).toEqual({ ok: false, reason: 'connection refused' });
  });
});
