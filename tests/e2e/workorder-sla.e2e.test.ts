import { workOrderSlaBreached } from '@aftercare/events';
import { loadWorkOrderConfig, startWorkOrderService } from '@aftercare/workorder-service';
import { streamEvents, eventually } from './support/events';
import { startSystem, type System } from './harness';

// Two replicas of the work-order service share one database, both running the SLA scheduler
// every second: each breached deadline must still produce exactly one event (R-WO-3).
let sys: System;
let replica: Awaited<ReturnType<typeof startWorkOrderService>>;
beforeAll(async () => {
  sys = await startSystem('e2e-sla', { SLA_SCHEDULER: 'true' });
  replica = await startWorkOrderService(
    loadWorkOrderConfig({ ...sys.workorderEnv.env, MIGRATE_ON_START: 'false' }),
    { overrides: { relayPollIntervalMs: 100 } },
  );
});
afterAll(async () => {
  await replica?.stop();
  await sys?.stop();
});

it('R-WO-3 a breached deadline emits exactly one workorder.sla_breached even with two schedulers running', async () => {
  const c = await sys.gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation { createCustomer(input: { kind: PERSON, name: "Late Call", contacts: [{ name: "L", mobile: "13900009999" }], addresses: [{ region: { province: "Jiangsu", city: "Nanjing" } }] }) { customer { id } } }`,
  );
  const customerId = c.data!.createCustomer.customer.id;
  const a = await sys.gql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "Lift", serialNumber: "SLA-1" }) { asset { id } } }`,
    { id: customerId },
  );
  // Called in three days ago and never answered nor attended: answer and arrival are both late.
  const r = await sys.gql<{
    registerWorkOrder: {
      workOrder: { id: string; serviceType: string; sla: { breached: boolean } };
    };
  }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id serviceType sla { breached } } } }`,
    {
      input: {
        customerId,
        assetId: a.data!.registerAsset.asset.id,
        contact: { name: 'L', phone: '13900009999' },
        address: { region: { province: 'Jiangsu', city: 'Nanjing' } },
        areaType: 'SUBURBAN',
        distanceKm: 40,
        faultDescription: 'lift stuck',
        category: 'MECHANICAL',
        channel: 'LETTER',
        calledAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      },
    },
  );
  expect(r.errors).toBeUndefined();
  const order = r.data!.registerWorkOrder.workOrder;
  expect(order).toMatchObject({ serviceType: 'PAID', sla: { breached: true } });

  const breaches = (events: Awaited<ReturnType<typeof streamEvents>>) =>
    events.filter((e) => e.type === 'workorder.sla_breached' && e.subject === order.id);
  await eventually(
    () => streamEvents(sys.subjectPrefix, 'workorder'),
    (es) => breaches(es).length >= 2,
  );
  // Let both schedulers run a few more rounds, then count.
  await new Promise((resolve) => setTimeout(resolve, 3500));
  const found = breaches(await streamEvents(sys.subjectPrefix, 'workorder'));
  expect(found.map((e) => e.data.kind).sort()).toEqual(['ANSWER', 'ARRIVAL']);
  expect(found.every((e) => workOrderSlaBreached.safeParse(e.data).success)).toBe(true);
});
