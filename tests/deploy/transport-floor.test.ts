// The bench's transport floor of one intake (tests/bench/transport-floor.js): its three processes
// carry every intake through, the consumer applies every event, each process and PostgreSQL are
// charged CPU, and it leaves nothing behind — schema, stream, processes.
import { readdirSync, readFileSync } from 'node:fs';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { loadCustomerConfig, customerSpec } from '@aftercare/customer-service';
import { runMigrations } from '@aftercare/kit';
import {
  TEST_NATS_URL,
  testServiceEnv,
  uniqueSubjectPrefix,
  type TestServiceEnv,
} from '@aftercare/testkit';
import { loadWorkOrderConfig, workOrderSpec } from '@aftercare/workorder-service';
import { INTAKE_SETUP } from '../bench/floor-sql';
import { transportFloor } from '../bench/transport-floor';

jest.setTimeout(60_000);

let workorder: TestServiceEnv;
let customer: TestServiceEnv;

beforeAll(async () => {
  [workorder, customer] = await Promise.all([
    testServiceEnv('transport floor workorder'),
    testServiceEnv('transport floor customer'),
  ]);
  await Promise.all([
    runMigrations(workOrderSpec(loadWorkOrderConfig(workorder.env))),
    runMigrations(customerSpec(loadCustomerConfig(customer.env))),
  ]);
});

afterAll(async () => {
  await workorder?.cleanup();
  await customer?.cleanup();
});

const url = (env: TestServiceEnv) => env.env.DATABASE_URL!;

async function query<T>(databaseUrl: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** This process's children running the floor's module, by pid. */
function floorProcesses(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return (
          ppid === process.pid &&
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('transport-floor')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('an intake through three plain processes: every event applied, every process charged, nothing left', async () => {
  await query(url(workorder), INTAKE_SETUP);
  const prefix = uniqueSubjectPrefix('transport floor');
  const seen = new Set<number>();
  const watch = setInterval(() => floorProcesses().forEach((pid) => seen.add(pid)), 100);
  const floor = await transportFloor({
    databases: { workorder: url(workorder), customer: url(customer) },
    customerId: '00000000-0000-7000-8000-000000000002',
    natsUrl: TEST_NATS_URL,
    seconds: 1.5,
    clients: 4,
    prefix,
  }).finally(() => clearInterval(watch));

  expect(floor.rps).toBeGreaterThan(0);
  for (const part of ['edge', 'order', 'customer', 'postgres', 'total'])
    expect(floor.cpuMsPerRequest[part]).toBeGreaterThan(0);
  expect(floor.events.published).toBeGreaterThanOrEqual(floor.rps);
  expect(floor.events.applied).toBe(floor.events.published);

  // Every published event was marked in the intake's outbox copy (limits.js drops that schema).
  const [outbox] = await query<{ n: number; published: number }>(
    url(workorder),
    `SELECT count(*)::int AS n, count(published_at)::int AS published FROM bench_limit.outbox`,
  );
  expect(outbox).toEqual({ n: floor.events.published, published: floor.events.published });

  const schemas = await query(
    url(customer),
    `SELECT 1 FROM information_schema.schemata WHERE schema_name = 'bench_limit'`,
  );
  expect(schemas).toEqual([]);
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const streams: string[] = [];
    for await (const name of (await jetstreamManager(nc)).streams.names()) streams.push(name);
    expect(streams).not.toContain(prefix.toUpperCase());
  } finally {
    await nc.close();
  }
  expect(seen.size).toBe(3);
  expect(floorProcesses()).toEqual([]);
});
