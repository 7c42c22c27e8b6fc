import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_NATS_URL } from '@aftercare/testkit';
import { connect } from '@nats-io/transport-node';
import { eventually, streamEvents } from './support/events';
import { startSystem, type System } from './harness';

// Issue 13 part 3: the sample reporting job (examples/reporting) replays this system's streams and
// must find the same six KPIs as the graph's KPI queries, organisation-wide and per region,
// station and technician. The job runs as reporting teams would run it: a separate Node process
// with only a NATS address, a subject prefix and the event schemas.
const REPORT = join(__dirname, '..', '..', 'examples', 'reporting', 'report.mjs');
// The published contracts, as a reporting team would take them.
const SCHEMAS = join(__dirname, '..', '..', 'docs', 'events', 'schemas');
const run = promisify(execFile);

let sys: System;
let customerId: string;
let assetId: string;
type Roles = Parameters<System['gql']>[2];

const ok = async <T = Record<string, unknown>>(
  q: string,
  v: Record<string, unknown> = {},
  roles: Roles = ['manager'],
  user?: string,
): Promise<T> => {
  const r = await sys.gql<T>(q, v, roles, user);
  expect(r.errors).toBeUndefined();
  return r.data as T;
};

const HZ = { province: 'Zhejiang', city: 'Hangzhou' };
const SZ = { province: 'Jiangsu', city: 'Suzhou' };

beforeAll(async () => {
  sys = await startSystem('e2e-reporting-job');
  for (const [id, station] of [
    ['rj-tech-hz', 'HZ-01'],
    ['rj-tech-sz', 'SZ-02'],
  ] as const)
    await ok(
      `mutation($id: ID!, $n: String!, $s: String) { upsertStaff(input: { id: $id, name: $n, stationCode: $s, skills: ["ELECTRICAL", "MECHANICAL", "BODY", "BATTERY", "SOFTWARE", "OTHER"] }) { staff { id } } }`,
      { id, n: id, s: station },
    );
  await ok(
    `mutation { createWarehouse(input: { code: "RJ-W", name: "RJ-W", kind: STATION, region: { province: "Zhejiang", city: "Hangzhou" } }) { warehouse { code } } }`,
  );
  for (const code of ['RJ-48', 'RJ-60'])
    await ok(
      `mutation { upsertPart(input: { code: "${code}", name: "${code}", unit: PCS, priceFen: 30000 }) { part { code } } }`,
      {},
      ['warehouse'],
    );
  await ok(
    `mutation { postStockDocument(input: { type: RECEIPT, warehouseCode: "RJ-W", lines: [{ partCode: "RJ-48", quantity: 10 }], reference: "PO-RJ" }) { document { id } } }`,
    {},
    ['warehouse'],
  );
  const c = await ok<{ createCustomer: { customer: { id: string } } }>(
    `mutation { createCustomer(input: { kind: PERSON, name: "Report Owner", contacts: [{ name: "R", mobile: "13800007777" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
  );
  customerId = c.createCustomer.customer.id;
  const a = await ok<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "E-Car", vin: "LSVAA4187E2100777", warrantyStart: "2026-01-01", warrantyEnd: "2028-06-30" }) { asset { id } } }`,
    { id: customerId },
  );
  assetId = a.registerAsset.asset.id;
});
afterAll(() => sys?.stop());

interface OrderSpec {
  tech: string;
  station: string;
  region: { province: string; city: string };
  internal?: boolean;
}

async function register(spec: OrderSpec): Promise<string> {
  const wo = await ok<{ registerWorkOrder: { workOrder: { id: string } } }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        customerId,
        ...(spec.internal ? { internalKind: 'INSPECTION' } : { assetId }),
        contact: { name: 'R', phone: '13800007777' },
        address: { region: spec.region },
        areaType: 'URBAN',
        distanceKm: 3,
        faultDescription: 'no power',
        category: 'ELECTRICAL',
        channel: 'PHONE',
        stationCode: spec.station,
      },
    },
    ['agent'],
  );
  return wo.registerWorkOrder.workOrder.id;
}

const dispatch = (id: string, tech: string) =>
  ok(
    `mutation($id: ID!, $t: ID!) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: [$t] }) { workOrder { id } } }`,
    { id, t: tech },
    ['dispatcher'],
  );

