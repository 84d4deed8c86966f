import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  notificationsServerMessage,
  type NotificationsClientMessage,
  type NotificationsServerMessage,
} from '@/lib/realtime/protocol';
import { RECONNECT_STABLE_MS } from './backoff';
import {
  channelUrl,
  decodeFrame,
  openChannel,
  type ChannelOptions,
  type ChannelState,
  type SocketLike,
} from './channel';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  constructor(readonly url: string) {}
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.closed = true;
  }
  // what the server / network does
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
}

const unread = (count: number) => JSON.stringify({ type: 'unread_count', count });

function setup(extra: Partial<ChannelOptions<NotificationsServerMessage, NotificationsClientMessage>> = {}) {
  const sockets: FakeSocket[] = [];
  const frames: NotificationsServerMessage[] = [];
  const states: ChannelState[] = [];
  const dropped: string[] = [];
  const events: string[] = [];
  const channel = openChannel<NotificationsServerMessage, NotificationsClientMessage>({
    path: 'notifications',
    schema: notificationsServerMessage,
    page: { protocol: 'http:', host: 'portal.test:3000' },
    connect: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    random: () => 0,
    onMessage: (f) => frames.push(f),
    onOpen: (ch) => {
      events.push('open');
      ch.send({ type: 'hello', last_seq: 7 });
    },
    onClose: ({ code }) => events.push(`close ${code}`),
    onState: (s) => states.push(s),
    onDropped: (d) => dropped.push(d.error),
    ...extra,
  });
  const last = () => sockets[sockets.length - 1]!;
  return { channel, sockets, frames, states, dropped, events, last };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-01T10:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('channelUrl', () => {
  it('uses ws: or wss: as the page is http: or https:, on the page host', () => {
    expect(channelUrl('notifications', { protocol: 'http:', host: 'a:3000' })).toBe(
      'ws://a:3000/ws/notifications',
    );
    expect(channelUrl('terminal/d%201', { protocol: 'https:', host: 'noc.example' })).toBe(
      'wss://noc.example/ws/terminal/d%201',
    );
  });
});

describe('decodeFrame', () => {
  it('returns the frame or an error, never throws', () => {
    expect(decodeFrame(notificationsServerMessage, unread(3))).toEqual({
      ok: true,
      frame: { type: 'unread_count', count: 3 },
    });
    expect(decodeFrame(notificationsServerMessage, '{nope').ok).toBe(false);
    expect(decodeFrame(notificationsServerMessage, '{"type":"unread_count","count":"3"}').ok).toBe(false);
    expect(decodeFrame(notificationsServerMessage, new ArrayBuffer(2)).ok).toBe(false);
  });
});

describe('openChannel', () => {
  it('opens /ws/<path> at once, says hello on open and passes on valid frames only', () => {
    const { sockets, last, frames, dropped, states } = setup();
    expect(sockets.map((s) => s.url)).toEqual(['ws://portal.test:3000/ws/notifications']);
    expect(states).toEqual([{ kind: 'connecting', attempt: 0 }]);
    last().open();
    expect(states.at(-1)).toEqual({ kind: 'open', since: Date.now() });
    expect(last().sent).toEqual(['{"type":"hello","last_seq":7}']);
    last().receive(unread(2));
    last().receive('not json');
    last().receive(JSON.stringify({ type: 'unread_count' }));
    last().receive(JSON.stringify({ type: 'who_knows', count: 1 }));
    expect(frames).toEqual([{ type: 'unread_count', count: 2 }]);
    expect(dropped).toHaveLength(3);
  });

  it('does not send before the socket is open', () => {
    const { channel, last } = setup({ onOpen: undefined });
    expect(channel.send({ type: 'hello', last_seq: 1 })).toBe(false);
    expect(last().sent).toEqual([]);
    last().open();
    expect(channel.send({ type: 'hello', last_seq: 1 })).toBe(true);
  });

  it('reconnects after a lost socket with growing delays, and says when the next attempt is', () => {
    const { sockets, last, states, events } = setup();
    last().drop(); // never opened
    expect(states.at(-1)).toEqual({
      kind: 'retrying',
      attempt: 1,
      delayMs: 500,
      retryAt: Date.now() + 500,
      code: 1006,
    });
    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    expect(states.at(-1)).toEqual({ kind: 'connecting', attempt: 1 });
    last().drop();
    expect(states.at(-1)).toMatchObject({ kind: 'retrying', attempt: 2, delayMs: 1000 });
    vi.advanceTimersByTime(1000);
    last().open();
    expect(events).toEqual(['open']);
    // open, but dropped soon: the backoff goes on growing
    vi.advanceTimersByTime(100);
    last().drop();
    expect(events).toEqual(['open', 'close 1006']);
    expect(states.at(-1)).toMatchObject({ kind: 'retrying', attempt: 3, delayMs: 2000 });
    vi.advanceTimersByTime(2000);
    // open long enough: the next loss starts from the first delay again
    last().open();
    vi.advanceTimersByTime(RECONNECT_STABLE_MS);
    last().drop(1001);
    expect(states.at(-1)).toMatchObject({ kind: 'retrying', attempt: 1, delayMs: 500, code: 1001 });
    vi.advanceTimersByTime(500);
    last().open();
    expect(last().sent).toEqual(['{"type":"hello","last_seq":7}']); // hello again on every socket
  });

  it('stops for good on close(): no more sockets, even when the old one reports its close late', () => {
    const { channel, sockets, last, states, events } = setup();
    const first = last();
    first.open();
    channel.close();
    expect(first.closed).toBe(true);
    expect(events).toEqual(['open', 'close 1000']);
    expect(states.at(-1)).toEqual({ kind: 'closed', reason: 'stopped' });
    first.drop(1000);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('cancels a pending retry on close()', () => {
    const { channel, sockets, last } = setup();
    last().drop();
    channel.close();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('close({ lingerMs }) leaves an open socket open that long (frames sent last reach the server first)', () => {
    const { channel, last } = setup();
    last().open();
    channel.close({ lingerMs: 50 });
    expect(last().closed).toBe(false);
    vi.advanceTimersByTime(50);
    expect(last().closed).toBe(true);
  });

  it('reconnect() opens a new socket now with the counter reset, and ignores the old one', () => {
    const { channel, sockets, last, states, frames } = setup();
    last().drop();
    vi.advanceTimersByTime(500);
    last().drop();
    const old = last();
    channel.reconnect();
    expect(sockets).toHaveLength(3);
    expect(states.at(-1)).toEqual({ kind: 'connecting', attempt: 0 });
    old.receive(unread(9));
    old.drop();
    expect(frames).toEqual([]);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(3); // the retry of the old socket was cancelled
    // and a stopped channel can be restarted
    channel.close();
    channel.reconnect();
    expect(sockets).toHaveLength(4);
  });

  it('does not retry when the server refuses the socket (policy close)', () => {
    const { sockets, last, states } = setup();
    last().open();
    last().drop(1008);
    expect(states.at(-1)).toEqual({ kind: 'closed', reason: 'refused', code: 1008 });
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('gives up after policy.maxAttempts retries in a row', () => {
    const { sockets, last, states } = setup({ policy: { maxAttempts: 2 } });
    last().drop();
    vi.advanceTimersByTime(500);
    last().drop();
    vi.advanceTimersByTime(1000);
    last().drop();
    expect(states.at(-1)).toEqual({ kind: 'closed', reason: 'gave_up', code: 1006 });
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(3);
  });
});
