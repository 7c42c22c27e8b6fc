import { type Identity, uuidv7 } from '@aftercare/kit';
import {
  dbQuery,
  publishEnvelope,
  subgraphData,
  subgraphRequest,
  testEnvelope,
} from '@aftercare/testkit';
import {
  complaintGraph,
  createCustomer,
  manager,
  publishCompleted,
  registerComplaint,
  servicesForThisFile,
  upsertStaff,
} from './setup';

// SPEC §6 complaint rate and complaint closure over any period, per region and technician, through
// the real consumer of `workorder.completed` (NATS) and the GraphQL API. Every figure below is
// worked out by hand from the fixture described in the test.
const s = servicesForThisFile('cp-kpis');

const DAY = 86_400_000;
const techA = `tech-a-${uuidv7()}`;
const techB = `tech-b-${uuidv7()}`;

/** An internal job (no customer on the order, so any customer's complaint may name it). */
async function registerWorkOrder(): Promise<string> {
  const { registerWorkOrder } = await subgraphData<{
    registerWorkOrder: { workOrder: { id: string } };
  }>(
    s.workorder.httpPort,
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        contact: { name: 'K', phone: '13800004444' },
        address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
        areaType: 'URBAN',
        distanceKm: 2,
        faultDescription: 'pump noisy',
        category: 'MECHANICAL',
        channel: 'PHONE',
        internalKind: 'INSPECTION',
      },
    },
    manager,
  );
  return registerWorkOrder.workOrder.id;
}

const completed = (
  workOrderId: string,
  city: string,
  technicianIds: string[],
  completedAt: Date,
  stationCode: string | null = null,
) =>
  publishCompleted(s, {
    workOrderId,
    number: 'WO-KPI',
    region: { province: 'Zhejiang', city, district: null },
    technicianIds,
    leadTechnicianId: technicianIds[0] ?? null,
    stationCode,
    completedAt: completedAt.toISOString(),
  });

const register = (input: object) => registerComplaint(s, input);

const invalidate = (id: string) =>
  complaintGraph(
    s,
    `mutation($id: ID!) { invalidateComplaint(input: { complaintId: $id, reason: "not our doing" }) { complaint { id } } }`,
    { id },
    manager,
  );

const KPIS = `query($from: Date!, $to: Date!, $province: String, $city: String, $technicianId: ID) {
  complaintKpis(from: $from, to: $to, province: $province, city: $city, technicianId: $technicianId) {
    from to province city technicianId
    complaintRate { serviceCausedComplaints completedWorkOrders rate target meetsTarget }
    closure { complaints due closedWithinDeadline closedLate openOverdue pending rate target meetsTarget }
  }
}`;

interface Kpis {
  complaintRate: { serviceCausedComplaints: number; completedWorkOrders: number; rate: number };
  closure: Record<string, number | boolean | null>;
}

