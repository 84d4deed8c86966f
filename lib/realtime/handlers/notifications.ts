import { z } from 'zod';
import type { ChannelHandler } from '../connections';

/**
 * /ws/notifications: server-push channel (device_status, notification). Clients send nothing on it
 * yet, so every client frame is answered with an error frame and the connection stays up.
 */
export function notificationsChannel(): ChannelHandler {
  return {
    channel: 'notifications',
    inbound: z.object({ type: z.string() }),
    inboundTypes: [],
    onMessage() {
      // unreachable: parseFrame rejects every type before this is called
    },
  };
}
