import type { RenderDevice } from './render';

/** A device as templates see it. */
export function renderDeviceOf(d: {
  name: string;
  host: string;
  vendor: string;
  fields: string;
}): RenderDevice {
  let fields: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(d.fields);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      fields = Object.fromEntries(
        Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
  } catch {
    // unreadable fields are no fields
  }
  return { name: d.name, host: d.host, vendor: d.vendor, fields };
}