it('KPI complaint rate and complaint closure over any period, per region and per technician, role-checked', async () => {
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * DAY);
  await upsertStaff(s, { id: techA, name: 'Tech A' });
  await upsertStaff(s, { id: techB, name: 'Tech B' });
  const customerId = await createCustomer(s, 'KPI Customer', '13800004444');
  const wo1 = await registerWorkOrder();
  const wo2 = await registerWorkOrder();

  // Completed work orders: wo1 Hangzhou/A and wo2 Ningbo/B in the period, three more Hangzhou/A in
  // it, and one Hangzhou/B completed 40 days ago (outside the period).
  await completed(wo1, 'Hangzhou', [techA], ago(11));
  await completed(wo2, 'Ningbo', [techB], ago(10));
  for (const _ of [1, 2, 3]) await completed(uuidv7(), 'Hangzhou', [techA], ago(3));
  await completed(uuidv7(), 'Hangzhou', [techB], ago(40));

  const base = { complainant: { name: 'K', phone: '13800004444' }, customerId, content: 'x' };
  // C1: repair quality on wo1, naming nobody, 10 days old and still open → service-caused, overdue.
  await register({
    ...base,
    workOrderId: wo1,
    channel: 'PHONE',
    category: 'REPAIR_QUALITY',
    receivedAt: ago(10).toISOString(),
  });
  // C2: attitude on wo2 about B, 9 days old, answered as invalid now → not service-caused, late.
  const c2 = await register({
    ...base,
    workOrderId: wo2,
    channel: 'PHONE',
    category: 'SERVICE_ATTITUDE',
    aboutStaffIds: [techB],
    receivedAt: ago(9).toISOString(),
  });
  await invalidate(c2);
  // C3: product quality, no work order, 2 days old, answered as invalid now → closed in time.
  const c3 = await register({
    ...base,
    channel: 'WEB',
    category: 'PRODUCT_QUALITY',
    receivedAt: ago(2).toISOString(),
  });
  await invalidate(c3);
  // C4: attitude about A, no work order, 1 day old, open → service-caused, pending.
  await register({
    ...base,
    channel: 'PHONE',
    category: 'SERVICE_ATTITUDE',
    aboutStaffIds: [techA],
    receivedAt: ago(1).toISOString(),
  });

  const from = s.deps.calendar.localDate(ago(12));
  const to = s.deps.calendar.localDate(new Date(now));
  const kpis = async (scope: object, caller: Identity = manager) =>
    (await complaintGraph<{ complaintKpis: Kpis }>(s, KPIS, { from, to, ...scope }, caller))
      .complaintKpis;
  const deadline = Date.now() + 10_000;
  while ((await kpis({})).complaintRate.completedWorkOrders < 5 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }

  // Whole organisation: C1 + C4 service-caused / 5 completed; C3 in time, C2 late, C1 overdue, C4 pending.
  expect(await kpis({})).toMatchObject({
    from,
    to,
    province: null,
    technicianId: null,
    complaintRate: {
      serviceCausedComplaints: 2,
      completedWorkOrders: 5,
      rate: 0.4,
      target: 0.03,
      meetsTarget: false,
    },
    closure: {
      complaints: 4,
      due: 3,
      closedWithinDeadline: 1,
      closedLate: 1,
      openOverdue: 1,
      pending: 1,
      rate: 1 / 3,
      target: 1,
      meetsTarget: false,
    },
  });
  // Hangzhou: only C1 has a Hangzhou work order; wo1 + 3 completed there in the period.
  expect(await kpis({ province: 'Zhejiang', city: 'Hangzhou' })).toMatchObject({
    complaintRate: { serviceCausedComplaints: 1, completedWorkOrders: 4, rate: 0.25 },
    closure: { complaints: 1, due: 1, openOverdue: 1, rate: 0 },
  });
  // Technician A: C1 (names nobody, A's work order) and C4 (about A); A completed 4 in the period.
  expect(await kpis({ technicianId: techA })).toMatchObject({
    complaintRate: { serviceCausedComplaints: 2, completedWorkOrders: 4, rate: 0.5 },
    closure: { complaints: 2, due: 1, openOverdue: 1, pending: 1, rate: 0 },
  });
  // Technician B: C2 only (invalid, closed late); B's older order is outside the period. A
  // technician reads their own figures.
  const b: Identity = { userId: techB, roles: ['technician'] };
  expect(await kpis({ technicianId: techB }, b)).toMatchObject({
    complaintRate: { serviceCausedComplaints: 0, completedWorkOrders: 1, rate: 0 },
    closure: { complaints: 1, due: 1, closedLate: 1, rate: 0 },
  });
  // A shorter period: the last 5 days hold C3 and C4 and the three Hangzhou orders.
  expect(
    (
      await complaintGraph<{ complaintKpis: Kpis }>(
        s,
        KPIS,
        { from: s.deps.calendar.localDate(ago(5)), to },
        manager,
      )
    ).complaintKpis,
  ).toMatchObject({
    complaintRate: { serviceCausedComplaints: 1, completedWorkOrders: 3, rate: 1 / 3 },
    closure: { complaints: 2, due: 1, closedWithinDeadline: 1, pending: 1, rate: 1 },
  });

  // Roles and input: a technician sees no one else's figures; a bad period is a typed error.
  const ask = (vars: object, caller: Identity) =>
    subgraphRequest(s.complaint.httpPort, KPIS, vars, caller);
  expect((await ask({ from, to, technicianId: techA }, b)).errors?.[0]?.extensions?.code).toBe(
    'FORBIDDEN',
  );
  expect((await ask({ from, to }, b)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await ask({ from: to, to: from }, manager)).errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_PERIOD',
  });

  // The same figures through the one KPI scope input (docs/rules.md §6); the two shapes are not
  // mixed, and a narrowing these figures cannot apply is refused rather than ignored.
  const SCOPED = `query($scope: KpiScopeInput, $city: String) {
    complaintKpis(scope: $scope, city: $city) { complaintRate { completedWorkOrders rate } closure { complaints } } }`;
  const scoped = (vars: object, caller: Identity = manager) =>
    subgraphRequest<{ complaintKpis: Kpis }>(s.complaint.httpPort, SCOPED, vars, caller);
  expect(
    (await scoped({ scope: { from, to, technicianId: techB } }, b)).data?.complaintKpis,
  ).toMatchObject({
    complaintRate: { completedWorkOrders: 1, rate: 0 },
    closure: { complaints: 1 },
  });
  expect((await scoped({ scope: { from, to } }, b)).errors?.[0]?.extensions?.code).toBe(
    'FORBIDDEN',
  );
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

it('KPI denominator: a malformed workorder.completed is refused, stores nothing and does not hold up the events after it', async () => {
  const bad = uuidv7();
  const good = uuidv7();
  // No region and no technicians: the contract refuses it.
  await publishEnvelope(
    s.subjectPrefix,
    testEnvelope('workorder.completed', bad, { workOrderId: bad, completedAt: 'yesterday' }),
  );
  await completed(good, 'Wenzhou', ['tech-w'], new Date());
  const stored = (id: string) =>
    dbQuery<{ city: string; technician_ids: string[] }>(
      s.complaintEnv.env.DATABASE_URL!,
      'SELECT city, technician_ids FROM completed_work_order WHERE work_order_id = $1',
      [id],
    );
  const deadline = Date.now() + 10_000;
  while ((await stored(good)).length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await stored(good)).toEqual([{ city: 'Wenzhou', technician_ids: ['tech-w'] }]);
  expect(await stored(bad)).toEqual([]);
});
