import { BusinessCalendar } from '@aftercare/calendar';
import { slaPolicyChanged } from '@aftercare/events';
import { type Identity } from '@aftercare/kit';
import { dbQuery, rowCounts, subgraphData, subgraphRequest } from '@aftercare/testkit';
import { loadWorkOrderConfig, startWorkOrderService } from '../../src';
import { withCustomerForThisFile } from './with-customer';

// R-WO-12 through the work-order subgraph, on real PostgreSQL with the real customer service:
// managers create, change and retire SLA policies; each edit is a new version with who, when and
// why; an order keeps the version it was registered with and its deadlines do not move.
const manager: Identity = { userId: 'sla-mgr', roles: ['manager'] };
const desk: Identity = { userId: 'sla-desk', roles: ['agent', 'dispatcher'] };
const calendar = new BusinessCalendar();
const s = withCustomerForThisFile('wo-sla-policy');
const db = () => s.workorderEnv.env.DATABASE_URL!;

const gql = <T>(query: string, variables: object = {}, caller: Identity = manager) =>
  subgraphData<T>(s.workorder.httpPort, query, variables, caller);
const refusal = async (query: string, variables: object, caller: Identity = manager) =>
  (await subgraphRequest(s.workorder.httpPort, query, variables, caller)).errors?.[0]?.extensions;
const counts = () => rowCounts(db(), ['sla_policy', 'sla_policy_version', 'outbox']);

const VERSION = `policyId version change retired areaType category supplierInvolved minDistanceKm
  maxDistanceKm arrivalWorkingHours answerHours onSiteHours priority changedBy changedAt reason`;
const POLICY = `id retired current { ${VERSION} } history { ${VERSION} }`;
const CREATE = `mutation($input: CreateSlaPolicyInput!) { createSlaPolicy(input: $input) { slaPolicy { ${POLICY} } } }`;
const CHANGE = `mutation($input: ChangeSlaPolicyInput!) { changeSlaPolicy(input: $input) { slaPolicy { ${POLICY} } } }`;
const RETIRE = `mutation($input: RetireSlaPolicyInput!) { retireSlaPolicy(input: $input) { slaPolicy { ${POLICY} } } }`;
const REGISTER = `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) {
  workOrder { id supplierInvolved calledAt sla { answerDueAt arrivalDueAt onSiteDueAt }
    slaPolicy { policyId version arrivalWorkingHours answerHours } } } }`;
const ORDER = `query($id: ID!) { workOrder(id: $id) { sla { answerDueAt arrivalDueAt onSiteDueAt }
  slaPolicy { policyId version arrivalWorkingHours } } }`;

interface Order {
  id: string;
  supplierInvolved: boolean;
  calledAt: string;
  sla: { answerDueAt: string | null; arrivalDueAt: string | null; onSiteDueAt: string | null };
  slaPolicy: {
    policyId: string;
    version: number;
    arrivalWorkingHours: number | null;
    answerHours: number;
  } | null;
}

let intake: (extra?: object) => object;
beforeAll(async () => {
  const { createCustomer } = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    s.customer.httpPort,
    `mutation { createCustomer(input: { kind: PERSON, name: "Sla", contacts: [{ name: "S", mobile: "13800007777" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
    {},
    manager,
  );
  const customerId = createCustomer.customer.id;
  const { registerAsset } = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
    s.customer.httpPort,
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "M", serialNumber: "SLA-P-1" }) { asset { id } } }`,
    { id: customerId },
    manager,
  );
  const assetId = registerAsset.asset.id;
  intake = (extra = {}) => ({
    customerId,
    assetId,
    contact: { name: 'S', phone: '13800007777' },
    address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
    areaType: 'URBAN',
    distanceKm: 5,
    faultDescription: 'fault',
    category: 'ELECTRICAL',
    channel: 'PHONE',
    // A Monday morning, so working hours are plain to count.
    calledAt: calendar.fromLocal('2026-11-30T09:00').toISOString(),
    ...extra,
  });
});

