/** A grey block of a loading page (its shape only; no text). */
export function Bone({ className = '' }: { className?: string }) {
  return <div className={`rounded bg-slate-200 dark:bg-slate-800 ${className}`} />;
}
