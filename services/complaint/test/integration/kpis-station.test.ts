import { uuidv7 } from '@aftercare/kit';
import { subgraphData, subgraphRequest } from '@aftercare/testkit';
import {
  complaintGraph,
  createCustomer,
  manager,
  publishCompleted,
  registerComplaint,
  servicesForThisFile,
} from './setup';

// SPEC §6 complaint rate and closure per service station: completed work orders keep the station
// of their `workorder.completed` (real NATS consumer), a complaint about a work order the station
// the work-order service reports for it (real gRPC). Every figure is worked out by hand below.
const s = servicesForThisFile('cp-kpi-station');

const DAY = 86_400_000;

/** An internal job (no customer on it) handled by `stationCode`. */
async function registerWorkOrder(stationCode: string): Promise<string> {
  const { registerWorkOrder } = await subgraphData<{
    registerWorkOrder: { workOrder: { id: string; stationCode: string } };
  }>(
    s.workorder.httpPort,
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id stationCode } } }`,
    {
      input: {
        faultDescription: 'pump noisy',
        category: 'MECHANICAL',
        channel: 'PHONE',
        internalKind: 'INSPECTION',
        stationCode,
      },
    },
    manager,
  );
  expect(registerWorkOrder.workOrder.stationCode).toBe(stationCode);
  return registerWorkOrder.workOrder.id;
}

const completed = (workOrderId: string, stationCode: string | null, completedAt: Date) =>
  publishCompleted(s, {
    workOrderId,
    number: 'WO-STATION',
    serviceType: 'INTERNAL',
    stationCode,
    completedAt: completedAt.toISOString(),
  });

const register = (input: object) => registerComplaint(s, input);

const KPIS = `query($from: Date!, $to: Date!, $stationCode: String) {
  complaintKpis(from: $from, to: $to, stationCode: $stationCode) {
    stationCode
    complaintRate { serviceCausedComplaints completedWorkOrders rate }
    closure { complaints due closedWithinDeadline closedLate openOverdue pending rate }
  }
}`;

it('SPEC §6 complaint rate and complaint closure per service station', async () => {
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * DAY);
  const customerId = await createCustomer(s, 'Station Customer', '13800005555');
  const hz1 = await registerWorkOrder('HZ-01');
  const hz2 = await registerWorkOrder('HZ-01'); // never completed in the period
  const sz1 = await registerWorkOrder('SZ-02');

  // Completed in the period: HZ-01 four (hz1 + three), SZ-02 two (sz1 + one), one without a
  // station; HZ-01 one more 40 days ago (outside the period).
  await completed(hz1, 'HZ-01', ago(5));
  for (const _ of [1, 2, 3]) await completed(uuidv7(), 'HZ-01', ago(3));
  await completed(sz1, 'SZ-02', ago(4));
  await completed(uuidv7(), 'SZ-02', ago(2));
  await completed(uuidv7(), null, ago(2));
  await completed(uuidv7(), 'HZ-01', ago(40));

  const base = { complainant: { name: 'K', phone: '13800005555' }, customerId, content: 'x' };
  // C1: repair quality on hz1, 10 days old, open → service-caused, overdue (HZ-01).
  await register({
    ...base,
    workOrderId: hz1,
    channel: 'PHONE',
    category: 'REPAIR_QUALITY',
    receivedAt: ago(10).toISOString(),
  });
  // C2: attitude on sz1, 2 days old, answered as invalid now → not service-caused, in time (SZ-02).
  const c2 = await register({
    ...base,
    workOrderId: sz1,
    channel: 'PHONE',
    category: 'SERVICE_ATTITUDE',
    receivedAt: ago(2).toISOString(),
  });
  await complaintGraph(
    s,
    `mutation($id: ID!) { invalidateComplaint(input: { complaintId: $id, reason: "not our doing" }) { complaint { id } } }`,
    { id: c2 },
    manager,
  );
  // C3: attitude on sz1, 1 day old, open → service-caused, pending (SZ-02).
  await register({
    ...base,
    workOrderId: sz1,
    channel: 'PHONE',
    category: 'SERVICE_ATTITUDE',
    receivedAt: ago(1).toISOString(),
  });
  // C4: repair quality on hz2 (work not done): the station recorded with it, HZ-01; pending.
  const c4 = await register({
    ...base,
    workOrderId: hz2,
    channel: 'PHONE',
    category: 'REPAIR_QUALITY',
    receivedAt: ago(1).toISOString(),
  });
  // C5: product quality, no work order, 2 days old, open → not service-caused, pending, no station.
  const c5 = await register({
    ...base,
    channel: 'WEB',
    category: 'PRODUCT_QUALITY',
    receivedAt: ago(2).toISOString(),
  });
  const stationOf = async (id: string) =>
    (
      await complaintGraph<{ complaint: { stationCode: string | null } }>(
        s,
        `query($id: ID!) { complaint(id: $id) { stationCode } }`,
        { id },
        manager,
      )
    ).complaint.stationCode;
  expect(await stationOf(c4)).toBe('HZ-01');
  expect(await stationOf(c5)).toBeNull();

  const from = s.deps.calendar.localDate(ago(12));
  const to = s.deps.calendar.localDate(new Date(now));
  const kpis = async (stationCode?: string) =>
    (await complaintGraph<{ complaintKpis: object }>(s, KPIS, { from, to, stationCode }, manager))
      .complaintKpis as { complaintRate: { completedWorkOrders: number } };
  const deadline = Date.now() + 10_000;
  while ((await kpis()).complaintRate.completedWorkOrders < 7 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }

  // HZ-01: C1 + C4 service-caused / 4 completed; C1 overdue, C4 pending.
  expect(await kpis('HZ-01')).toEqual({
    stationCode: 'HZ-01',
    complaintRate: { serviceCausedComplaints: 2, completedWorkOrders: 4, rate: 0.5 },
    closure: {
      complaints: 2,
      due: 1,
      closedWithinDeadline: 0,
      closedLate: 0,
      openOverdue: 1,
      pending: 1,
      rate: 0,
    },
  });
  // SZ-02 (asked in lower case): C3 service-caused / 2 completed; C2 closed in time, C3 pending.
  expect(await kpis('sz-02')).toEqual({
    stationCode: 'SZ-02',
    complaintRate: { serviceCausedComplaints: 1, completedWorkOrders: 2, rate: 0.5 },
    closure: {
      complaints: 2,
      due: 1,
      closedWithinDeadline: 1,
      closedLate: 0,
      openOverdue: 0,
      pending: 1,
      rate: 1,
    },
  });
  // Whole organisation: C1, C3, C4 / 7 completed; C2 in time, C1 overdue, C3–C5 pending.
  expect(await kpis()).toEqual({
    stationCode: null,
    complaintRate: { serviceCausedComplaints: 3, completedWorkOrders: 7, rate: 3 / 7 },
    closure: {
      complaints: 5,
      due: 2,
      closedWithinDeadline: 1,
      closedLate: 0,
      openOverdue: 1,
      pending: 3,
      rate: 0.5,
    },
  });
  // A station with nothing: no rate.
  expect(await kpis('GZ-03')).toMatchObject({
    complaintRate: { serviceCausedComplaints: 0, completedWorkOrders: 0, rate: null },
    closure: { complaints: 0, due: 0, rate: null },
  });
  const bad = await subgraphRequest(
    s.complaint.httpPort,
    KPIS,
    { from, to, stationCode: 'H Z' },
    manager,
  );
  expect(bad.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'stationCode',
    reason: 'INVALID_STATION_CODE',
  });
});
