/**
 * What a terminal tab's status line says, as a value the page translates. The portal's server speaks
 * English (its words are shared with the REST API and the logs); the few sentences it says on every
 * connection are recognised here and said in the reader's language, anything else is shown as sent.
 * Device output never passes through here.
 */
export type LinkMessage =
  | { kind: 'connecting' }
  | { kind: 'reconnecting' }
  | { kind: 'retrying'; seconds: number }
  | { kind: 'portalLost' }
  | { kind: 'sessionEnded' }
  | { kind: 'sessionClosed' }
  | { kind: 'connected'; device: string }
  | { kind: 'reattached'; device: string }
  | { kind: 'idle'; seconds: number; output: boolean }
  | { kind: 'reason'; reason: ClosedReason }
  | { kind: 'server'; text: string };

/** Why a session ended, in the server's fixed words (lib/terminal/session.ts, the terminal handler). */
const REASONS = {
  'The device ended the session.': 'deviceEnded',
  'The connection to the device was lost.': 'deviceLost',
  'This session was opened in another tab.': 'otherTab',
  'No browser came back within the resume grace period.': 'noBrowser',
  'Closed by the user.': 'byUser',
  'No session was open.': 'noSession',
} as const;
export type ClosedReason = (typeof REASONS)[keyof typeof REASONS];

const CONNECTED = /^Connected to (.+)\.$/;
const REATTACHED = /^Reattached to (.+)\.$/;
const IDLE = /^Idle: this session closes in (\d+) s unless you type( or the device prints something)?\.$/;

/** A sentence from the server, recognised where it is one of the usual ones. */
export function fromServer(text: string): LinkMessage {
  if (Object.hasOwn(REASONS, text)) return { kind: 'reason', reason: REASONS[text as keyof typeof REASONS] };
  let m = CONNECTED.exec(text);
  if (m) return { kind: 'connected', device: m[1]! };
  m = REATTACHED.exec(text);
  if (m) return { kind: 'reattached', device: m[1]! };
  m = IDLE.exec(text);
  if (m) return { kind: 'idle', seconds: Number(m[1]), output: Boolean(m[2]) };
  return { kind: 'server', text };
}

/** The translation keys (namespace `terminal.status`) and arguments a message is said with. */
export function messageKey(
  m: LinkMessage,
):
  | { key: 'connecting' | 'reconnecting' | 'portalLost' | 'sessionEnded' | 'sessionClosed' }
  | { key: 'retrying' | 'idle' | 'idleOutput'; values: { seconds: number } }
  | { key: 'connected' | 'reattached'; values: { device: string } }
  | { key: `reasons.${ClosedReason}` }
  | { text: string } {
  switch (m.kind) {
    case 'retrying':
      return { key: 'retrying', values: { seconds: m.seconds } };
    case 'idle':
      return { key: m.output ? 'idleOutput' : 'idle', values: { seconds: m.seconds } };
    case 'connected':
    case 'reattached':
      return { key: m.kind, values: { device: m.device } };
    case 'reason':
      return { key: `reasons.${m.reason}` };
    case 'server':
      return { text: m.text };
    default:
      return { key: m.kind };
  }
}
