import { type Identity } from '@aftercare/kit';
import {
  dbQuery,
  destroyCustomerFile,
  rowCount,
  rowCounts,
  subgraphData,
  subgraphRequest,
  statementsIn,
} from '@aftercare/testkit';
import { withCustomerForThisFile } from './with-customer';

// R-WO-1 intake checks customer and asset with the customer service — in one call when the asset
// is named (its owner exists), two only when the named customer does not own it. Counted on the
// real customer service's own gRPC metrics.
const agent: Identity = { userId: 'calls-agent', roles: ['agent'] };
const s = withCustomerForThisFile('wo-intake-calls');

const REGISTER = `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id serviceType } } }`;

/** Calls the customer service has served so far, by method. */
async function customerCalls(): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${s.customer.adminPort}/metrics`)).text();
  const calls: Record<string, number> = {};
  for (const [, method, count] of text.matchAll(
    /^rpc_server_call_duration_seconds_count\{[^}]*rpc_method="([^"]+)"[^}]*\} (\d+)/gm,
  ))
    calls[method!] = (calls[method!] ?? 0) + Number(count);
  return calls;
}

async function callsDuring(action: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await customerCalls();
  await action();
  const after = await customerCalls();
  return Object.fromEntries(
    Object.entries(after)
      .map(([m, n]) => [m, n - (before[m] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

const customerWithAsset = async (n: number) => {
  const { createCustomer } = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    s.customer.httpPort,
    `mutation($m: String!) { createCustomer(input: { kind: PERSON, name: "Calls", contacts: [{ name: "C", mobile: $m }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
    { m: `1380000${String(n).padStart(4, '0')}` },
    agent,
  );
  const { registerAsset } = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
    s.customer.httpPort,
    `mutation($id: ID!, $sn: String!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "M", serialNumber: $sn, warrantyStart: "2026-01-01", warrantyEnd: "2030-01-01" }) { asset { id } } }`,
    { id: createCustomer.customer.id, sn: `CALLS-${n}` },
    agent,
  );
  return { customerId: createCustomer.customer.id, assetId: registerAsset.asset.id };
};

const intake = (ids: { customerId?: string; assetId?: string }): Record<string, unknown> => ({
  ...ids,
  contact: { name: 'C', phone: '13800001234' },
  address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
  areaType: 'URBAN',
  distanceKm: 5,
  faultDescription: 'no power',
  category: 'ELECTRICAL',
  channel: 'PHONE',
});

it('R-WO-1 an intake naming customer and asset costs one call to the customer service', async () => {
  const owner = await customerWithAsset(1);
  let registered: unknown;
  const calls = await callsDuring(async () => {
    registered = await subgraphData(
      s.workorder.httpPort,
      REGISTER,
      { input: intake(owner) },
      agent,
    );
  });
  expect(registered).toMatchObject({
    registerWorkOrder: { workOrder: { serviceType: 'WARRANTY' } },
  });
  expect(calls).toEqual({ GetServiceEntitlement: 1 });
  // An internal order naming a customer without an asset still has the customer checked.
  const alone = await callsDuring(() =>
    subgraphData(
      s.workorder.httpPort,
      REGISTER,
      { input: { ...intake({ customerId: owner.customerId }), internalKind: 'INSPECTION' } },
      agent,
    ),
  );
  expect(alone).toEqual({ GetCustomer: 1 });
});

/** Statements the work-order service has sent for GraphQL requests so far (BEGIN and COMMIT included). */
async function graphqlStatements(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${s.workorder.adminPort}/metrics`)).text();
  return statementsIn(text, { kind: 'graphql' });
}

it("R-WO-1 an intake sends two statements: one read, then one drawing the day's number and inserting order, history line and event, a transaction of its own (ADR 0034, 0036)", async () => {
  const owner = await customerWithAsset(5);
  const register = () =>
    subgraphData<{ registerWorkOrder: { workOrder: { id: string; number: string } } }>(
      s.workorder.httpPort,
      `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id number } } }`,
      { input: intake(owner) },
      agent,
    );
  const first = await register(); // the SLA policies are read once per replica, then kept (ADR 0034)
  const tables = ['work_order', 'work_order_history', 'outbox'];
  const url = s.workorderEnv.env.DATABASE_URL!;
  const rowsBefore = await rowCounts(url, tables);
  const before = await graphqlStatements();
  const { workOrder } = (await register()).registerWorkOrder;
  expect((await graphqlStatements()) - before).toBe(2);
  expect(await rowCounts(url, tables)).toEqual(rowsBefore.map((n) => n + 1));
  // The number drawn in the insert is the next of the day, in the row, the answer and the event.
  const [day, counter] = first.registerWorkOrder.workOrder.number.split('-').slice(1);
  expect(workOrder.number).toBe(`WO-${day}-${String(Number(counter) + 1).padStart(4, '0')}`);
  expect(
    await dbQuery(
      url,
      `select o.number, e.payload->'data'->>'number' as "eventNumber"
       from work_order o join outbox e on e.aggregate_id = o.id::text where o.id = $1`,
      [workOrder.id],
    ),
  ).toEqual([{ number: workOrder.number, eventNumber: workOrder.number }]);
});

it('R-WO-1 a customer who does not own the asset, or does not exist, is refused and nothing is written', async () => {
  const owner = await customerWithAsset(2);
  const other = await customerWithAsset(3);
  const before = await rowCount(s.workorderEnv.env.DATABASE_URL!, 'work_order');
  const refusal = async (ids: { customerId: string; assetId: string }) =>
    (await subgraphRequest(s.workorder.httpPort, REGISTER, { input: intake(ids) }, agent))
      .errors?.[0]?.extensions;
  expect(await refusal({ customerId: other.customerId, assetId: owner.assetId })).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'ASSET_OF_ANOTHER_CUSTOMER',
    field: 'assetId',
  });
  expect(
    await refusal({ customerId: '0190f0f0-0000-7000-8000-0000000000aa', assetId: owner.assetId }),
  ).toMatchObject({ code: 'NOT_FOUND' });
  expect(await rowCount(s.workorderEnv.env.DATABASE_URL!, 'work_order')).toBe(before);
});

it('R-CU-4 a destroyed customer file, or an asset of one, is refused at intake (FILE_DESTROYED) with no extra call and nothing written', async () => {
  const gone = await customerWithAsset(4);
  await destroyCustomerFile(
    { httpPort: s.customer.httpPort, databaseUrl: s.customerEnv.env.DATABASE_URL! },
    gone.customerId,
  );

  const before = await rowCount(s.workorderEnv.env.DATABASE_URL!, 'work_order');
  const outboxBefore = await rowCount(s.workorderEnv.env.DATABASE_URL!, 'outbox');
  const refused = async (input: Record<string, unknown>) => {
    let extensions: unknown;
    const calls = await callsDuring(async () => {
      extensions = (await subgraphRequest(s.workorder.httpPort, REGISTER, { input }, agent))
        .errors?.[0]?.extensions;
    });
    return { extensions, calls };
  };
  expect(await refused(intake(gone))).toMatchObject({
    extensions: { code: 'CONFLICT', reason: 'FILE_DESTROYED', field: 'assetId' },
    calls: { GetServiceEntitlement: 1 },
  });
  // An internal order names the customer alone: its check answers the tombstone.
  expect(
    await refused({ ...intake({ customerId: gone.customerId }), internalKind: 'INSPECTION' }),
  ).toMatchObject({
    extensions: { code: 'CONFLICT', reason: 'FILE_DESTROYED', field: 'customerId' },
    calls: { GetCustomer: 1 },
  });
  expect(await rowCount(s.workorderEnv.env.DATABASE_URL!, 'work_order')).toBe(before);
  expect(await rowCount(s.workorderEnv.env.DATABASE_URL!, 'outbox')).toBe(outboxBefore);
});
