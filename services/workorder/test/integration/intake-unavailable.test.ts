import { USER_ID_HEADER, USER_ROLES_HEADER } from '@aftercare/kit';
import { type TestServiceEnv, testServiceEnv } from '@aftercare/testkit';
import { Client } from 'pg';
import { loadWorkOrderConfig, startWorkOrderService } from '../../src';

// The customer service is down (nothing listens on its address): intake must fail with
// SERVICE_UNAVAILABLE and write nothing, never a half-made work order (R-WO-1).
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startWorkOrderService>>;

beforeAll(async () => {
  env = await testServiceEnv('wo-unavailable', {
    CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1',
    GRPC_CALL_TIMEOUT_MS: '1000',
    SLA_SCHEDULER: 'false',
  });
  service = await startWorkOrderService(loadWorkOrderConfig(env.env));
});
afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
});

async function count(table: string): Promise<number> {
  const db = new Client({ connectionString: env.env.DATABASE_URL });
  await db.connect();
  try {
    return (await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  } finally {
    await db.end();
  }
}

it('R-WO-1 customer service down → SERVICE_UNAVAILABLE, no work order, no event', async () => {
  const res = await fetch(`http://127.0.0.1:${service.httpPort}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [USER_ID_HEADER]: 'agent-1',
      [USER_ROLES_HEADER]: 'agent',
    },
    body: JSON.stringify({
      query: `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
      variables: {
        input: {
          customerId: '0190f0f0-0000-7000-8000-000000000001',
          assetId: '0190f0f0-0000-7000-8000-000000000002',
          contact: { name: 'A', phone: '13800001111' },
          address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
          areaType: 'URBAN',
          distanceKm: 5,
          faultDescription: 'no power',
          category: 'ELECTRICAL',
          channel: 'PHONE',
        },
      },
    }),
  });
  const body = (await res.json()) as {
    errors?: { message: string; extensions: { code: string } }[];
  };
  expect(body.errors?.[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');
  expect(body.errors?.[0]?.message).not.toMatch(/127\.0\.0\.1/);
  expect(await count('work_order')).toBe(0);
  expect(await count('outbox')).toBe(0);
  expect(await count('number_sequence')).toBe(0);
});
