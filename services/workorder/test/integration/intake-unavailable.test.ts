import { rowCount, subgraphRequest, testServiceForThisFile } from '@aftercare/testkit';
import { loadWorkOrderConfig, startWorkOrderService } from '../../src';

// The customer service is down (nothing listens on its address): intake must fail with
// SERVICE_UNAVAILABLE and write nothing, never a half-made work order (R-WO-1).
const s = testServiceForThisFile(
  'wo-unavailable',
  (e) => startWorkOrderService(loadWorkOrderConfig(e)),
  { CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1', GRPC_CALL_TIMEOUT_MS: '1000', SLA_SCHEDULER: 'false' },
);

it('R-WO-1 customer service down → SERVICE_UNAVAILABLE, no work order, no event', async () => {
  const body = await subgraphRequest(
    s.service.httpPort,
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
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
    { userId: 'agent-1', roles: ['agent'] },
  );
  expect(body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
  expect(body.errors?.[0]?.message).not.toMatch(/127\.0\.0\.1/);
  expect(await rowCount(s.env.env.DATABASE_URL!, 'work_order')).toBe(0);
  expect(await rowCount(s.env.env.DATABASE_URL!, 'outbox')).toBe(0);
  expect(await rowCount(s.env.env.DATABASE_URL!, 'number_sequence')).toBe(0);
});
