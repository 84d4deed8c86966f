import { z } from 'zod';

/**
 * /ws/observe/:sessionId — watching someone's terminal session, read-only (DESIGN: protocol). The
 * observer gets the whole screen first (`screen`), then the session's `output` frames (framed as its
 * socket asked, like the terminal channel's), `resized` when the owner's window changes and
 * `terminal_closed` when the session ends. The owner's terminal socket gets `terminal_observers`.
 */
export const OBSERVE_MSG = {
  started: 'observe_started',
  screen: 'screen',
  resized: 'resized',
  observers: 'terminal_observers',
  end: 'end',
} as const;

/** A reason an admin gives for ending a session (shown to the owner, audited). */
export const END_REASON_MAX_CHARS = 500;

export const observeClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), ts: z.number().optional() }),
  /** Admins: end the watched session, telling its owner why. */
  z.object({ type: z.literal(OBSERVE_MSG.end), reason: z.string().trim().min(1).max(END_REASON_MAX_CHARS) }),
]);
export type ObserveClientMessage = z.infer<typeof observeClientMessage>;

export const observeStartedFrame = z.object({
  type: z.literal(OBSERVE_MSG.started),
  session_id: z.string(),
  device_id: z.string(),
  device: z.string(),
  owner: z.string(),
  cols: z.number().int(),
  rows: z.number().int(),
  /** Whether this observer may end the session (admins). */
  can_end: z.boolean(),
});

export const screenFrame = z.object({
  type: z.literal(OBSERVE_MSG.screen),
  data: z.string(),
  cols: z.number().int(),
  rows: z.number().int(),
});

export const resizedFrame = z.object({
  type: z.literal(OBSERVE_MSG.resized),
  cols: z.number().int(),
  rows: z.number().int(),
});

export const observersFrame = z.object({
  type: z.literal(OBSERVE_MSG.observers),
  observers: z.array(z.object({ name: z.string(), since: z.string() })),
});
export type ObserversFrame = z.infer<typeof observersFrame>;
