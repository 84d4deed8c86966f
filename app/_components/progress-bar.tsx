export function ProgressBar({ value, status }: { value: number; status: string }) {
  const colour =
    status === 'failed' || status === 'interrupted'
      ? 'bg-red-500'
      : status === 'cancelled'
        ? 'bg-slate-400'
        : status === 'completed'
          ? 'bg-emerald-500'
          : 'bg-sky-500';
  return (
    <div
      className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
      role="progressbar"
      aria-valuenow={Math.round(value)}
      aria-valuemin={0}
      aria-valuemax={100}
      data-progress={value}
    >
      <div
        className={`h-full ${colour} transition-[width] duration-300`}
        style={{ width: `${Math.min(100, Math.max(0, value))}%` }}
      />
    </div>
  );
}
