import { createServer, connect, type Server } from 'node:net';
import { freePort, roundRobinProxy } from '../src/ports';

/** A TCP server that answers every connection with its name and closes it. */
async function named(name: string): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => socket.end(name));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** What a new connection to `port` reads until the other side closes. */
const answer = (port: number) =>
  new Promise<string>((resolve, reject) => {
    let text = '';
    connect({ host: '127.0.0.1', port })
      .on('data', (d) => (text += d.toString()))
      .on('end', () => resolve(text))
      .on('error', reject);
  });

describe('roundRobinProxy (a Kubernetes Service on this machine)', () => {
  it('hands each new connection to the next backend, on the port asked for', async () => {
    const backends = await Promise.all([named('a'), named('b')]);
    const port = await freePort();
    const proxy = await roundRobinProxy(
      backends.map((b) => b.port),
      port,
    );
    try {
      expect(proxy.port).toBe(port);
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await answer(port));
      expect(answers).toEqual(['a', 'b', 'a', 'b']);
    } finally {
      proxy.close();
      for (const b of backends) b.server.close();
    }
  });

  it('refuses a port that is taken instead of listening elsewhere', async () => {
    const taken = await named('x');
    try {
      await expect(roundRobinProxy([taken.port], taken.port)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      taken.server.close();
    }
  });
});
