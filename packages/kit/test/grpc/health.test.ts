import { credentials, type ClientReadableStream } from '@grpc/grpc-js';
import { healthV1 } from '@aftercare/proto';
import { createGrpcClient, OVERALL_HEALTH, type PromiseClient } from '../../src/grpc';
import { authAs } from '../internal-auth/support';
import { type EchoFixture, startEcho } from './echo-fixture';

const { SERVING, NOT_SERVING, SERVICE_UNKNOWN } = healthV1.HealthCheckResponse_ServingStatus;
const ECHO_SERVICE = 'aftercare.testing.v1.EchoService';

describe('grpc.health.v1.Health', () => {
  let echo: EchoFixture;
  let health: PromiseClient<typeof healthV1.HealthService>;
  beforeEach(async () => {
    echo = await startEcho();
    health = createGrpcClient(healthV1.HealthClient, echo.address, {
      name: 'health',
      auth: authAs('caller'),
    });
  });
  afterEach(async () => {
    health.close();
    await echo.close();
  });

  it('knows the whole server and every added service, NOT_SERVING until the service says so', async () => {
    expect(await health.check({ service: OVERALL_HEALTH })).toEqual({ status: NOT_SERVING });
    expect(await health.check({ service: ECHO_SERVICE })).toEqual({ status: NOT_SERVING });
    echo.server.health.setAll('SERVING');
    expect(await health.check({ service: OVERALL_HEALTH })).toEqual({ status: SERVING });
    expect(await health.check({ service: ECHO_SERVICE })).toEqual({ status: SERVING });
  });

  it('answers SERVING, then NOT_SERVING once the status is changed', async () => {
    echo.server.health.set(ECHO_SERVICE, 'SERVING');
    expect(await health.check({ service: ECHO_SERVICE })).toEqual({ status: SERVING });
    echo.server.health.set(ECHO_SERVICE, 'NOT_SERVING');
    expect(await health.check({ service: ECHO_SERVICE })).toEqual({ status: NOT_SERVING });
  });

  it('fails with NOT_FOUND for a service it does not know', async () => {
    await expect(health.check({ service: 'aftercare.nope.v1.NopeService' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      reason: 'SERVICE_UNKNOWN',
    });
  });

  it('streams status changes to watchers, SERVICE_UNKNOWN first for an unknown name, and ends them on shutdown', async () => {
    const raw = new healthV1.HealthClient(echo.address, credentials.createInsecure());
    try {
      const overall = collect(raw.watch({ service: OVERALL_HEALTH }));
      const later = collect(raw.watch({ service: 'aftercare.later.v1.LaterService' }));
      await overall.next(); // NOT_SERVING at once
      await later.next(); // SERVICE_UNKNOWN at once
      echo.server.health.setAll('SERVING');
      echo.server.health.set('aftercare.later.v1.LaterService', 'SERVING');
      await overall.next();
      await later.next();
      await echo.server.shutdown(1_000);
      expect(await overall.ended).toEqual([NOT_SERVING, SERVING, NOT_SERVING]);
      expect(await later.ended).toEqual([SERVICE_UNKNOWN, SERVING, NOT_SERVING]);
    } finally {
      raw.close();
    }
  });
});

/** Statuses received on a Watch stream: `next()` waits for one more, `ended` resolves with all of them. */
function collect(stream: ClientReadableStream<healthV1.HealthCheckResponse>) {
  const seen: healthV1.HealthCheckResponse_ServingStatus[] = [];
  let waiter: (() => void) | undefined;
  stream.on('data', (response: healthV1.HealthCheckResponse) => {
    seen.push(response.status);
    waiter?.();
  });
  const ended = new Promise<typeof seen>((resolve, reject) => {
    stream.on('end', () => resolve(seen));
    stream.on('error', reject);
  });
  let consumed = 0;
  const next = () =>
    new Promise<void>((resolve) => {
      consumed += 1;
      const check = () => (seen.length >= consumed ? resolve() : undefined);
      waiter = check;
      check();
    });
  return { next, ended };
}
