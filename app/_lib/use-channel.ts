'use client';

import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { openChannel, type Channel, type ChannelState } from './channel';

export interface UseChannelOptions<In, Out> {
  path: string;
  schema: z.ZodType<In>;
  onMessage(frame: In, channel: Channel<Out>): void;
  onOpen?(channel: Channel<Out>): void;
}

/**
 * A channel for as long as the component is mounted (a new one when `path` or `key` changes). The
 * callbacks may change on every render: the socket always calls the latest ones.
 */
export function useChannel<In, Out = never>(
  { path, schema, onMessage, onOpen }: UseChannelOptions<In, Out>,
  key?: string,
): ChannelState {
  const [state, setState] = useState<ChannelState>({ kind: 'connecting', attempt: 0 });
  const handlers = useRef({ onMessage, onOpen });
  useEffect(() => {
    handlers.current = { onMessage, onOpen };
  });
  useEffect(() => {
    const channel = openChannel<In, Out>({
      path,
      schema,
      onMessage: (frame, ch) => handlers.current.onMessage(frame, ch),
      onOpen: (ch) => handlers.current.onOpen?.(ch),
      onState: setState,
    });
    return () => channel.close();
  }, [path, schema, key]);
  return state;
}
