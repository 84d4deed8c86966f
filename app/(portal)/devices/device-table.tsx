import Link from 'next/link';
import { LiveStatus } from '@/app/_components/live-status';
import { LabToggle } from './lab-toggle';
import type { PublicDevice } from '@/lib/devices/inventory';
import { VENDOR_LABELS, type Vendor } from '@/lib/devices/schema';

export function DeviceTable({
  devices,
  canEdit,
  labUp,
}: {
  devices: PublicDevice[];
  canEdit: boolean;
  /** For admins: whether each lab device is up (shows a take down / bring up switch). */
  labUp?: Record<string, boolean>;
}) {
  if (devices.length === 0) {
    return <p className="card p-6 text-center text-sm text-slate-500">No devices match.</p>;
  }
  return (
    <div className="card overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="device-table">
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
          <tr>
            <th className="px-4 py-2">Name</th>
            <th className="px-4 py-2">Status</th>
            {/* on a phone: name, status and the edit link; the address goes under the name */}
            <th className="hidden px-4 py-2 sm:table-cell">Address</th>
            <th className="hidden px-4 py-2 md:table-cell">Vendor</th>
            <th className="hidden px-4 py-2 lg:table-cell">Encoding</th>
            <th className="hidden px-4 py-2 lg:table-cell">Notes</th>
            {canEdit && <th className="px-4 py-2 text-right">Actions</th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {devices.map((d) => (
            <tr key={d.id} data-device={d.name}>
              <td className="px-4 py-2 font-medium">
                {d.name}
                {d.lab && (
                  <span className="ml-2 rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-700">
                    lab
                  </span>
                )}
                {/* after a space: on a phone the badge goes under the name instead of widening the table */}
                {d.transport === 'telnet' && (
                  <>
                    {' '}
                    <span
                      className="ml-1 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs whitespace-nowrap text-amber-800"
                      title="Telnet sends the password and everything typed in clear text"
                    >
                      telnet · unencrypted
                    </span>
                  </>
                )}
                {labUp && d.name in labUp && <LabToggle name={d.name} up={labUp[d.name]!} />}
                <div className="font-mono text-xs font-normal text-slate-500 sm:hidden">
                  {d.host}:{d.port}
                </div>
              </td>
              <td className="px-4 py-2" data-col="status">
                <LiveStatus deviceId={d.id} status={d.status} />
              </td>
              <td className="hidden px-4 py-2 font-mono text-xs sm:table-cell">
                {d.username}@{d.host}:{d.port}
              </td>
              <td className="hidden px-4 py-2 md:table-cell">
                {VENDOR_LABELS[d.vendor as Vendor] ?? d.vendor}
              </td>
              <td className="hidden px-4 py-2 lg:table-cell">{d.encoding}</td>
              <td className="hidden max-w-xs truncate px-4 py-2 text-slate-500 lg:table-cell" title={d.notes}>
                {d.notes}
              </td>
              {canEdit && (
                <td className="px-4 py-2 text-right">
                  <Link
                    href={`/devices/${d.id}`}
                    className="text-sky-700 hover:underline"
                    aria-label={`Edit ${d.name}`}
                  >
                    Edit
                  </Link>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