const register = async (extra: object = {}, caller: Identity = desk) =>
  (
    await gql<{ registerWorkOrder: { workOrder: Order } }>(
      REGISTER,
      { input: intake(extra) },
      caller,
    )
  ).registerWorkOrder.workOrder;

it('R-WO-12 the stored policies are version 1 of themselves, the supplier-involved case among them', async () => {
  const { slaPolicies } = await gql<{
    slaPolicies: {
      id: string;
      current: {
        version: number;
        changedBy: string;
        answerHours: number;
        supplierInvolved: boolean | null;
      };
      history: unknown[];
    }[];
  }>(`{ slaPolicies { ${POLICY} } }`, {}, desk);
  expect(slaPolicies.map((p) => p.id)).toEqual([
    'field-beyond-100km',
    'field-within-100km',
    'suburban-within-100km',
    'supplier-involved',
    'urban-within-100km',
  ]);
  expect(slaPolicies.every((p) => p.current.version === 1 && p.history.length === 1)).toBe(true);
  expect(slaPolicies.find((p) => p.id === 'supplier-involved')!.current).toMatchObject({
    supplierInvolved: true,
    answerHours: 12,
    changedBy: 'system',
  });
});

it('R-WO-12 a request where the supplier must be involved is answered within 12 h, with no arrival promise', async () => {
  const order = await register({ supplierInvolved: true });
  expect(order.supplierInvolved).toBe(true);
  expect(order.slaPolicy).toMatchObject({ policyId: 'supplier-involved', version: 1 });
  expect(order.sla).toEqual({
    answerDueAt: new Date(Date.parse(order.calledAt) + 12 * 3_600_000).toISOString(),
    arrivalDueAt: null,
    onSiteDueAt: null,
  });
  expect((await register()).slaPolicy).toMatchObject({ policyId: 'urban-within-100km' });
});

it('R-WO-12 a manager changes a policy: a new version, audited; orders registered before keep theirs and their deadlines', async () => {
  const before = await register();
  expect(before.slaPolicy).toMatchObject({
    policyId: 'urban-within-100km',
    version: 1,
    arrivalWorkingHours: 6,
  });
  expect(before.sla.arrivalDueAt).toBe(calendar.fromLocal('2026-11-30T15:00').toISOString());

  const { changeSlaPolicy } = await gql<{
    changeSlaPolicy: {
      slaPolicy: {
        current: object;
        history: {
          version: number;
          changedBy: string;
          reason: string;
          arrivalWorkingHours: number;
        }[];
      };
    };
  }>(CHANGE, {
    input: {
      id: 'urban-within-100km',
      expectedVersion: 1,
      arrivalWorkingHours: 4,
      reason: ' city traffic plan ',
    },
  });
  expect(changeSlaPolicy.slaPolicy.current).toMatchObject({
    version: 2,
    change: 'CHANGED',
    arrivalWorkingHours: 4,
    answerHours: 24,
    areaType: 'URBAN',
    changedBy: 'sla-mgr',
    reason: 'city traffic plan',
  });
  expect(
    changeSlaPolicy.slaPolicy.history.map((v) => [v.version, v.arrivalWorkingHours, v.changedBy]),
  ).toEqual([
    [1, 6, 'system'],
    [2, 4, 'sla-mgr'],
  ]);

  // The earlier order keeps version 1 and its deadlines; a new one falls under version 2.
  const { workOrder } = await gql<{ workOrder: Pick<Order, 'sla' | 'slaPolicy'> }>(
    ORDER,
    { id: before.id },
    desk,
  );
  expect(workOrder).toEqual({
    sla: before.sla,
    slaPolicy: { policyId: 'urban-within-100km', version: 1, arrivalWorkingHours: 6 },
  });
  const after = await register();
  expect(after.slaPolicy).toMatchObject({ version: 2, arrivalWorkingHours: 4 });
  expect(after.sla.arrivalDueAt).toBe(calendar.fromLocal('2026-11-30T13:00').toISOString());

  // The change is announced, with who, when and why.
  const events = await dbQuery<{ payload: { data: unknown } }>(
    db(),
    `SELECT payload FROM outbox WHERE type = 'workorder.sla_policy_changed' AND aggregate_id = 'urban-within-100km'`,
  );
  expect(events).toHaveLength(1);
  expect(slaPolicyChanged.parse(events[0]!.payload.data)).toMatchObject({
    policyId: 'urban-within-100km',
    version: 2,
    change: 'CHANGED',
    arrivalWorkingHours: 4,
    changedBy: 'sla-mgr',
    reason: 'city traffic plan',
  });

  // Two managers editing the same version: one wins, the other is told to reload.
  const race = await Promise.all(
    [3, 5].map((h) =>
      subgraphRequest(
        s.workorder.httpPort,
        CHANGE,
        {
          input: {
            id: 'urban-within-100km',
            expectedVersion: 2,
            arrivalWorkingHours: h,
            reason: 'race',
          },
        },
        manager,
      ),
    ),
  );
  expect(race.map((r) => r.errors?.[0]?.extensions?.reason ?? 'OK').sort()).toEqual([
    'OK',
    'SLA_POLICY_VERSION_STALE',
  ]);
});

