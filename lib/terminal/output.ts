/**
 * The terminal session's output port: where what the device prints goes. The owner's browser socket
 * is one (the terminal channel handler adapts a WebSocket to it and builds the frames); a recording,
 * an observer or the relay to another node attach through the same interface. The session knows
 * nothing about transports.
 */
export interface TerminalOutput {
  /**
   * Decoded device output (whole characters), scrollback first on attach. `onWritten` runs once the
   * data has left this process, so the session can re-check flow control.
   */
  output(data: string, onWritten?: () => void): void;
  /** The session is over for this port (closed, or taken over by another tab): tell the reader why. */
  closed(reason: string): void;
  /** Something the reader should know about the session (an idle warning); null clears it. */
  notice(message: string | null): void;
  /** Bytes queued towards the reader; above the high-water mark the session pauses the device. */
  bufferedAmount(): number;
  /** Who watches the session now (the owner's port shows it; others ignore it). */
  observers?(list: { userId: string; name: string; since: number }[]): void;
  /** Pairing: whom the owner invited, and who has the keyboard (the owner's port shows it). */
  guests?(list: { userId: string; name: string; control: boolean }[]): void;
  /**
   * Keys wait behind a line the guard rails are checking (a paste): stop sending more (true), or go
   * on (false). The page's paste is paced by it.
   */
  inputFlow?(paused: boolean): void;
}
