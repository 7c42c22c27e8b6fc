import { spawnSync } from 'node:child_process';
import { jestRunWithoutLocalServers } from './jest-run';

// The testcontainers branch for real (ADR 0023), wherever a Docker engine is reachable: a run with
// nothing on the default ports starts a PostgreSQL and a NATS container, and a persistence test
// and an event test pass on them. Skipped only when testcontainers finds no engine (our machines
// have none: the Docker client alone is not enough).

/** testcontainers' own runtime detection, asked synchronously so the suite can be skipped. */
function dockerEngineProblem(): string | undefined {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `require('testcontainers').getContainerRuntimeClient().then(
        () => process.exit(0),
        (e) => { console.error(e.message); process.exit(1); })`,
    ],
    { cwd: __dirname, encoding: 'utf8', timeout: 60_000 },
  );
  return probe.status === 0 ? undefined : probe.stderr.trim() || `exit ${probe.status}`;
}

const problem = dockerEngineProblem();
if (problem)
  console.log(`Skipping the testcontainers branch: no Docker engine reachable (${problem})`);
const describeWithDocker = problem ? describe.skip : describe;

describeWithDocker('test servers in containers', () => {
  it('a run with nothing on the default ports passes on a PostgreSQL and a NATS container', async () => {
    const run = await jestRunWithoutLocalServers(
      ['test/db/idempotency.test.ts', 'test/events/managed.test.ts'],
      {},
    );
    expect(run.output).toMatch(
      /\[test servers\] PostgreSQL: a container \(testcontainers\) at .*; NATS: a container \(testcontainers\) at nats:\/\//,
    );
    expect(run.output).toMatch(/Test Suites: 2 passed, 2 total/);
    expect(run.code).toBe(0);
  }, 300_000);
});
