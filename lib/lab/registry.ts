import type { RunningLab } from './server';

const globalForLab = globalThis as unknown as { __switchboardLab?: RunningLab };

/** The lab started by the runtime (undefined when LAB=off); the admin lab API reaches it here. */
export function setLab(lab: RunningLab | undefined): void {
  globalForLab.__switchboardLab = lab;
}
export function getLab(): RunningLab | undefined {
  return globalForLab.__switchboardLab;
}
