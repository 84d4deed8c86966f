/** The WebSocket channels under /ws/ and how a path maps to one. Pure. */
export type ChannelRoute =
  | { channel: 'terminal'; deviceId: string }
  | { channel: 'observe'; sessionId: string }
  | { channel: 'monitor' }
  | { channel: 'notifications' };

export type ChannelName = ChannelRoute['channel'];

export const WS_PREFIX = '/ws/';

export function matchChannel(pathname: string): ChannelRoute | null {
  if (!pathname.startsWith(WS_PREFIX)) return null;
  const parts = pathname.slice(WS_PREFIX.length).split('/');
  if (parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 2 && parts[0] === 'terminal' && /^[A-Za-z0-9_-]{1,64}$/.test(parts[1]!)) {
    return { channel: 'terminal', deviceId: parts[1]! };
  }
  if (parts.length === 2 && parts[0] === 'observe' && /^[A-Za-z0-9_-]{1,64}$/.test(parts[1]!)) {
    return { channel: 'observe', sessionId: parts[1]! };
  }
  if (parts.length === 2 && parts[0] === 'monitor' && parts[1] === 'tasks') return { channel: 'monitor' };
  if (parts.length === 1 && parts[0] === 'notifications') return { channel: 'notifications' };
  return null;
}
