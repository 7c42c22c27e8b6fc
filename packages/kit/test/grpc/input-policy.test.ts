import { AppError } from '../../src/errors';
import { EchoRequest, type EchoFixture, echoHandlers, startEcho } from './echo-fixture';

const agent = { userId: 'u-agent', roles: ['agent' as const] };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('input policy on every gRPC request (createGrpcServer)', () => {
  let echo: EchoFixture;
  let handled = 0;
  beforeAll(async () => {
    echo = await startEcho({
      echo: (request, ctx) => {
        handled += 1;
        return echoHandlers.echo(request, ctx);
      },
    });
  });
  afterAll(() => echo.close());
  beforeEach(() => {
    handled = 0;
  });

  const call = (message: string) =>
    echo.client({ identity: agent }).echo(EchoRequest.create({ message }));

  it('refuses a NUL in any string field with INVALID_ARGUMENT, the reason and the field, before the handler runs', async () => {
    expect(await rejection(call('Zhang\u0000Wei'))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'TEXT_CONTAINS_NUL',
      field: 'message',
    });
    expect(handled).toBe(0);
  });

  it('refuses strings over 2,000 characters (a megabyte at once) and lets ordinary text through', async () => {
    const started = performance.now();
    expect(await rejection(call('x'.repeat(1_000_000)))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'TOO_LONG',
      field: 'message',
    });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(handled).toBe(0);
    expect((await call('张三 😀')).message).toBe('张三 😀');
    expect(handled).toBe(1);
  });
});
