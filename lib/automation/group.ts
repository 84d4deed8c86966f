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
  const samples = new Map<string, string>();
  const g = groupHashes(
    items.map(({ device, output }) => {
      const hash = comparableHash(output, ignore);
      if (!samples.has(hash)) samples.set(hash, output);
      return { device, hash, ref: device };
    }),
  );
  return {
    ...g,
    variants: g.variants.map((v) => ({ hash: v.hash, devices: v.devices, sample: samples.get(v.hash)! })),
  };
}

export interface HashedVariant<R> {
  hash: string;
  /** Device names, sorted. */
  devices: string[];
  /** The caller's reference (a row id) of the first device in that order: the one to show and diff. */
  sampleRef: R;
}

/**
 * The same grouping over hashes already computed (stored with each version, or computed a batch at a
 * time), so thousands of outputs need not be held at once.
 */
export function groupHashes<R>(items: { device: string; hash: string; ref: R }[]): {
  variants: HashedVariant<R>[];
  majority: string | null;
  devices: number;
} {
  const byHash = new Map<string, { hash: string; members: { device: string; ref: R }[] }>();
  for (const { device, hash, ref } of items) {
    const v = byHash.get(hash);
    if (v) v.members.push({ device, ref });
    else byHash.set(hash, { hash, members: [{ device, ref }] });
  }
  const collator = new Intl.Collator('en', { numeric: true });
  const variants = [...byHash.values()].map(({ hash, members }) => {
    members.sort((a, b) => collator.compare(a.device, b.device));
    return { hash, devices: members.map((m) => m.device), sampleRef: members[0]!.ref };
  });
  variants.sort(
    (x, y) => y.devices.length - x.devices.length || collator.compare(x.devices[0]!, y.devices[0]!),
  );
  const [first, second] = variants;
  const majority = first && (!second || first.devices.length > second.devices.length) ? first.hash : null;
  return { variants, majority, devices: items.length };
}

/** "412 devices identical, 88 in 3 variants" as numbers, for the UI to word in either language. */
export function groupSummary(
  g: Pick<OutputGroups, 'majority' | 'devices'> & {
    variants: { hash: string; devices: string[] }[];
  },
): {
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
