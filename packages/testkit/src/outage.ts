import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of a server (PostgreSQL, NATS) that a test can cut and restore: while cut,
 * new connections are refused and open ones are reset — what a client sees when the server's
 * machine or network goes away — without stopping the shared server other tests use.
 */
export interface Outage {
  /** The relay's loopback port: point the client here instead of at the server. */
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startOutageRelay(target: { host: string; port: number }): Promise<Outage> {
  const sockets = new Set<Socket>();
  const relay = (client: Socket) => {
    const upstream = connect(target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  let server: Server | null = null;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer(relay);
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolve((s.address() as { port: number }).port);
      });
    });
  const stop = async () => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (s) await new Promise((r) => s.close(r));
  };
  const port = await listen(0);
  return {
    port,
    cut: stop,
    restore: async () => {
      if (!server) await listen(port);
    },
    close: stop,
  };
}
