import { BusinessCalendar } from '@aftercare/calendar';
import type { Identity } from '@aftercare/kit';
import { subgraphData, subgraphRequest } from '@aftercare/testkit';
import { withCustomerForThisFile } from './with-customer';

// SPEC §6 service timeliness from the stored deadlines and when they were met, on real orders
// registered through the subgraph (the SLA scheduler is off: the figure must not depend on it).
const boss: Identity = { userId: 'boss', roles: ['agent', 'dispatcher', 'manager'] };
const calendar = new BusinessCalendar();
const s = withCustomerForThisFile('wo-kpi');

const gql = <T>(query: string, variables: object = {}, caller: Identity = boss) =>
  subgraphData<T>(s.workorder.httpPort, query, variables, caller);
const customerGql = <T>(query: string, variables: object = {}) =>
  subgraphData<T>(s.customer.httpPort, query, variables, boss);

const DAY = 86_400_000;
const TIMELINESS = `query($from: Date!, $to: Date!, $province: String, $city: String, $technicianId: ID) {
  serviceTimeliness(from: $from, to: $to, province: $province, city: $city, technicianId: $technicianId) {
    from to workOrders met missed pending rate target } }`;

it('SPEC §6 R-WO-3 service timeliness: met / decided orders, by period, region and technician; roles', async () => {
  const now = Date.now();
  for (const id of ['kpi-t1', 'kpi-t2'])
    await gql(
      `mutation($id: ID!, $name: String!) { upsertStaff(input: { id: $id, name: $name, skills: ["ELECTRICAL", "MECHANICAL", "BODY", "BATTERY", "SOFTWARE", "OTHER"] }) { staff { id } } }`,
      { id, name: id },
    );
  const region = (city: string) =>
    city === 'Suzhou' ? { province: 'Jiangsu', city } : { province: 'Zhejiang', city };
  const { createCustomer } = await customerGql<{ createCustomer: { customer: { id: string } } }>(
    `mutation { createCustomer(input: { kind: PERSON, name: "Kpi", contacts: [{ name: "K", mobile: "13800007777" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
  );
  const customerId = createCustomer.customer.id;
  const { registerAsset } = await customerGql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "M", serialNumber: "KPI-1" }) { asset { id } } }`,
    { id: customerId },
  );
  const assetId = registerAsset.asset.id;

  /** Registers an order called in `ago` ms before now; dispatches and arrives when `tech` is given. */
  async function order(ago: number, city: string, tech?: string, category = 'ELECTRICAL') {
    const { registerWorkOrder } = await gql<{ registerWorkOrder: { workOrder: { id: string } } }>(
      `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
      {
        input: {
          customerId,
          assetId,
          contact: { name: 'K', phone: '13800007777' },
          address: { region: region(city) },
          areaType: 'URBAN',
          distanceKm: 5,
          faultDescription: 'fault',
          category,
          channel: 'PHONE',
          calledAt: new Date(now - ago).toISOString(),
        },
      },
    );
    const id = registerWorkOrder.workOrder.id;
    if (tech) {
      await gql(
        `mutation($id: ID!, $t: ID!) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: [$t] }) { workOrder { id } } }`,
        { id, t: tech },
      );
      for (const m of ['departForSite', 'arriveOnSite'])
        await gql(`mutation($id: ID!) { ${m}(input: { workOrderId: $id }) { workOrder { id } } }`, {
          id,
        });
    }
    return id;
  }
  // Called a minute ago, answered and attended now: every deadline (answer 24 h, arrival 6
  // working hours) is still ahead — MET.
  await order(60_000, 'Hangzhou', 'kpi-t1');
  // Called three days ago, answered only now: the 24 h answer deadline was missed — MISSED.
  await order(3 * DAY, 'Hangzhou', 'kpi-t1', 'MECHANICAL');
  // Called a minute ago, not answered yet — PENDING.
  await order(60_000, 'Hangzhou', undefined, 'BODY');
  // Cancelled: not counted.
  const cancelled = await order(60_000, 'Hangzhou', undefined, 'SOFTWARE');
  await gql(
    `mutation($id: ID!) { cancelWorkOrder(input: { workOrderId: $id, reason: "duplicate" }) { workOrder { id } } }`,
    { id: cancelled },
  );
  // Another province, met.
  await order(60_000, 'Suzhou', 'kpi-t2');
  // Three days ago, attended now by the second technician — MISSED.
  await order(3 * DAY, 'Hangzhou', 'kpi-t2', 'OTHER');
  // Ten days ago (outside the period), never answered — MISSED in its own period.
  const old = await order(10 * DAY, 'Hangzhou', undefined, 'BATTERY');
  // An internal job carries no SLA: not counted, even for its technician.
  await gql(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id sla { answerDueAt } } } }`,
    {
      input: {
        faultDescription: 'tool upkeep',
        category: 'ELECTRICAL',
        channel: 'WALK_IN',
        internalKind: 'TOOL_UPKEEP',
      },
    },
  );

  const from = calendar.localDate(new Date(now - 3 * DAY));
  const to = calendar.localDate(new Date(now));
  type Figures = {
    from: string;
    to: string;
    workOrders: number;
    met: number;
    missed: number;
    pending: number;
    rate: number | null;
    target: number;
  };
  const kpi = async (vars: object, caller: Identity = boss) =>
    (await gql<{ serviceTimeliness: Figures }>(TIMELINESS, { from, to, ...vars }, caller))
      .serviceTimeliness;

  expect(await kpi({})).toEqual({
    from,
    to,
    workOrders: 5,
    met: 2,
    missed: 2,
    pending: 1,
    rate: 0.5,
    target: 0.9,
  });
  expect(await kpi({ city: 'Hangzhou' })).toMatchObject({
    workOrders: 4,
    met: 1,
    missed: 2,
    pending: 1,
    rate: 1 / 3,
  });
  expect(await kpi({ province: 'Jiangsu' })).toMatchObject({ workOrders: 1, met: 1, rate: 1 });
  expect(await kpi({ technicianId: 'kpi-t1' })).toMatchObject({ workOrders: 2, met: 1, rate: 0.5 });
  // The ten-day-old order alone in its period; an empty period has no rate.
  const oldDay = calendar.localDate(new Date(now - 10 * DAY));
  expect(await kpi({ from: oldDay, to: oldDay })).toMatchObject({
    workOrders: 1,
    met: 0,
    missed: 1,
    rate: 0,
  });
  expect(await kpi({ from: '2020-01-01', to: '2020-12-31' })).toMatchObject({
    workOrders: 0,
    rate: null,
  });
  expect(old).toBeDefined();

  // A technician sees their own figure only; an auditor reads; an agent does not.
  const t1: Identity = { userId: 'kpi-t1', roles: ['technician'] };
  expect(await kpi({}, t1)).toMatchObject({ workOrders: 2, met: 1, missed: 1 });
  const refused = async (vars: object, caller: Identity) =>
    (await subgraphRequest(s.workorder.httpPort, TIMELINESS, { from, to, ...vars }, caller))
      .errors?.[0]?.extensions;
  expect(await refused({ technicianId: 'kpi-t2' }, t1)).toMatchObject({ code: 'FORBIDDEN' });
  expect(await kpi({}, { userId: 'aud', roles: ['auditor'] })).toMatchObject({ workOrders: 5 });
  expect(await refused({}, { userId: 'ag', roles: ['agent'] })).toMatchObject({
    code: 'FORBIDDEN',
  });
  expect(await refused({ from: to, to: from }, boss)).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_PERIOD',
  });
  // The Date scalar refuses an impossible date before the resolver runs.
  expect(await refused({ from: '2026-02-30' }, boss)).toMatchObject({ code: 'BAD_USER_INPUT' });

  // The same figures through the one KPI scope input (docs/rules.md §6); the two shapes are not
  // mixed, and a narrowing this figure cannot apply is refused rather than ignored.
  const SCOPED = `query($scope: KpiScopeInput, $city: String) {
    serviceTimeliness(scope: $scope, city: $city) { workOrders met missed pending rate } }`;
  const scoped = (vars: object, caller: Identity = boss) =>
    subgraphRequest<{ serviceTimeliness: Figures }>(s.workorder.httpPort, SCOPED, vars, caller);
  expect(
    (await scoped({ scope: { from, to, city: 'Hangzhou' } })).data?.serviceTimeliness,
  ).toMatchObject({
    workOrders: 4,
    met: 1,
    rate: 1 / 3,
  });
  expect((await scoped({ scope: { from, to } }, t1)).data?.serviceTimeliness).toMatchObject({
    workOrders: 2,
  });
  expect(
    (await scoped({ scope: { from, to }, city: 'Hangzhou' })).errors?.[0]?.extensions,
  ).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'SCOPE_TWICE',
    field: 'scope',
  });
  expect(
    (await scoped({ scope: { from, to, district: 'Xihu' } })).errors?.[0]?.extensions,
  ).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'SCOPE_NOT_SUPPORTED',
    field: 'scope.district',
  });
  expect((await scoped({ scope: { from: to, to: from } })).errors?.[0]?.extensions).toMatchObject({
    reason: 'INVALID_PERIOD',
    field: 'scope.from',
  });
});
