// The bench's CPU of PostgreSQL per request (issue 12): read from the backends serving the run's
// databases, on a real server. A pool grows under load, so backends that start during a step
// carry much of its SQL work; missing them made PostgreSQL look several times cheaper than it is.
import { Client } from 'pg';
import { createTestDatabase, TEST_PG_URL, type TestDatabase } from '@aftercare/testkit';
import { cpuMs, delta, snapshot } from '../bench/probes';

let db: TestDatabase;
let admin: Client;
const sql = async (text: string, params?: unknown[]) => (await admin.query(text, params)).rows;
const reading = () => snapshot({ processes: [], databases: { probe: db.name }, sql });

beforeAll(async () => {
  db = await createTestDatabase('bench probes');
  admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

const busyQuery = 'select sum(i) from generate_series(1, 3000000) i';

async function cpuOfBackend(client: Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const ms = cpuMs(rows[0]!.pid);
  if (ms === null) throw new Error('the backend is not a process of this machine');
  return ms;
}

test('a backend that connected during the step counts with all its CPU', async () => {
  const before = await reading();
  const late = new Client({ connectionString: db.url });
  await late.connect();
  try {
    await late.query(busyQuery);
    const after = await reading();
    const backend = await cpuOfBackend(late);
    const { cpuMsPerRequest } = delta(before, after, 1);
    expect(backend).toBeGreaterThan(0);
    expect(cpuMsPerRequest.postgres).toBeGreaterThanOrEqual(backend * 0.9);
  } finally {
    await late.end();
  }
});

test('a backend present at both readings counts only what it spent between them', async () => {
  const steady = new Client({ connectionString: db.url });
  await steady.connect();
  try {
    await steady.query(busyQuery);
    const spentBefore = await cpuOfBackend(steady);
    const before = await reading();
    await steady.query('select 1');
    const after = await reading();
    const { cpuMsPerRequest } = delta(before, after, 1);
    expect(spentBefore).toBeGreaterThan(0);
    expect(cpuMsPerRequest.postgres).toBeLessThan(spentBefore / 2);
  } finally {
    await steady.end();
  }
});
