import {
  type Outage,
  startNatsServer,
  startOutageRelay,
  type TestNatsServer,
  testServiceEnv,
  type TestServiceEnv,
} from '@aftercare/testkit';
import { loadServiceConfig, serviceEnv } from '../src/config';
import { createLogger } from '../src/logger';
import { startPeriodicWorker } from '../src/periodic';
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

describe('readiness tells the truth (issue 17)', () => {
  let env: TestServiceEnv;
  let nats: TestNatsServer;
  let database: Outage;
  let service: RunningService<ReturnType<typeof loadServiceConfig>>;
  let rounds = 0;

  beforeAll(async () => {
    nats = await startNatsServer();
    env = await testServiceEnv('kit-readiness', {
      NATS_URL: nats.url,
      NATS_READY_GRACE_MS: '300',
    });
    // The service reaches its database through a relay the test can cut.
    const url = new URL(env.env.DATABASE_URL!);
    database = await startOutageRelay({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(database.port);
    const config = loadServiceConfig(
      serviceEnv('readyprobe', { httpPort: 0, grpcPort: 0, adminPort: 0 }),
      { ...env.env, DATABASE_URL: url.toString() },
    );
    const logger = createLogger('kit-test', 'silent');
    service = await startService({
      config,
      entities: [],
      migrations: [],
      logger,
      setup: (runtime) => ({
        workers: [
          startPeriodicWorker(
            'always failing scheduler',
            50,
            async () => {
              rounds += 1;
              throw new Error('the job is broken');
            },
            logger,
            runtime.metrics,
          ),
        ],
      }),
    });
  });
  afterAll(async () => {
    await service?.stop();
    await env?.cleanup();
    await nats?.dispose();
    await database?.close();
  });

  const readyz = async () => {
    const res = await fetch(`http://127.0.0.1:${service.adminPort}/readyz`);
    return { status: res.status, checks: ((await res.json()) as { checks: object }).checks };
  };

  async function eventually(what: string, ok: () => Promise<boolean>, withinMs = 10_000) {
    const deadline = Date.now() + withinMs;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('stays ready while a scheduler fails its rounds: a metric and a log line, not unreadiness', async () => {
    await eventually('a few failed rounds', async () => rounds >= 3);
    expect(await readyz()).toMatchObject({ status: 200 });
    const metrics = await (await fetch(`http://127.0.0.1:${service.adminPort}/metrics`)).text();
    expect(metrics).toMatch(
      /scheduler_rounds_total\{scheduler="always failing scheduler",outcome="failure"\} [1-9]/,
    );
  });

  it('turns not ready once NATS has been lost for longer than the grace, and ready again when it is back', async () => {
    expect(await readyz()).toMatchObject({ status: 200, checks: { nats: true } });
    await nats.stop();
    const lost = Date.now();
    await eventually('readiness to drop', async () => (await readyz()).status === 503);
    expect(Date.now() - lost).toBeGreaterThanOrEqual(250);
    expect((await readyz()).checks).toMatchObject({ nats: false, database: true });
    await nats.start();
    const back = Date.now();
    await eventually('readiness to return', async () => (await readyz()).status === 200);
    expect(Date.now() - back).toBeLessThan(8_000);
  });

  it('turns not ready while the database is unreachable, and ready again as soon as it answers', async () => {
    expect(await readyz()).toMatchObject({ status: 200, checks: { database: true } });
    await database.cut();
    await eventually('readiness to drop', async () => (await readyz()).status === 503);
    expect((await readyz()).checks).toMatchObject({ database: false });
    await database.restore();
    const back = Date.now();
    await eventually('readiness to return', async () => (await readyz()).status === 200);
    expect(Date.now() - back).toBeLessThan(8_000);
  });
});
