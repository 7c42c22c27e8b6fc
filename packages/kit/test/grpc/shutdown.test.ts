import { setTimeout as sleep } from 'node:timers/promises';
import { EchoRequest, type EchoFixture, startEcho } from './echo-fixture';

describe('graceful shutdown', () => {
  let echo: EchoFixture;
  beforeEach(async () => {
    echo = await startEcho();
  });
  afterEach(() => echo.close());

  it('lets in-flight calls finish, then refuses new ones', async () => {
    const client = echo.client();
    const inFlight = client.echo(EchoRequest.create({ message: 'almost done', sleepMs: 300 }));
    await sleep(50); // the call has reached the handler
    const started = Date.now();
    await echo.server.shutdown(5_000);
    await expect(inFlight).resolves.toMatchObject({ message: 'almost done' });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(client.echo(EchoRequest.create({ message: 'too late' }))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });

  it('cancels calls still running when the timeout passes', async () => {
    const inFlight = echo.client().echo(EchoRequest.create({ sleepMs: 10_000 }));
    await sleep(50);
    const started = Date.now();
    await echo.server.shutdown(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(inFlight).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(echo.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', obj: { timeoutMs: 200 } }),
    );
  });
});
