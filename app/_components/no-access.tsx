export function NoAccess({ what }: { what: string }) {
  return (
    <div className="card p-8 text-center" role="alert">
      <h1 className="text-lg font-semibold">Not allowed</h1>
      <p className="mt-2 text-sm text-slate-600">
        Your role does not allow you to {what}. Ask an administrator.
      </p>
    </div>
  );
}
