import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '../db/generated/client';
import type { AuditSink } from '../audit';
import type { RunningLab } from '../../lab/server';
import type { LabDeviceSpec, RunningLabDevice } from '../../lab/types';
import { credentialContext } from './credentials';
import { VENDOR_LABELS } from './schema';
import type { Vault } from './vault';

export interface LabCredentials {
  username: string;
  password: string;
  enablePassword: string;
}

/** Lab login credentials, generated once per data directory (never a fixed default). */
export function loadOrCreateLabCredentials(dataDir: string): LabCredentials {
  const file = path.join(dataDir, 'lab.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LabCredentials;
  const creds = {
    username: 'netops',
    password: randomBytes(12).toString('base64url'),
    enablePassword: randomBytes(12).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}

/** Place the fleet on consecutive ports from basePort. */
export function assignPorts(specs: LabDeviceSpec[], basePort: number): LabDeviceSpec[] {
  return specs.map((s, i) => ({ ...s, port: basePort === 0 ? 0 : basePort + i }));
}

const SEEDED_KEY = 'lab.seeded';

/**
 * Put the running lab into the inventory. The first start adds every lab device; later starts
 * refresh endpoint and credentials of lab devices still present (an admin's deletions stick).
 */
export async function syncLabInventory(
  db: PrismaClient,
  vault: Vault,
  devices: RunningLabDevice[],
): Promise<{ added: number; refreshed: number }> {
  const seeded = await db.setting.findUnique({ where: { key: SEEDED_KEY } });
  let added = 0;
  let refreshed = 0;
  for (const d of devices) {
    const existing = await db.device.findUnique({ where: { name: d.name } });
    if (existing && !existing.lab) continue; // a real device took this name: leave it alone
    const id = existing?.id ?? randomUUID();
    // how the portal reaches this lab device: the same fields a real device has
    const route = {
      transport: d.transport ?? 'ssh',
      kind: d.kind ?? 'device',
      sshAlgorithms: d.sshAlgorithms === 'legacy-only' ? 'legacy' : 'modern',
    };
    const secrets = {
      ...route,
      username: d.kind === 'console_line' && d.transport === 'telnet' ? '' : d.username,
      authType: 'password',
      secretEnc: vault.seal(d.password, credentialContext(id, 'secret')),
      passphraseEnc: null,
      enableSecretEnc: d.enablePassword
        ? vault.seal(d.enablePassword, credentialContext(id, 'enable'))
        : null,
    };
    if (existing) {
      const moved = existing.host !== d.host || existing.port !== d.port;
      await db.device.update({
        where: { id },
        data: {
          ...secrets,
          host: d.host,
          port: d.port,
          ...(moved ? { hostKey: null, hostKeyFingerprint: null } : {}),
        },
      });
      refreshed++;
    } else if (!seeded) {
      await db.device.create({
        data: {
          id,
          name: d.name,
          host: d.host,
          port: d.port,
          vendor: d.vendor,
          encoding: d.encoding ?? 'utf-8',
          notes: `Built-in lab device (${VENDOR_LABELS[d.vendor]} simulation${d.encoding === 'gbk' ? ', GBK output' : ''}).`,
          lab: true,
          ...secrets,
        },
      });
      added++;
    }
  }
  if (!seeded) await db.setting.create({ data: { key: SEEDED_KEY, value: new Date().toISOString() } });
  return { added, refreshed };
}

export type LabControlResult =
  { ok: true; name: string; up: boolean } | { ok: false; status: 400 | 404 | 409; error: string };

/** What lab control needs from the runtime (the lab is undefined when LAB=off). */
export interface LabControlDeps {
  db: PrismaClient;
  audit: AuditSink;
  lab: RunningLab | undefined;
}

/** An admin takes a lab device down or brings it back (to demonstrate and test status and alerts). */
export async function setLabDeviceUp(
  actor: { id: string },
  name: string,
  up: boolean,
  deps: LabControlDeps,
): Promise<LabControlResult> {
  const { lab } = deps;
  if (!lab) return { ok: false, status: 409, error: 'The device lab is not running (LAB=off).' };
  const device = await deps.db.device.findUnique({ where: { name }, select: { lab: true } });
  if (!device?.lab || !(await lab.setUp(name, up)))
    return { ok: false, status: 404, error: `No lab device named "${name}".` };
  await deps.audit({ userId: actor.id, action: up ? 'lab.up' : 'lab.down', target: name });
  return { ok: true, name, up };
}

/** Whether a lab device is up (null when the lab is not running). */
export function labDeviceIsUp(name: string, lab: RunningLab | undefined): boolean | null {
  return lab ? lab.isUp(name) : null;
}
