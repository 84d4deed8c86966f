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
  /** Pairing: the owner's invitations and who has the keyboard (to the owner), or whether you have it (to a guest). */
  guests: 'terminal_guests',
  control: 'control',
  input: 'input',
} as const;

/** A user name as the owner types it in the invitation box. */
const USERNAME = z.string().trim().min(1).max(64);

/** A reason an admin gives for ending a session (shown to the owner, audited). */
export const END_REASON_MAX_CHARS = 500;

export const observeClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), ts: z.number().optional() }),
  /** Admins: end the watched session, telling its owner why. */
  z.object({ type: z.literal(OBSERVE_MSG.end), reason: z.string().trim().min(1).max(END_REASON_MAX_CHARS) }),
  /** A pairing guest's keys, accepted only while the owner has handed them control. */
  z.object({
    type: z.literal(OBSERVE_MSG.input),
    data: z
      .string()
      .min(1)
      .max(64 * 1024),
  }),
]);

/** What the owner's terminal socket may send for pairing (part of the terminal channel's messages). */
export const pairingClientMessages = [
  z.object({ type: z.literal('invite'), username: USERNAME }),
  z.object({ type: z.literal('uninvite'), username: USERNAME }),
  /** Hand the keyboard to an invited guest, or take it back (null). */
  z.object({ type: z.literal('hand_over'), username: USERNAME.nullable() }),
] as const;

export const guestsFrame = z.object({
  type: z.literal(OBSERVE_MSG.guests),
  guests: z.array(z.object({ name: z.string(), control: z.boolean() })),
});

export const controlFrame = z.object({ type: z.literal(OBSERVE_MSG.control), yours: z.boolean() });
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

/** Everything the observe channel sends (the browser validates frames against it). */
export const observeServerMessage = z.discriminatedUnion('type', [
  observeStartedFrame,
  screenFrame,
  resizedFrame,
  z.object({ type: z.literal('output'), data: z.string() }),
  z.object({ type: z.literal('terminal_closed'), reason: z.string().optional() }),
  z.object({ type: z.literal('pong'), ts: z.number().optional() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  controlFrame,
]);
export type ObserveServerMessage = z.infer<typeof observeServerMessage>;
