import { startSystem, type System } from './harness';
import { eventually } from './support/events';

// docs/rules.md §6 "per station" end to end through the gateway: work orders really completed at two
// service stations (HZ-01 by its dispatcher's roster station, SZ-02 given at intake); each
// service's KPI read per station — timeliness (work-order service), complaint rate and closure
// (complaint service, from workorder.completed and the complaint's work order), satisfaction and
// follow-up rate (survey service, from workorder.completed). Figures worked out by hand below.
let sys: System;
let customerId: string;
let assetId: string;

const ok = async <T = Record<string, unknown>>(
  q: string,
  v: Record<string, unknown> = {},
  roles: Parameters<System['gql']>[2] = ['manager'],
  user?: string,
): Promise<T> => {
  const r = await sys.gql<T>(q, v, roles, user);
  expect(r.errors).toBeUndefined();
  return r.data as T;
};

beforeAll(async () => {
  sys = await startSystem('e2e-kpi-station');
  for (const [id, station] of [
    ['st-disp-hz', 'hz-01'],
    ['st-tech-hz', 'HZ-01'],
    ['st-tech-sz', 'SZ-02'],
  ] as const)
    await ok(
      `mutation($id: ID!, $name: String!, $s: String) { upsertStaff(input: { id: $id, name: $name, stationCode: $s, skills: ["ELECTRICAL", "MECHANICAL", "BODY", "BATTERY", "SOFTWARE", "OTHER"] }) { staff { id } } }`,
      { id, name: id, s: station },
    );
  const c = await ok<{ createCustomer: { customer: { id: string } } }>(
    `mutation { createCustomer(input: { kind: PERSON, name: "Station Owner", contacts: [{ name: "S", mobile: "13800003333" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
  );
  customerId = c.createCustomer.customer.id;
  const a = await ok<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "E-Car", vin: "LSVAA4187E2100333", warrantyStart: "2026-01-01", warrantyEnd: "2028-06-30" }) { asset { id } } }`,
    { id: customerId },
  );
  assetId = a.registerAsset.asset.id;
});
afterAll(() => sys?.stop());

/**
 * Registers (as `registrar`, optionally naming the station), dispatches to `tech`, who resolves it
 * on site: a real completion (warranty: the asset is in warranty).
 */
