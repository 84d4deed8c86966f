import type { ReactNode } from 'react';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-slate-900 to-sky-900 p-4 dark:from-slate-950 dark:to-sky-950">
      {children}
    </main>
  );
}
