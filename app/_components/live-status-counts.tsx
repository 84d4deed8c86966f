'use client';

import Link from 'next/link';
import type { DeviceStatus } from '@/lib/devices/status';
import { useLive } from './live-provider';
import { StatusBadge } from './status-badge';

/** Counts by status that follow `device_status` pushes (dashboard summary). */
export function LiveStatusCounts({
  devices,
  statuses,
}: {
  devices: { id: string; status: string }[];
  statuses: readonly DeviceStatus[];
}) {
  const live = useLive();
  const counts: Record<string, number> = {};
  for (const d of devices) {
    const s = live?.statuses[d.id] ?? d.status;
    counts[s] = (counts[s] ?? 0) + 1;
  }
  return (
    <ul className="space-y-1 text-sm">
      {statuses.map((s) => (
        <li key={s} className="flex justify-between">
          <Link href={`/devices?status=${s}`} className="hover:underline">
            <StatusBadge status={s} />
          </Link>
          <span className="font-medium" data-testid={`status-count-${s}`}>
            {counts[s] ?? 0}
          </span>
        </li>
      ))}
    </ul>
  );
}
