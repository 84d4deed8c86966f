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

/**
 * The browser's side: output handed to xterm.js that it has not parsed yet (its write callbacks say
 * when it has). A browser cannot stop reading its socket, so without this a flood arrives far faster
 * than the page draws it: xterm queues it all (and drops what is past 50 MB), and a Ctrl+C shows only
 * after everything already sent has scrolled by. Above the high mark the page sends `flow` paused
 * (the session pauses the device as it does for a full socket), at the low mark it lets it go on.
 * About a tenth of a second of parsing for a page drawing 10 MB/s; counted in UTF-16 units.
 */
export const READER_HIGH_WATER_CHARS = 1024 * 1024;
export const READER_LOW_WATER_CHARS = 256 * 1024;

export const READER_WATER_MARKS: WaterMarks = {
  highBytes: READER_HIGH_WATER_CHARS,
  lowBytes: READER_LOW_WATER_CHARS,
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
