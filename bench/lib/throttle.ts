/**
 * A loopback TCP proxy whose server → client direction is limited to `rate` bytes/s (a slow client
 * link): it stops reading from the server whenever it is ahead of the budget, so what the server
 * cannot send piles up in the server's own socket buffers, where its backpressure has to deal with it.
 */
import net from 'node:net';

export interface ThrottleProxy {
  port: number;
  /** Bytes forwarded server → client. */
  forwarded(): number;
  close(): Promise<void>;
}

export async function startThrottleProxy(targetPort: number, rate: number): Promise<ThrottleProxy> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let forwarded = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    const started = Date.now();
    let sent = 0;
    upstream.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      forwarded += chunk.length;
      client.write(chunk);
      const aheadMs = (sent / rate) * 1000 - (Date.now() - started);
      if (aheadMs > 0) {
        upstream.pause();
        const t = setTimeout(() => {
          timers.delete(t);
          upstream.resume();
        }, aheadMs);
        timers.add(t);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    forwarded: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
