import { createServer } from 'node:net';
import { AppError } from '../../src/errors';
import { connectNats } from '../../src/events';
import { silentLogger } from './fixtures';

describe('connectNats', () => {
  it('fails start-up with a clear UNAVAILABLE error when NATS cannot be reached in time', async () => {
    // A port nothing listens on: bind one, note it, release it.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const started = Date.now();
    const attempt = connectNats({
      url: `nats://127.0.0.1:${port}`,
      name: 'unreachable',
      logger: silentLogger,
      connectTimeoutMs: 600,
    });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining(`nats://127.0.0.1:${port} within 600 ms`),
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
