/**
 * Output flow control between the SSH channel and the browser's socket. Pure: the adapter in the
 * session applies the decision (pause/resume the SSH stream).
 */
export const WS_HIGH_WATER_BYTES = 1024 * 1024;
export const WS_LOW_WATER_BYTES = 256 * 1024;

export type FlowAction = 'pause' | 'resume' | 'none';

export interface WaterMarks {
  highBytes: number;
  lowBytes: number;
}

export const DEFAULT_WATER_MARKS: WaterMarks = {
  highBytes: WS_HIGH_WATER_BYTES,
  lowBytes: WS_LOW_WATER_BYTES,
};

/** Pause above the high-water mark, resume at or below the low one; in between keep the state. */
export function flowDecision(
  bufferedBytes: number,
  paused: boolean,
  marks: WaterMarks = DEFAULT_WATER_MARKS,
): FlowAction {
  if (!paused && bufferedBytes >= marks.highBytes) return 'pause';
  if (paused && bufferedBytes <= marks.lowBytes) return 'resume';
  return 'none';
}
