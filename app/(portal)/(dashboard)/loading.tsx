import { DashboardSkeleton } from '../_dashboard/dashboard-skeleton';

/**
 * The dashboard's skeleton. It sits in a route group of its own so that it wraps the dashboard
 * only: a loading boundary above every portal page would stream each of them, and a page that turns
 * out not to exist would then answer 200 instead of 404.
 */
export default function DashboardLoading() {
  return <DashboardSkeleton />;
}
