import type { Vendor } from '../schema';
import { aristaEos } from './arista-eos';
import { ciscoIos } from './cisco-ios';
import { ciscoNxos } from './cisco-nxos';
import { generic } from './generic';
import { h3cComware } from './h3c-comware';
import { huaweiVrp } from './huawei-vrp';
import { juniperJunos } from './juniper-junos';
import { ruijieOs } from './ruijie-os';
import type { VendorDriver } from './types';

/** What a login showed: the server's SSH ident, the banner, the prompt, the version command's output. */
export interface VendorEvidence {
  ident?: string;
  banner?: string;
  prompt?: string;
  versionOutput?: string;
}

export interface DetectedVendor {
  vendor: Vendor;
  confidence: 'high' | 'low';
  /** A short sentence for the user: what gave the vendor away. */
  reason: string;
}

// Most specific first: NX-OS output names Cisco too, old 3Com/H3C output names Huawei, and any
// vendor's output may mention Linux.
const BY_FINGERPRINT: VendorDriver[] = [
  ciscoNxos,
  ciscoIos,
  aristaEos,
  juniperJunos,
  h3cComware,
  huaweiVrp,
  ruijieOs,
  generic,
];

function fingerprinted(text: string): { driver: VendorDriver; found: string } | null {
  for (const driver of BY_FINGERPRINT) {
    for (const re of driver.fingerprints) {
      const m = re.exec(text);
      if (m) return { driver, found: m[0] };
    }
  }
  return null;
}

/** The last non-empty line, the prompt a device shows when it waits. */
function lastLine(text: string): string {
  const lines = text.split(/\r?\n|\r/).filter((l) => l.trim() !== '');
  return (lines[lines.length - 1] ?? '').trim();
}

/**
 * Propose a vendor from what a login showed, or null when nothing points to one. Fingerprints in
 * the version output win, then the SSH ident and the banner (high confidence), then the prompt's
 * shape alone (low confidence: `<sw1>` is VRP or Comware, `sw1#` any IOS-like CLI).
 */
export function detectVendor(evidence: VendorEvidence): DetectedVendor | null {
  const sources: [string | undefined, string][] = [
    [evidence.versionOutput, 'the version output says'],
    [evidence.ident, 'the SSH server identifies as'],
    [evidence.banner, 'the login banner says'],
  ];
  for (const [text, says] of sources) {
    const hit = text ? fingerprinted(text) : null;
    if (hit) return { vendor: hit.driver.vendor, confidence: 'high', reason: `${says} “${hit.found}”` };
  }
  const prompt = lastLine(evidence.prompt ?? '');
  if (!prompt) return null;
  const shape = (vendor: Vendor, looks: string): DetectedVendor => ({
    vendor,
    confidence: 'low',
    reason: `the prompt “${prompt}” looks like ${looks}`,
  });
  if (prompt.includes('@') && juniperJunos.promptName(prompt)) return shape('juniper_junos', 'Junos');
  if (huaweiVrp.promptName(prompt)) return shape('huawei_vrp', 'Huawei VRP (or H3C Comware)');
  if (ciscoIos.promptName(prompt)) return shape('cisco_ios', 'an IOS-style CLI');
  if (generic.promptName(prompt)) return shape('generic', 'a shell');
  return null;
}
