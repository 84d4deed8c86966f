'use client';

import { useLive } from './live-provider';
import { StatusBadge } from './status-badge';

/** A device's status dot that follows `device_status` pushes. */
export function LiveStatus({ deviceId, status }: { deviceId: string; status: string }) {
  const live = useLive();
  return <StatusBadge status={live?.statuses[deviceId] ?? status} />;
}