/** On site and resolved there, by the order's technician. */
async function attendAndResolve(id: string, tech: string) {
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
}

/** One approved requisition of one RJ-48 for the order, issued: returns the ISSUE document id. */
async function issueOne(workOrderId: string, tech: string): Promise<string> {
  const req = await ok<{ requestParts: { requisition: { id: string } } }>(
    `mutation($input: RequestPartsInput!) { requestParts(input: $input) { requisition { id } } }`,
    { input: { workOrderId, warehouseCode: 'RJ-W', lines: [{ partCode: 'RJ-48', quantity: 1 }] } },
    ['technician'],
    tech,
  );
  const id = req.requestParts.requisition.id;
  await ok(
    `mutation($id: ID!) { approveRequisition(input: { requisitionId: $id }) { requisition { status } } }`,
    { id },
    ['dispatcher'],
  );
  const issued = await ok<{
    issueParts: { requisition: { documents: { id: string; type: string }[] } };
  }>(
    `mutation($id: ID!) { issueParts(input: { requisitionId: $id, lines: [{ partCode: "RJ-48", quantity: 1 }] }) { requisition { documents { id type } } } }`,
    { id },
    ['warehouse'],
  );
  return issued.issueParts.requisition.documents.find((d) => d.type === 'ISSUE')!.id;
}

const surveyOf = (id: string) =>
  eventually(
    () =>
      ok<{ workOrder: { survey: { id: string } | null; followUps: { id: string }[] } }>(
        `query($id: ID!) { workOrder(id: $id) { survey { id } followUps { id } } }`,
        { id },
      ),
    (v) => v.workOrder.survey !== null,
  ).then((v) => v.workOrder);

const answer = (surveyId: string, levels: string[]) =>
  ok(
    `mutation($input: AnswerSurveyInput!) { answerSurvey(input: $input) { survey { id } } }`,
    {
      input: {
        surveyId,
        answers: ['attitude', 'skill', 'arrival_on_time', 'promises_kept'].map((item, i) => ({
          item,
          level: levels[i],
        })),
      },
    },
    ['agent'],
  );

const call = (followUpId: string, outcome: string) =>
  ok(
    `mutation($id: ID!, $o: FollowUpOutcome!) { recordFollowUpCall(input: { followUpId: $id, outcome: $o, summary: "call" }) { followUp { followedUp } } }`,
    { id: followUpId, o: outcome },
    ['agent'],
  );

const registerComplaint = (input: Record<string, unknown>) =>
  ok<{ registerComplaint: { complaint: { id: string } } }>(
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
    {
      input: {
        complainant: { name: 'R', phone: '13800007777' },
        customerId,
        channel: 'PHONE',
        content: 'not happy',
        ...input,
      },
    },
    ['agent'],
  ).then((r) => r.registerComplaint.complaint.id);

interface Scope {
  province?: string;
  city?: string;
  stationCode?: string;
  technicianId?: string;
}

const GRAPH_KPIS = `query($from: Date!, $to: Date!, $p: String, $c: String, $s: String, $t: ID) {
  serviceTimeliness(from: $from, to: $to, province: $p, city: $c, stationCode: $s, technicianId: $t) { workOrders met missed pending rate }
  complaintKpis(from: $from, to: $to, province: $p, city: $c, stationCode: $s, technicianId: $t) {
    complaintRate { serviceCausedComplaints completedWorkOrders rate }
    closure { complaints due closedWithinDeadline closedLate openOverdue pending rate }
  }
  satisfactionRate(from: $from, to: $to, province: $p, city: $c, stationCode: $s, technicianId: $t) { answers satisfied rate surveys satisfiedSurveys }
  followUpRate(from: $from, to: $to, province: $p, city: $c, stationCode: $s, technicianId: $t) { workOrders followedUp rate }
}`;

type Figures = Record<string, Record<string, unknown>>;