it('R-WO-12 a manager creates a policy and retires it; a retired policy applies to no new order', async () => {
  const input = {
    id: 'battery-urban',
    areaType: 'URBAN',
    category: 'BATTERY',
    answerHours: 8,
    arrivalWorkingHours: 2,
    reason: 'battery fires',
  };
  const { createSlaPolicy } = await gql<{ createSlaPolicy: { slaPolicy: { current: object } } }>(
    CREATE,
    { input },
  );
  expect(createSlaPolicy.slaPolicy.current).toMatchObject({
    policyId: 'battery-urban',
    version: 1,
    change: 'CREATED',
    changedBy: 'sla-mgr',
  });
  // A retried create is harmless; another policy under the same id is not.
  const before = await counts();
  expect(
    (
      await gql<{ createSlaPolicy: { slaPolicy: { current: { version: number } } } }>(CREATE, {
        input,
      })
    ).createSlaPolicy.slaPolicy.current.version,
  ).toBe(1);
  expect(await refusal(CREATE, { input: { ...input, answerHours: 9 } })).toMatchObject({
    code: 'CONFLICT',
    reason: 'SLA_POLICY_EXISTS',
  });
  expect(await counts()).toEqual(before);

  const battery = await register({ category: 'BATTERY' });
  expect(battery.slaPolicy).toMatchObject({ policyId: 'battery-urban', version: 1 });

  const { retireSlaPolicy } = await gql<{
    retireSlaPolicy: { slaPolicy: { retired: boolean; current: object } };
  }>(RETIRE, { input: { id: 'battery-urban', reason: 'back to the urban policy' } });
  expect(retireSlaPolicy.slaPolicy).toMatchObject({
    retired: true,
    current: { version: 2, change: 'RETIRED', reason: 'back to the urban policy' },
  });
  expect((await register({ category: 'BATTERY' })).slaPolicy).toMatchObject({
    policyId: 'urban-within-100km',
  });
  const listed = async (includeRetired: boolean) =>
    (
      await gql<{ slaPolicies: { id: string }[] }>(
        `query($r: Boolean) { slaPolicies(includeRetired: $r) { id } }`,
        { r: includeRetired },
      )
    ).slaPolicies.map((p) => p.id);
  expect(await listed(false)).not.toContain('battery-urban');
  expect(await listed(true)).toContain('battery-urban');
  expect(
    await refusal(CHANGE, { input: { id: 'battery-urban', answerHours: 4, reason: 'r' } }),
  ).toMatchObject({ code: 'CONFLICT', reason: 'SLA_POLICY_RETIRED' });
  // The order registered under it still shows the version it was registered with.
  expect(
    (await gql<{ workOrder: Pick<Order, 'slaPolicy'> }>(ORDER, { id: battery.id })).workOrder
      .slaPolicy,
  ).toMatchObject({ policyId: 'battery-urban', version: 1 });
});

