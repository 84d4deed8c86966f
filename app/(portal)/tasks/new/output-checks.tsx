import { TASK_MAX_FAILURE_PATTERNS } from '@/lib/tasks/schema';

/** The task's own idea of failure and success, beside the vendor driver's error messages. */
export function OutputChecks({
  values,
  errors,
}: {
  values?: { failurePatterns: string; expectOutput: string };
  errors?: { failurePatterns?: string; expectOutput?: string };
}) {
  return (
    <>
      <div>
        <label htmlFor="failurePatterns">Advanced: failure patterns (one per line)</label>
        <textarea
          id="failurePatterns"
          name="failurePatterns"
          rows={3}
          className="input font-mono text-xs"
          placeholder={'(?i)^error:\n% Not permitted'}
          spellCheck={false}
          defaultValue={values?.failurePatterns}
          aria-invalid={!!errors?.failurePatterns}
          aria-describedby="failurePatterns-help"
        />
        {errors?.failurePatterns && <p className="field-error">{errors.failurePatterns}</p>}
        <p id="failurePatterns-help" className="mt-1 text-xs text-slate-500">
          Output matching any of these fails that command (at most {TASK_MAX_FAILURE_PATTERNS}). RE2 syntax;
          start with <code className="font-mono">(?i)</code> to ignore case. The device&apos;s own error
          messages are always recognised.
        </p>
      </div>
      <div>
        <label htmlFor="expectOutput">Expected output</label>
        <input
          id="expectOutput"
          name="expectOutput"
          className="input font-mono text-xs"
          placeholder="e.g. (?i)version 8\."
          spellCheck={false}
          defaultValue={values?.expectOutput}
          aria-invalid={!!errors?.expectOutput}
          aria-describedby="expectOutput-help"
        />
        {errors?.expectOutput && <p className="field-error">{errors.expectOutput}</p>}
        <p id="expectOutput-help" className="mt-1 text-xs text-slate-500">
          Optional. An RE2 pattern the device&apos;s output must contain somewhere, or the device fails.
        </p>
      </div>
    </>
  );
}
