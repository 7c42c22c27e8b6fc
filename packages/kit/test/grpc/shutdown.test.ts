import { EchoRequest, type EchoFixture, echoHandlers, startEcho } from './echo-fixture';

describe('graceful shutdown', () => {
  let echo: EchoFixture;
  /** Resolves once a call has reached the handler: a fixed sleep is not enough on a busy machine. */
  let reached: Promise<void>;
  beforeEach(async () => {
    let arrived!: () => void;
    reached = new Promise((resolve) => (arrived = resolve));
    echo = await startEcho({
      echo: (request, ctx) => {
        arrived();
        return echoHandlers.echo(request, ctx);
      },
    });
  });
  afterEach(() => echo.close());

  it('lets in-flight calls finish, then refuses new ones', async () => {
    const client = echo.client();
    const inFlight = client.echo(EchoRequest.create({ message: 'almost done', sleepMs: 300 }));
    await reached;
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
    await reached;
    const started = Date.now();
    await echo.server.shutdown(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(inFlight).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(echo.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', obj: { timeoutMs: 200 } }),
    );
  });
});