/** The graph's six figures for the period and scope (accuracy: all warehouses, or one). */
async function graphKpis(from: string, to: string, scope: Scope, warehouse?: string) {
  const g = await ok<{
    serviceTimeliness: Record<string, unknown>;
    complaintKpis: { complaintRate: Record<string, unknown>; closure: Record<string, unknown> };
    satisfactionRate: Record<string, unknown>;
    followUpRate: Record<string, unknown>;
  }>(GRAPH_KPIS, {
    from,
    to,
    p: scope.province,
    c: scope.city,
    s: scope.stationCode,
    t: scope.technicianId,
  });
  const figures: Figures = {
    serviceTimeliness: g.serviceTimeliness,
    complaintRate: g.complaintKpis.complaintRate,
    complaintClosure: g.complaintKpis.closure,
    satisfaction: g.satisfactionRate,
    followUpRate: g.followUpRate,
  };
  if (scope.province || scope.city || scope.stationCode || scope.technicianId) return figures;
  // The graph's accuracy runs over instants [from, to): the period's business days.
  const cal = sys.workorderDeps.calendar;
  const a = await ok<{ partsIssueAccuracy: Record<string, unknown> }>(
    `query($from: DateTime!, $to: DateTime!, $w: ID) { partsIssueAccuracy(from: $from, to: $to, warehouseCode: $w) { issues correct wrong accuracy } }`,
    {
      from: cal.fromLocal(`${from}T00:00`).toISOString(),
      to: cal.fromLocal(`${dayAfter(to)}T00:00`).toISOString(),
      w: warehouse,
    },
  );
  return { ...figures, partsIssueAccuracy: a.partsIssueAccuracy };
}

const dayAfter = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

interface JobReport {
  kpis: Figures;
  by?: { scope: Scope; kpis: Figures }[];
  events: {
    read: number;
    kept: number;
    duplicates: number;
    invalid: number;
    missingStreams: string[];
  };
}

/** Runs the job as a separate process; `exitCode` 3 when it met invalid events. */
async function runJob(args: string[], now: Date): Promise<{ report: JobReport; exitCode: number }> {
  const argv = [
    REPORT,
    ...args,
    ...['--nats', TEST_NATS_URL, '--prefix', sys.subjectPrefix, '--schemas', SCHEMAS],
    ...['--time-zone', sys.workorderDeps.calendar.config.timeZone, '--now', now.toISOString()],
  ];
  try {
    const { stdout } = await run(process.execPath, argv, { maxBuffer: 16 * 1024 * 1024 });
    return { report: JSON.parse(stdout) as JobReport, exitCode: 0 };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (e.code !== 3) throw new Error(`the job failed (${e.code}): ${e.stderr}`);
    return { report: JSON.parse(e.stdout!) as JobReport, exitCode: 3 };
  }
}

/** The job's figures restricted to the fields the graph returns, for a like-for-like comparison. */
function like(job: Figures, graph: Figures): Figures {
  return Object.fromEntries(
    Object.entries(graph).map(([kpi, fields]) => [
      kpi,
      Object.fromEntries(Object.keys(fields).map((k) => [k, job[kpi]?.[k]])),
    ]),
  );
}

