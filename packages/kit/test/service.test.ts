import { testServiceEnv, type TestServiceEnv } from '@aftercare/testkit';
import { loadServiceConfig, serviceEnv } from '../src/config';
import { createLogger } from '../src/logger';
import { startService, type RunningService } from '../src/service';

describe('startService listeners (real PostgreSQL and NATS)', () => {
  let env: TestServiceEnv;
  let service: RunningService<ReturnType<typeof loadServiceConfig>>;

  beforeAll(async () => {
    env = await testServiceEnv('kit-admin-port');
    const config = loadServiceConfig(
      serviceEnv('adminprobe', { httpPort: 4199, grpcPort: 50199, adminPort: 9499 }),
      env.env,
    );
    service = await startService({
      config,
      entities: [],
      migrations: [],
      setup: () => ({}),
      logger: createLogger('kit-test', 'silent'),
    });
  });
  afterAll(async () => {
    await service?.stop();
    await env?.cleanup();
  });

  it('issue 11: serves /metrics on the admin port (ADMIN_PORT) only; probes answer on both ports', async () => {
    const publicBase = `http://127.0.0.1:${service.httpPort}`;
    const adminBase = `http://127.0.0.1:${service.adminPort}`;
    expect(service.adminPort).not.toBe(service.httpPort);
    expect((await fetch(`${publicBase}/metrics`)).status).toBe(404);
    const metrics = await fetch(`${adminBase}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('# TYPE outbox_events_published_total counter');
    for (const base of [publicBase, adminBase]) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    }
  });
});
