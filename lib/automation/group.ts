import { createHash } from 'node:crypto';
import { normalizeOutput } from './diff';

/**
 * Outputs across devices, grouped by what they say (after normalising and the ignore patterns):
 * "412 devices identical, 88 in 3 variants". The majority is the largest group when one group is
 * strictly the largest; every other group is a variant to diff against it.
 */

/** The hash two outputs share when a reader would call them identical. */
export function comparableHash(output: string, ignore: (text: string) => string = (t) => t): string {
  return createHash('sha256')
    .update(ignore(normalizeOutput(output)))
    .digest('hex');
}

export interface OutputVariant {
  hash: string;
  /** Device names, sorted. */
  devices: string[];
  /** One device's output as stored (for showing and diffing). */
  sample: string;
}

export interface OutputGroups {
  variants: OutputVariant[];
  /** The hash of the strictly largest group; null when two groups tie for largest or there is none. */
  majority: string | null;
  devices: number;
}

export function groupOutputs(
  items: { device: string; output: string }[],
  ignore?: (text: string) => string,
): OutputGroups {
  const byHash = new Map<string, OutputVariant>();
  for (const { device, output } of items) {
    const hash = comparableHash(output, ignore);
    const v = byHash.get(hash);
    if (v) v.devices.push(device);
    else byHash.set(hash, { hash, devices: [device], sample: output });
  }
  const collator = new Intl.Collator('en', { numeric: true });
  const variants = [...byHash.values()];
  for (const v of variants) v.devices.sort(collator.compare);
  variants.sort(
    (x, y) => y.devices.length - x.devices.length || collator.compare(x.devices[0]!, y.devices[0]!),
  );
  const [first, second] = variants;
  const majority = first && (!second || first.devices.length > second.devices.length) ? first.hash : null;
  return { variants, majority, devices: items.length };
}

/** "412 devices identical, 88 in 3 variants" as numbers, for the UI to word in either language. */
export function groupSummary(g: OutputGroups): {
  identical: number;
  variantDevices: number;
  variants: number;
} {
  if (g.variants.length === 0) return { identical: 0, variantDevices: 0, variants: 0 };
  const main = g.majority ? g.variants.find((v) => v.hash === g.majority)! : null;
  const identical = main ? main.devices.length : 0;
  const others = main ? g.variants.filter((v) => v !== main) : g.variants;
  return { identical, variantDevices: g.devices - identical, variants: others.length };
}