it('docs/rules.md §6 the reporting job finds the graph’s six KPIs from the event streams alone', async () => {
  const realClock = sys.workorderDeps.now;
  const hz = { tech: 'rj-tech-hz', station: 'HZ-01', region: HZ };
  const sz = { tech: 'rj-tech-sz', station: 'SZ-02', region: SZ };

  // A (HZ-01): on time; two parts issued, one of them the wrong part (accuracy 1 of 2).
  const a = await register(hz);
  await dispatch(a, hz.tech);
  const [issueA1] = [await issueOne(a, hz.tech), await issueOne(a, hz.tech)];
  await attendAndResolve(a, hz.tech);
  await ok(
    `mutation($input: RecordWrongPartCorrectionInput!) { recordWrongPartCorrection(input: $input) { correction { issueId } } }`,
    { input: { issueId: issueA1, wrongPartCode: 'RJ-48', rightPartCode: 'RJ-60' } },
    ['warehouse'],
  );
  // B (HZ-01): the technician arrives three days later, past the arrival deadline (missed).
  const b = await register(hz);
  await dispatch(b, hz.tech);
  const later = new Date(Date.now() + 3 * 86_400_000);
  sys.workorderDeps.now = () => later;
  try {
    await attendAndResolve(b, hz.tech);
  } finally {
    sys.workorderDeps.now = realClock;
  }
  // C (SZ-02, another region): on time. D (SZ-02): an internal inspection, on time, not a warranty
  // order (no follow-up).
  const c = await register(sz);
  await dispatch(c, sz.tech);
  await attendAndResolve(c, sz.tech);
  const d = await register({ ...sz, internal: true });
  await dispatch(d, sz.tech);
  await attendAndResolve(d, sz.tech);
  // E cancelled (not counted); F dispatched, not yet on site (pending).
  const e = await register(hz);
  await ok(
    `mutation($id: ID!) { cancelWorkOrder(input: { workOrderId: $id, reason: "duplicate call" }) { workOrder { status } } }`,
    { id: e },
    ['agent'],
  );
  const f = await register(hz);
  await dispatch(f, hz.tech);

  // Complaints: on A, service-caused and open; on C, answered as invalid (closed, not
  // service-caused); about the HZ technician by name with no work order (left out of regions).
  await registerComplaint({ workOrderId: a, category: 'SERVICE_ATTITUDE' });
  const invalid = await registerComplaint({ workOrderId: c, category: 'PRODUCT_QUALITY' });
  await ok(
    `mutation($id: ID!) { invalidateComplaint(input: { complaintId: $id, reason: "not our product" }) { complaint { status } } }`,
    { id: invalid },
    ['customer_relations'],
  );
  await registerComplaint({ category: 'REPAIR_QUALITY', aboutStaffIds: [hz.tech] });
  // On C: filed as service attitude, reclassified as product quality (no longer service-caused).
  const CR: Roles = ['customer_relations'];
  const reclassified = await registerComplaint({ workOrderId: c, category: 'SERVICE_ATTITUDE' });
  await ok(
    `mutation($id: ID!) { classifyComplaint(input: { complaintId: $id, category: PRODUCT_QUALITY }) { complaint { status } } }`,
    { id: reclassified },
    CR,
    'rj-cr',
  );
  // On B: reclassified as product quality, but the investigation finds the service caused it and
  // the SZ technician responsible: it is theirs, not the HZ technician's of the order.
  const investigated = await registerComplaint({ workOrderId: b, category: 'REPAIR_QUALITY' });
  for (const [m, vars] of [
    [
      `($id: ID!) { classifyComplaint(input: { complaintId: $id, category: PRODUCT_QUALITY }) {`,
      {},
    ],
    [
      `($id: ID!, $h: ID!) { assignComplaint(input: { complaintId: $id, handlerId: $h }) {`,
      { h: 'rj-handler' },
    ],
    [
      `($id: ID!, $r: ComplaintInvestigationInput!) { submitComplaintInvestigation(input: { complaintId: $id, report: $r }) {`,
      {
        r: {
          cause: 'connector not reseated',
          course: 'repair skipped a step',
          responsibleStaffIds: [sz.tech],
          conclusion: 'founded',
          countermeasure: 'checklist',
          serviceCaused: true,
        },
      },
    ],
  ] as const)
    await ok(`mutation${m} complaint { status } } }`, { id: investigated, ...vars }, CR, 'rj-cr');

  // Surveys: A all satisfied, B 2 of 4, C 1 of 4 (B's and C's open follow-up complaints, R-SV-4).
  // Follow-ups: A reached, C not answered, B not called yet (its first call is days away).
  const [sa, sb, sc] = [await surveyOf(a), await surveyOf(b), await surveyOf(c)];
  await answer(sa.survey!.id, ['VERY_SATISFIED', 'SATISFIED', 'SATISFIED', 'SATISFIED']);
  await answer(sb.survey!.id, ['DISSATISFIED', 'SATISFIED', 'SATISFIED', 'DISSATISFIED']);
  await answer(sc.survey!.id, ['SATISFIED', 'DISSATISFIED', 'DISSATISFIED', 'DISSATISFIED']);
  await call(sa.followUps[0]!.id, 'REACHED');
  await call(sc.followUps[0]!.id, 'NO_ANSWER');

  const cal = sys.workorderDeps.calendar;
  const from = cal.localDate(new Date());
  const to = cal.localDate(later);
  // The complaint service counts completions and opens follow-up complaints from its consumers.
  await eventually(
    () => graphKpis(from, to, {}),
    (g) => g.complaintRate!.completedWorkOrders === 4 && g.complaintClosure!.complaints === 7,
  );

  const scopes: Scope[] = [
    {},
    { stationCode: 'HZ-01' },
    { stationCode: 'SZ-02' },
    { province: 'Zhejiang', city: 'Hangzhou' },
    { province: 'Jiangsu', city: 'Suzhou' },
    { technicianId: hz.tech },
    { technicianId: sz.tech },
  ];
  const expected = async () => {
    const now = new Date();
    return { now, graph: await Promise.all(scopes.map((s) => graphKpis(from, to, s))) };
  };
  const found = async (now: Date) => {
    const jobs = await Promise.all(
      (['station', 'region', 'technician'] as const).map((by) =>
        runJob(['--from', from, '--to', to, '--by', by], now),
      ),
    );
    const lines = jobs.flatMap((j) => j.report.by ?? []);
    const of = (s: Scope) =>
      Object.keys(s).length === 0
        ? jobs[0]!.report.kpis
        : (lines.find((l) => JSON.stringify(l.scope) === JSON.stringify(s))?.kpis ?? {});
    return { jobs, figures: scopes.map(of) };
  };
  // The relays publish right after each commit; the job may need a moment to see the last events.
  let graph: Figures[] = [];
  let job: Awaited<ReturnType<typeof found>> | undefined;
  await eventually(
    async () => {
      const g = await expected();
      graph = g.graph;
      job = await found(g.now);
      return job.figures.map((f, i) => like(f, graph[i]!));
    },
    (figures) => JSON.stringify(figures) === JSON.stringify(graph),
    20_000,
  );
  expect(scopes.map((s, i) => ({ scope: s, ...like(job!.figures[i]!, graph[i]!) }))).toEqual(
    scopes.map((s, i) => ({ scope: s, ...graph[i] })),
  );

  // The data touches every KPI: each has a decided figure organisation-wide.
  expect(graph[0]).toMatchObject({
    serviceTimeliness: { met: 3, missed: 1, pending: 1 },
    complaintRate: { completedWorkOrders: 4 },
    complaintClosure: { complaints: 7, closedWithinDeadline: 1 },
    satisfaction: { answers: 12, satisfied: 7 },
    followUpRate: { workOrders: 3, followedUp: 1 },
    partsIssueAccuracy: { issues: 2, wrong: 1, accuracy: 0.5 },
  });
  // Per warehouse, as the graph offers it.
  const warehouse = await runJob(['--from', from, '--to', to, '--warehouse', 'rj-w'], new Date());
  expect(warehouse.report.kpis.partsIssueAccuracy).toMatchObject(
    (await graphKpis(from, to, {}, 'RJ-W')).partsIssueAccuracy!,
  );
  for (const j of job!.jobs) {
    expect(j.exitCode).toBe(0);
    expect(j.report.events).toMatchObject({ duplicates: 0, invalid: 0, missingStreams: [] });
  }
});

