import { VENDOR_LABELS, VENDORS, type Vendor } from '@/lib/devices/schema';

/**
 * The form schema names the vendor list an error belongs to in its text ("Cisco IOS / IOS-XE, line 2:
 * …", "Huawei VRP: at most 50 commands.") under the one field `vendorCommands`, as the REST API shows
 * it. The form shows the error under that vendor's textarea instead: this finds the vendor and the
 * message without its name ("Line 2: …", "At most 50 commands."), still in English for the localiser.
 * Null for a message about no one list (not JSON, an unknown vendor).
 */
export function vendorOfError(message: string): { vendor: Vendor; message: string } | null {
  for (const vendor of VENDORS) {
    const label = VENDOR_LABELS[vendor];
    const onLine = `${label}, line `;
    if (message.startsWith(onLine)) return { vendor, message: `Line ${message.slice(onLine.length)}` };
    const tooMany = `${label}: at most `;
    if (message.startsWith(tooMany)) return { vendor, message: `At most ${message.slice(tooMany.length)}` };
  }
  return null;
}
