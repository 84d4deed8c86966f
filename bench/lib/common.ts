/** What several benchmarks share: lab credentials and specs, lab/portal child types, device rows. */
import type { LabDeviceSpec, RunningLabDevice } from '../../lab/types';
import type { BenchDevice } from '../fixtures/portal';
import type { Row } from './report';

export const LAB_CREDS = { username: 'netops', password: 'bench-lab-pw', enablePassword: 'bench-lab-enable' };

export interface LabReady {
  devices: RunningLabDevice[];
  hostKeyFingerprint: string;
  hostKey: string;
}

export function vrpSpecs(prefix: string, count: number, extra: Partial<LabDeviceSpec> = {}): LabDeviceSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}-${String(i + 1).padStart(4, '0')}`,
    vendor: 'huawei_vrp' as const,
    port: 0,
    username: LAB_CREDS.username,
    password: LAB_CREDS.password,
    ...extra,
  }));
}

/** A lab device as a portal inventory row, its host key already trusted. */
export function labDeviceRow(d: RunningLabDevice, lab: LabReady): BenchDevice {
  return {
    name: d.name,
    host: d.host,
    port: d.port,
    vendor: d.vendor,
    encoding: d.encoding,
    username: d.username,
    password: d.password,
    enablePassword: d.enablePassword,
    hostKeyFingerprint: lab.hostKeyFingerprint,
    hostKey: lab.hostKey,
  };
}

/** The name the benchmarks give Debian's sshd as a device. */
export const SSHD_DEVICE = 'debian-openssh';

/** Debian's OpenSSH sshd (bench/lib/sshd.ts) as a device row: the generic vendor, key login. */
export function sshdDeviceRow(sshd: {
  host: string;
  port: number;
  username: string;
  privateKey: string;
}): BenchDevice {
  return {
    name: SSHD_DEVICE,
    host: sshd.host,
    port: sshd.port,
    vendor: 'generic',
    username: sshd.username,
    privateKey: sshd.privateKey,
  };
}

/** The VRP prompt of a lab device in user view. */
export const vrpPrompt = (name: string) => `<${name}>`;

export interface BenchResult {
  rows: Row[];
  details: Record<string, unknown>;
}

export interface BenchContext {
  smoke: boolean;
  log(message: string): void;
}

/** Close everything in reverse order, never throwing (a failed close must not hide the real error). */
export async function closeAll(closers: (() => Promise<unknown> | unknown)[]): Promise<void> {
  for (const c of closers.reverse()) {
    try {
      await c();
    } catch {
      // best effort
    }
  }
}
