import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';

/** Whether something accepts TCP connections at host:port (a refused loopback port fails at once). */
export function accepts(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A TCP port on 127.0.0.1 spreading connections round-robin over local backend ports, as
 * kube-proxy does for a ClusterIP Service: per connection, not per request, so an HTTP/2 (gRPC)
 * client with one connection stays on one backend. `port` 0 takes any free port.
 */
export async function roundRobinProxy(
  backends: number[],
  port = 0,
): Promise<{ port: number; server: Server; close(): void }> {
  let next = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const target = backends[next++ % backends.length]!;
    const upstream = tcpConnect({ host: '127.0.0.1', port: target });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as { port: number }).port,
    server,
    close() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}
