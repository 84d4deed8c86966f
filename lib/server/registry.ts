import type { Runtime } from './runtime';

/**
 * The one process-wide slot. server.ts (through tsx) and Next's bundles load `lib/` as separate
 * module instances, so the runtime server.ts creates is handed to Next's pages, Server Actions and
 * route handlers here. Nothing else in lib/ or app/ keeps state on globalThis.
 */
const slot = globalThis as unknown as { __switchboardRuntime?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
  slot.__switchboardRuntime = runtime;
}

/** The running portal; throws when called outside a started server (e.g. during `next build`). */
export function getRuntime(): Runtime {
  const runtime = slot.__switchboardRuntime;
  if (!runtime)
    throw new Error('The Switchboard runtime is not running in this process (start it with server.ts).');
  return runtime;
}