it('R-WO-12 bad input is refused with its field and reason, and writes nothing', async () => {
  const before = await counts();
  const create = (extra: object) =>
    refusal(CREATE, { input: { id: 'p-bad', answerHours: 24, reason: 'r', ...extra } });
  expect(await create({ id: 'bad id!' })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'id',
    reason: 'INVALID_POLICY_ID',
  });
  expect(await create({ answerHours: 0 })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'answerHours',
    reason: 'OUT_OF_RANGE',
  });
  expect(await create({ onSiteHours: -1 })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'onSiteHours',
    reason: 'OUT_OF_RANGE',
  });
  expect(await create({ minDistanceKm: 200, maxDistanceKm: 100 })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'maxDistanceKm',
    reason: 'OUT_OF_RANGE',
  });
  expect(await create({ category: 'PLUMBING' })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'category',
    reason: 'INVALID_VALUE',
  });
  expect(await create({ priority: 5000 })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'priority',
    reason: 'OUT_OF_RANGE',
  });
  expect(await create({ reason: ' ' })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'reason',
    reason: 'REQUIRED',
  });
  const change = (extra: object) =>
    refusal(CHANGE, { input: { id: 'field-beyond-100km', reason: 'r', ...extra } });
  expect(await change({ answerHours: 12 })).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'SLA_POLICY_UNCHANGED',
  });
  expect(await change({ answerHours: null })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'answerHours',
    reason: 'REQUIRED',
  });
  expect(await change({ answerHours: 10, expectedVersion: 7 })).toMatchObject({
    code: 'CONFLICT',
    reason: 'SLA_POLICY_VERSION_STALE',
  });
  expect(await change({ answerHours: 10, reason: '' })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'reason',
    reason: 'REQUIRED',
  });
  expect(await change({ id: 'nope', answerHours: 10 })).toMatchObject({ code: 'NOT_FOUND' });
  expect(await refusal(RETIRE, { input: { id: 'field-beyond-100km', reason: '' } })).toMatchObject({
    field: 'reason',
    reason: 'REQUIRED',
  });
  expect(await counts()).toEqual(before);
});

it('R-WO-12 only managers edit policies; a refusal looks nothing up and writes nothing', async () => {
  const before = await counts();
  for (const caller of [desk, { userId: 'sla-aud', roles: ['auditor'] } as Identity]) {
    expect(
      await refusal(CHANGE, { input: { id: 'nope', answerHours: 1, reason: 'r' } }, caller),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await refusal(CREATE, { input: { id: 'x', answerHours: 1, reason: 'r' } }, caller),
    ).toMatchObject({ code: 'FORBIDDEN' });
  }
  expect(
    await refusal(`{ slaPolicies { id } }`, {}, { userId: 't', roles: ['technician'] }),
  ).toMatchObject({ code: 'FORBIDDEN' });
  expect(await counts()).toEqual(before);
});

it("R-WO-12 a change made on another replica governs the next order here within moments: its event drops this replica's copy of the policies", async () => {
  const other = await startWorkOrderService(loadWorkOrderConfig(s.workorderEnv.env));
  try {
    // This replica has read the policies (and keeps them) before the other one changes one.
    const { version } = (await register()).slaPolicy!;
    await subgraphData(
      other.httpPort,
      CHANGE,
      {
        input: {
          id: 'urban-within-100km',
          expectedVersion: version,
          arrivalWorkingHours: 7,
          reason: 'changed on the other replica',
        },
      },
      manager,
    );
    // Well before the copy would expire on its own (SLA_POLICY_CACHE_TTL_MS, 10 s).
    const changedAt = Date.now();
    let order = await register();
    while (order.slaPolicy!.version === version && Date.now() - changedAt < 8_000) {
      await new Promise((r) => setTimeout(r, 100));
      order = await register();
    }
    expect(order.slaPolicy).toMatchObject({ version: version + 1, arrivalWorkingHours: 7 });
  } finally {
    await other.stop();
  }
});
