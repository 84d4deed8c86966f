import { stepsForVendor, type CommandSpec } from '@/lib/tasks/schema';

/** The commands of a textarea as the task form's schema takes them: non-blank lines. */
function commandsOf(text: string): CommandSpec[] {
  return text
    .split(/\r\n?|\n/)
    .filter((l) => l.trim() !== '')
    .map((command) => ({ command, answers: [] }));
}

export interface VendorCoverage {
  /** Selected devices that run the common list (their vendor has no list of its own; 0 when it is empty). */
  common: number;
  /** For each vendor list given: how many selected devices run it (0 when the list is empty). */
  perVendor: Record<string, number>;
  /** Selected devices per vendor (every vendor with one, in the order first seen). */
  selectedByVendor: Record<string, number>;
  /** Vendors whose selected devices get no commands (no list of their own, no common list), with how many. */
  skipped: { vendor: string; count: number }[];
}

/**
 * Which list each selected device runs, decided the way the executor decides it (stepsForVendor):
 * its vendor's own non-empty list, else the common list, else nothing (the device is skipped).
 */
export function vendorCoverage(
  selected: readonly { vendor: string }[],
  commonText: string,
  vendorTexts: Readonly<Partial<Record<string, string>>>,
): VendorCoverage {
  const steps = commandsOf(commonText);
  const vendorSteps: Partial<Record<string, CommandSpec[]>> = {};
  const perVendor: Record<string, number> = {};
  for (const [vendor, text] of Object.entries(vendorTexts)) {
    if (text === undefined) continue;
    vendorSteps[vendor] = commandsOf(text);
    perVendor[vendor] = 0;
  }
  const selectedByVendor: Record<string, number> = {};
  const skipped = new Map<string, number>();
  let common = 0;
  for (const { vendor } of selected) {
    selectedByVendor[vendor] = (selectedByVendor[vendor] ?? 0) + 1;
    const runs = stepsForVendor({ steps, vendorSteps }, vendor);
    if (runs === null) skipped.set(vendor, (skipped.get(vendor) ?? 0) + 1);
    else if (runs === steps) common++;
    else perVendor[vendor] = (perVendor[vendor] ?? 0) + 1;
  }
  return {
    common,
    perVendor,
    selectedByVendor,
    skipped: [...skipped].map(([vendor, count]) => ({ vendor, count })),
  };
}
