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

/**
 * Vendor CLI drivers: how each platform's prompt, pager, errors, questions and privilege escalation
 * look, one file per vendor. Pure data + functions; the CLI session (lib/devices/cli.ts) does the I/O.
 */
export type { CliMode, SecretRule, VendorDriver } from './types';
export { NOT_SECRET_LINE, SECRET_MARK } from './secrets';
export { applyBackspaces, CLEANUP_PATTERNS, cleanOutput, stripAnsi } from './clean';
export { detectVendor, type DetectedVendor, type VendorEvidence } from './detect';
export { aristaEos, ciscoIos, ciscoNxos, generic, h3cComware, huaweiVrp, juniperJunos, ruijieOs };

export const DRIVERS: Record<Vendor, VendorDriver> = {
  huawei_vrp: huaweiVrp,
  cisco_ios: ciscoIos,
  h3c_comware: h3cComware,
  cisco_nxos: ciscoNxos,
  arista_eos: aristaEos,
  juniper_junos: juniperJunos,
  ruijie_os: ruijieOs,
  generic,
};

/** The driver of a stored vendor name; an unknown one gets the generic driver (learned prompt). */
export function driverFor(vendor: string): VendorDriver {
  return Object.hasOwn(DRIVERS, vendor) ? DRIVERS[vendor as Vendor] : generic;
}

/** Whether the output holds one of the platform's messages for a rejected command. */
export function outputIsError(driver: VendorDriver, output: string): boolean {
  return driver.errors.some((re) => re.test(output));
}
