/** Test helpers: a terminal session's device side without a device (unit tests of TerminalSession). */
import type { DeviceShell } from '../devices/cli';
import type { DeviceConnection } from '../devices/connect';
import { driverFor } from '../devices/drivers';
import type { Decision } from '../policy/rules';
import type { ScreenModel } from './screen';
import { TerminalSession, type SessionGuard } from './session';

/** A shell that takes what is written and prints what `device` is given (through `emit`). */
export function fakeShell(): { shell: DeviceShell; device: (text: string) => void } {
  let emit: (chunk: Buffer) => void = () => {};
  const shell = {
    write: () => {},
    onData: (l: (chunk: Buffer) => void) => (emit = l),
    onClose: () => {},
    close: () => {},
    resize: () => {},
    pause: () => {},
    resume: () => {},
  } as unknown as DeviceShell;
  return { shell, device: (text) => emit(Buffer.from(text)) };
}

/** A connection to `sw1` (id d1) of a vendor, UTF-8. */
export function fakeConnection(vendor: string): DeviceConnection {
  return {
    device: { id: 'd1', name: 'sw1' },
    driver: driverFor(vendor),
    encoding: 'utf-8',
    close: () => {},
  } as unknown as DeviceConnection;
}

/**
 * A screen that shows what the device printed on its last line (enough for a prompt and an echoed
 * command): what the guard rails read at Enter.
 */
export function lastLineScreen(): ScreenModel {
  let shown = '';
  return {
    write: (text: string) => {
      shown = (shown + text).split(/\r?\n|\r/).pop() ?? '';
    },
    cursorLine: async () => ({ text: shown, before: shown, alt: false }),
    resize: () => {},
    close: () => {},
  } as unknown as ScreenModel;
}

/** A VRP session under `guard` on `shell`, reading lines from a last-line screen. */
export function guardedSession(
  shell: DeviceShell,
  guard: SessionGuard,
  onCommand: (line: string) => void = () => {},
): TerminalSession {
  return new TerminalSession({
    userId: 'u1',
    connection: fakeConnection('huawei_vrp'),
    shell,
    screen: lastLineScreen(),
    guard,
    timers: { resumeGraceMs: 60_000, idleTimeoutMs: 3_600_000 },
    events: { onCommand: (_s, line) => onCommand(line), onClosed: () => {} },
  });
}

/** Guard rails that allow every line, keeping the readings of each they were asked to judge. */
export function allowingGuard(judged: string[][] = []): SessionGuard {
  return {
    active: true,
    judge: async (candidates) => {
      judged.push(candidates);
      return {
        action: 'allow',
        rule: null,
        command: candidates[0] ?? '',
        mode: null,
        reason: '',
      } as Decision;
    },
    decided: () => {},
  };
}