it('the job counts an event breaking its schema and a redelivered event id without stopping', async () => {
  const cal = sys.workorderDeps.calendar;
  const day = cal.localDate(new Date());
  const args = ['--from', day, '--to', dayAfter(dayAfter(dayAfter(day)))];
  const before = await runJob(args, new Date());
  // The same event again under another message id (past JetStream's de-duplication), and a
  // completion whose data breaks the schema.
  const [completed] = (await streamEvents(sys.subjectPrefix, 'workorder')).filter(
    (e) => e.type === 'workorder.completed',
  );
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const subject = `${sys.subjectPrefix}.workorder.completed`;
    await nc.request(subject, JSON.stringify(completed)).catch(() => undefined);
    const broken = {
      ...completed,
      id: '0190a1b2-0000-7000-8000-00000000dead',
      data: { workOrderId: 42 },
    };
    await nc.request(subject, JSON.stringify(broken)).catch(() => undefined);
  } finally {
    await nc.close();
  }
  const after = await runJob(args, new Date());
  expect(after.exitCode).toBe(3);
  expect(after.report.events).toMatchObject({
    duplicates: before.report.events.duplicates + 1,
    invalid: before.report.events.invalid + 1,
  });
  expect(after.report.kpis).toEqual(before.report.kpis);
});
