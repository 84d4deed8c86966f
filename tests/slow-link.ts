import net from 'node:net';

export interface SlowLink {
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP relay on a loopback port that holds every chunk `delayMs` in each direction before passing it
 * on, in order: a device at the far end of a slow WAN link (a satellite site), where a device's echo
 * of a key comes back 2 × `delayMs` after the key.
 */
export async function startSlowLink(
  target: { host: string; port: number },
  delayMs: number,
): Promise<SlowLink> {
  const sockets = new Set<net.Socket>();
  const relay = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk) => setTimeout(() => to.destroyed || to.write(chunk), delayMs));
    from.on('end', () => setTimeout(() => to.end(), delayMs));
    from.on('error', () => to.destroy());
    from.on('close', () => setTimeout(() => to.destroy(), delayMs));
  };
  const server = net.createServer((near) => {
    const far = net.connect(target.port, target.host);
    for (const s of [near, far]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    relay(near, far);
    relay(far, near);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