async function completeOrder(
  category: string,
  tech: string,
  registrar: { roles: Parameters<System['gql']>[2]; user?: string },
  stationCode?: string,
): Promise<{ id: string; stationCode: string | null }> {
  const wo = await ok<{ registerWorkOrder: { workOrder: { id: string; stationCode: string } } }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id stationCode } } }`,
    {
      input: {
        customerId,
        assetId,
        contact: { name: 'S', phone: '13800003333' },
        address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
        areaType: 'URBAN',
        distanceKm: 3,
        faultDescription: 'no power',
        category,
        channel: 'PHONE',
        ...(stationCode ? { stationCode } : {}),
      },
    },
    registrar.roles,
    registrar.user,
  );
  const { id } = wo.registerWorkOrder.workOrder;
  await ok(
    `mutation($id: ID!, $t: ID!) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: [$t] }) { workOrder { id } } }`,
    { id, t: tech },
    ['dispatcher'],
  );
  const asTech = (q: string) => ok(q, { id }, ['technician'], tech);
  await asTech(
    `mutation($id: ID!) { departForSite(input: { workOrderId: $id }) { workOrder { status } } }`,
  );
  await asTech(
    `mutation($id: ID!) { arriveOnSite(input: { workOrderId: $id }) { workOrder { status } } }`,
  );
  await asTech(
    `mutation($id: ID!) { resolveOnSite(input: { workOrderId: $id, report: { cause: "fuse", responsibility: PRODUCT, workDone: "fuse replaced", partsReplaced: [], oldPartsCollected: false, oldParts: [] } }) { workOrder { status } } }`,
  );
  return wo.registerWorkOrder.workOrder;
}

type Plan = { workOrder: { survey: { id: string } | null; followUps: { id: string }[] } };
const surveyOf = (id: string) =>
  eventually(
    () =>
      ok<Plan>(`query($id: ID!) { workOrder(id: $id) { survey { id } followUps { id } } }`, { id }),
    (v) => v.workOrder.survey !== null && v.workOrder.followUps.length > 0,
  );
const answer = (surveyId: string, l: string[]) =>
  ok(
    `mutation($input: AnswerSurveyInput!) { answerSurvey(input: $input) { survey { id } } }`,
    {
      input: {
        surveyId,
        answers: ['attitude', 'skill', 'arrival_on_time', 'promises_kept'].map((item, i) => ({
          item,
          level: l[i],
        })),
      },
    },
    ['agent'],
  );

it('docs/rules.md §6 every service reports its KPI per service station through the gateway', async () => {
  // HZ-01: A registered by the HZ-01 dispatcher (station from the roster), B named at intake;
  // SZ-02: C named at intake in lower case.
  const a = await completeOrder('ELECTRICAL', 'st-tech-hz', {
    roles: ['dispatcher'],
    user: 'st-disp-hz',
  });
  const b = await completeOrder('MECHANICAL', 'st-tech-hz', { roles: ['agent'] }, 'HZ-01');
  const c = await completeOrder('BODY', 'st-tech-sz', { roles: ['agent'] }, 'sz-02');
  expect([a.stationCode, b.stationCode, c.stationCode]).toEqual(['HZ-01', 'HZ-01', 'SZ-02']);

  // A service-caused complaint about order A, open and within its 7 days.
  await ok(
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
    {
      input: {
        complainant: { name: 'S', phone: '13800003333' },
        customerId,
        workOrderId: a.id,
        channel: 'PHONE',
        category: 'SERVICE_ATTITUDE',
        content: 'rude on the phone',
      },
    },
    ['agent'],
  );

  // Surveys: A 4 of 4 satisfied, B 2 of 4, C 1 of 4; follow-up: A reached, B and C not called.
  // B's and C's answers are dissatisfied: each opens a follow-up complaint on its work order
  // (R-SV-4 → R-CO-1), which takes the station of that order from the work-order service.
  const [pa, pb, pc] = [await surveyOf(a.id), await surveyOf(b.id), await surveyOf(c.id)];
  await answer(pa.workOrder.survey!.id, ['VERY_SATISFIED', 'SATISFIED', 'SATISFIED', 'SATISFIED']);
  await answer(pb.workOrder.survey!.id, ['DISSATISFIED', 'SATISFIED', 'SATISFIED', 'DISSATISFIED']);
  await answer(pc.workOrder.survey!.id, [
    'SATISFIED',
    'DISSATISFIED',
    'DISSATISFIED',
    'DISSATISFIED',
  ]);
  await ok(
    `mutation($id: ID!) { recordFollowUpCall(input: { followUpId: $id, outcome: REACHED, summary: "fine" }) { followUp { followedUp } } }`,
    { id: pa.workOrder.followUps[0]!.id },
    ['agent'],
  );

  const today = sys.workorderDeps.calendar.localDate(new Date());
  const KPIS = `query($d: Date!, $s: String) {
    serviceTimeliness(from: $d, to: $d, stationCode: $s) { workOrders met missed pending rate }
    complaintKpis(from: $d, to: $d, stationCode: $s) {
      complaintRate { serviceCausedComplaints completedWorkOrders rate }
      closure { complaints due pending }
    }
    satisfactionRate(from: $d, to: $d, stationCode: $s) { answers satisfied rate }
    followUpRate(from: $d, to: $d, stationCode: $s) { workOrders followedUp rate }
  }`;
  const kpis = (s: string | null) => ok<Record<string, unknown>>(KPIS, { d: today, s });
  // The complaint service counts completions and opens follow-up complaints from its consumers:
  // wait for the three completions and the three complaints.
  await eventually(
    () => kpis(null),
    (k) => {
      const cp = k.complaintKpis as {
        complaintRate: { completedWorkOrders: number };
        closure: { complaints: number };
      };
      return cp.complaintRate.completedWorkOrders === 3 && cp.closure.complaints === 3;
    },
  );

  // HZ-01: A and B answered and attended at once (met); the complaints on A (registered) and B
  // (follow-up), both service-caused and open within their 7 days / 2 completed; A and B answered
  // 6 of 8; A followed up of the two warranty orders.
  expect(await kpis('HZ-01')).toEqual({
    serviceTimeliness: { workOrders: 2, met: 2, missed: 0, pending: 0, rate: 1 },
    complaintKpis: {
      complaintRate: { serviceCausedComplaints: 2, completedWorkOrders: 2, rate: 1 },
      closure: { complaints: 2, due: 0, pending: 2 },
    },
    satisfactionRate: { answers: 8, satisfied: 6, rate: 0.75 },
    followUpRate: { workOrders: 2, followedUp: 1, rate: 0.5 },
  });
  // SZ-02: C met; its follow-up complaint / 1 completed; 1 of 4 satisfied; not followed up.
  expect(await kpis('sz-02')).toEqual({
    serviceTimeliness: { workOrders: 1, met: 1, missed: 0, pending: 0, rate: 1 },
    complaintKpis: {
      complaintRate: { serviceCausedComplaints: 1, completedWorkOrders: 1, rate: 1 },
      closure: { complaints: 1, due: 0, pending: 1 },
    },
    satisfactionRate: { answers: 4, satisfied: 1, rate: 0.25 },
    followUpRate: { workOrders: 1, followedUp: 0, rate: 0 },
  });
  // Together: the sum of the two stations.
  expect(await kpis(null)).toMatchObject({
    serviceTimeliness: { workOrders: 3, met: 3 },
    complaintKpis: { complaintRate: { serviceCausedComplaints: 3, completedWorkOrders: 3 } },
    satisfactionRate: { answers: 12, satisfied: 7 },
    followUpRate: { workOrders: 3, followedUp: 1 },
  });
  // A malformed station code is a typed error at every service.
  const bad = await sys.gql(KPIS, { d: today, s: 'H Z' }, ['manager']);
  expect(new Set(bad.errors?.map((e) => e.extensions?.reason))).toEqual(
    new Set(['INVALID_STATION_CODE']),
  );
  const services = bad.errors?.map(
    (e) => (e.extensions as { serviceName?: string } | undefined)?.serviceName,
  );
  expect(new Set(services)).toEqual(new Set(['workorder', 'complaint', 'survey']));
});
