/** tests/sshd.ts startSshd, registered for clean-up if the run is interrupted. */
import { startSshd, type RealSshd } from '../../tests/sshd';
import { onInterrupt } from './proc';

export type { RealSshd };

export async function startBenchSshd(): Promise<RealSshd> {
  const sshd = await startSshd();
  const off = onInterrupt(() => sshd.close());
  return {
    ...sshd,
    close: async () => {
      off();
      await sshd.close();
    },
  };
}
