import type { CommandOutput } from '@/lib/tasks/schema';

/** One command's result on one device: its output, why it failed, or that it never ran. */
export function CommandResult({ result: o }: { result: CommandOutput }) {
  if (o.status === 'not_run')
    return (
      <div className="flex items-center gap-2 font-mono text-xs text-slate-400" data-command-status="not_run">
        <span>$ {o.command}</span>
        <span className="rounded bg-slate-100 px-1.5 py-0.5 font-sans text-[11px] text-slate-500">
          not run
        </span>
      </div>
    );
  const failed = o.status === 'error';
  return (
    <div data-command-status={o.status}>
      <div className="flex flex-wrap items-center gap-x-2 font-mono text-xs font-semibold">
        <span>
          <span className={failed ? 'text-red-600' : 'text-emerald-700'}>$</span> {o.command}
        </span>
        {failed && (
          <span className="rounded bg-red-100 px-1.5 py-0.5 font-sans text-[11px] font-medium text-red-800">
            error
          </span>
        )}
      </div>
      {failed && o.error && <p className="my-1 text-xs break-words text-red-700">{o.error}</p>}
      <pre className="max-h-96 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100" data-output>
        {o.output || '(no output)'}
      </pre>
    </div>
  );
}
