import { AppError } from '../../src/errors';
import { MAX_STATUS_MESSAGE_LENGTH } from '../../src/grpc/status';
import { EchoRequest, type EchoFixture, startEcho } from './echo-fixture';

// Issue 11 (found by the fuzz suite): a refusal quoting a 100 kB input made a status trailer larger
// than the peer accepts, and the peer tore down the connection — every call on it failed INTERNAL.
describe('gRPC status messages quoting long input', () => {
  let echo: EchoFixture;
  beforeAll(async () => {
    echo = await startEcho({
      echo: async (request) => {
        if (request.message.startsWith('ok'))
          return { message: request.message, userId: '', roles: [] };
        // Input is at most 2,000 characters (the input policy); a message may still grow past any
        // trailer limit by quoting it, as a list of offending values would.
        throw new AppError('NOT_FOUND', `Unknown thing "${request.message.repeat(50)}"`);
      },
    });
  });
  afterAll(() => echo.close());

  const call = (message: string) =>
    echo
      .client()
      .echo(EchoRequest.create({ message }))
      .then(
        () => ({ code: 'OK', message: '' }),
        (e: AppError) => ({ code: e.code, message: e.message }),
      );

  it('issue 11: refuses with its own code and a shortened message, and calls beside it still answer', async () => {
    const [refused, beside] = await Promise.all([call('A'.repeat(2_000)), call('ok')]);
    expect(refused.code).toBe('NOT_FOUND');
    expect(refused.message.startsWith('Unknown thing "AAAA')).toBe(true);
    expect([...refused.message].length).toBeLessThanOrEqual(MAX_STATUS_MESSAGE_LENGTH);
    expect(beside.code).toBe('OK');
    expect((await call('ok again')).code).toBe('OK');
  });

  it('issue 11: never cuts a character in half', async () => {
    const refused = await call('😀'.repeat(500));
    expect(refused.code).toBe('NOT_FOUND');
    expect(refused.message.endsWith('😀…')).toBe(true);
  });
});
