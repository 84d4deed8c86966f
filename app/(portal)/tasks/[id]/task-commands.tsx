import type { TaskSummary } from '@/lib/tasks/service';

const CHIP = 'rounded border border-slate-200 bg-white px-1.5 py-0.5 text-[11px]';

/** The task's commands as they run on each device, with their own timeouts and answers, and the checks on their output. */
export function TaskCommands({
  task,
}: {
  task: Pick<TaskSummary, 'steps' | 'failurePatterns' | 'expectOutput'>;
}) {
  return (
    <div className="space-y-2 rounded bg-slate-50 p-2 text-xs" data-testid="task-commands">
      <ol className="space-y-1">
        {task.steps.map((s, i) => (
          <li key={i} className="flex flex-wrap items-center gap-x-2 gap-y-1" data-command={s.command}>
            <code className="font-mono [overflow-wrap:anywhere] text-slate-900">{s.command}</code>
            {s.timeoutSeconds !== undefined && (
              <span className={`${CHIP} text-slate-600`} data-option="timeout">
                timeout {s.timeoutSeconds} s
              </span>
            )}
            {s.answers.map((a, j) => (
              <span key={j} className={`${CHIP} text-slate-600`} data-option="answer">
                asks <code className="font-mono text-slate-800">{a.prompt}</code> → answer{' '}
                {a.answer ? <code className="font-mono text-slate-800">{a.answer}</code> : <em>Enter</em>}
              </span>
            ))}
          </li>
        ))}
      </ol>
      {task.failurePatterns.length > 0 && (
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1" data-testid="task-failure-patterns">
          <span className="text-slate-600">Fails on output matching</span>
          {task.failurePatterns.map((p, i) => (
            <code key={i} className={`${CHIP} font-mono text-red-700`}>
              {p}
            </code>
          ))}
        </div>
      )}
      {task.expectOutput && (
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1" data-testid="task-expect-output">
          <span className="text-slate-600">Output must match</span>
          <code className={`${CHIP} font-mono text-emerald-800`}>{task.expectOutput}</code>
        </div>
      )}
    </div>
  );
}
