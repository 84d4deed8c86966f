/** The history tab's URLs (browser-safe): what is shown lives in the query, so any view can be shared. */
export interface HistoryParams {
  template?: string;
  page?: number;
  from?: string;
  to?: string;
  view?: string;
}

export function historyHref(deviceId: string, p: HistoryParams = {}): string {
  const q = new URLSearchParams();
  if (p.template) q.set('template', p.template);
  if (p.page && p.page > 1) q.set('page', String(p.page));
  if (p.from && p.to) {
    q.set('from', p.from);
    q.set('to', p.to);
  }
  if (p.view) q.set('view', p.view);
  const s = q.toString();
  return `/devices/${deviceId}/history${s ? `?${s}` : ''}`;
}

export const downloadHref = (deviceId: string, versionId: string) =>
  `/devices/${deviceId}/history/${versionId}/download`;

/** A size in bytes as a value and its unit (B, KiB, MiB), one decimal past bytes. */
export function sizeParts(bytes: number): { unit: 'bytes' | 'kib' | 'mib'; value: number } {
  if (bytes < 1024) return { unit: 'bytes', value: bytes };
  if (bytes < 1024 * 1024) return { unit: 'kib', value: Math.round((bytes / 1024) * 10) / 10 };
  return { unit: 'mib', value: Math.round((bytes / (1024 * 1024)) * 10) / 10 };
}
