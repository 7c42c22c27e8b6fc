import {
  complaintClosed,
  complaintEscalated,
  complaintOverdue,
  workOrderSlaBreached,
} from '@aftercare/events';
import { type Role, uuidv7 } from '@aftercare/kit';
import { loadWorkOrderConfig, startWorkOrderService } from '@aftercare/workorder-service';
import { publishEnvelope, type TestEnvelope } from '@aftercare/testkit';
import { eventually, streamEvents } from './support/events';
import { startSystem, type System } from './harness';

// The complaint service through the gateway (docs/rules.md §4): the 8 steps, invalid complaints, major
// complaints escalated, overdue notices, the penalty ledger and its event consumers.
let sys: System;
const technician = uuidv7();
const teamLead = uuidv7();
const handler = uuidv7();
const advisor = uuidv7();
const violator = uuidv7();
const CR: Role[] = ['customer_relations'];
const MANAGER: Role[] = ['manager'];

beforeAll(async () => {
  // The SLA scheduler is off here: the SLA test starts a replica with it once a technician is on the order.
  sys = await startSystem('e2e-cp', { SLA_SCHEDULER: 'false' });
  for (const s of [
    {
      id: technician,
      name: 'Tech Wu',
      teamLeadId: teamLead,
      position: 'technician',
      skills: ['ELECTRICAL', 'MECHANICAL', 'BODY', 'BATTERY', 'SOFTWARE', 'OTHER'],
    },
    { id: teamLead, name: 'Lead Sun', position: 'team_lead' },
    { id: handler, name: 'Handler Qian' },
    { id: advisor, name: 'Advisor Li', position: 'sales_advisor' },
    { id: violator, name: 'Violator Zhou' },
  ]) {
    const r = await sys.gql(
      `mutation($input: UpsertStaffInput!) { upsertStaff(input: $input) { staff { id } } }`,
      { input: s },
      MANAGER,
    );
    expect(r.errors).toBeUndefined();
  }
});
afterAll(() => sys?.stop());

async function customerWithAsset(name: string, mobile: string, serial: string) {
  const c = await sys.gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name,
        contacts: [{ name, mobile }],
        addresses: [{ region: { province: 'Jiangsu', city: 'Nanjing' } }],
      },
    },
  );
  expect(c.errors).toBeUndefined();
  const customerId = c.data!.createCustomer.customer.id;
  const a = await sys.gql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!, $serial: String!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "Lift", serialNumber: $serial }) { asset { id } } }`,
    { id: customerId, serial },
  );
  expect(a.errors).toBeUndefined();
  return { customerId, assetId: a.data!.registerAsset.asset.id };
}

async function workOrderFor(customerId: string, assetId: string, calledAt = new Date()) {
  const r = await sys.gql<{ registerWorkOrder: { workOrder: { id: string } } }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        customerId,
        assetId,
        contact: { name: 'C', phone: '13900001234' },
        address: { region: { province: 'Jiangsu', city: 'Nanjing' } },
        areaType: 'SUBURBAN',
        distanceKm: 40,
        faultDescription: 'lift stuck',
        category: 'MECHANICAL',
        channel: 'LETTER',
        calledAt: calledAt.toISOString(),
      },
    },
  );
  expect(r.errors).toBeUndefined();
  const id = r.data!.registerWorkOrder.workOrder.id;
  const d = await sys.gql(
    `mutation($input: DispatchWorkOrderInput!) { dispatchWorkOrder(input: $input) { workOrder { id } } }`,
    { input: { workOrderId: id, technicianIds: [technician] } },
    ['dispatcher'],
  );
  expect(d.errors).toBeUndefined();
  return id;
}

const FIELDS = `id number status allowedActions department handlerId majorReasons escalatedAt closedAt
  invalidReason satisfaction fullyClosed
  deadlines { solutionDueAt closureDueAt escalationDueAt noticesSent }
  improvementActions { id doneAt }
  history { action fromStatus toStatus actorId }`;

interface ComplaintView {
  id: string;
  number: string;
  status: string;
  allowedActions: string[];
  department: string | null;
  handlerId: string | null;
  majorReasons: string[];
  escalatedAt: string | null;
  closedAt: string | null;
  invalidReason: string | null;
  satisfaction: string | null;
  fullyClosed: boolean;
  deadlines: {
    solutionDueAt: string | null;
    closureDueAt: string;
    escalationDueAt: string | null;
    noticesSent: string[];
  };
  improvementActions: { id: string; doneAt: string | null }[];
  history: { action: string; fromStatus: string | null; toStatus: string; actorId: string }[];
}

async function register(input: Record<string, unknown>): Promise<ComplaintView> {
  const r = await sys.gql<{ registerComplaint: { complaint: ComplaintView } }>(
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { ${FIELDS} } } }`,
    { input },
  );
  expect(r.errors).toBeUndefined();
  return r.data!.registerComplaint.complaint;
}

/** Runs a step mutation (`(vars) { field(args) {`) and returns the complaint. */
async function step(
  mutation: string,
  vars: Record<string, unknown>,
  roles: Role[],
  user: string,
): Promise<ComplaintView> {
  const r = await sys.gql<Record<string, { complaint: ComplaintView }>>(
    `mutation${mutation} ${FIELDS} } } }`,
    vars,
    roles,
    user,
  );
  expect(r.errors).toBeUndefined();
  return Object.values(r.data!)[0]!.complaint;
}

async function refused(
  mutation: string,
  vars: Record<string, unknown>,
  roles: Role[],
  user: string,
) {
  const r = await sys.gql<Record<string, unknown>>(
    `mutation${mutation} id } } }`,
    vars,
    roles,
    user,
  );
  // The payload is nullable (ADR 0017): a refused step answers null for its field, nothing else.
  expect(Object.values(r.data ?? {}).filter((payload) => payload !== null)).toEqual([]);
  return r.errors![0]!.extensions;
}

const complaintEvents = async (type: string, id: string) =>
  (await streamEvents(sys.subjectPrefix, 'complaint')).filter(
    (e) => e.type === type && e.subject === id,
  );

it('R-CO-1/R-CO-2 a valid complaint walks all 8 steps; nobody handles a complaint about themselves; approval by amount', async () => {
  const { customerId, assetId } = await customerWithAsset('Zhang San', '13812345678', 'CP-1');
  const workOrderId = await workOrderFor(customerId, assetId);
  const c = await register({
    complainant: { name: 'Zhang San', phone: '138 1234 5678' },
    customerId,
    workOrderId,
    assetId,
    channel: 'PHONE',
    category: 'SERVICE_ATTITUDE',
    content: 'the technician was rude and left a mess',
    demands: ['APOLOGY', 'COMPENSATION'],
    attachments: [{ ref: 's3://complaints/photo-1.jpg', name: 'mess.jpg' }],
    aboutStaffIds: [technician],
  });
  expect(c).toMatchObject({ status: 'RECORDED', majorReasons: [] });

  // A complaint about another customer's work order is refused, nothing recorded.
  const other = await customerWithAsset('Li Si', '13812340000', 'CP-2');
  const mismatch = await sys.gql(
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
    {
      input: {
        complainant: { name: 'Li Si', phone: '13812340000' },
        customerId: other.customerId,
        workOrderId,
        channel: 'PHONE',
        category: 'SERVICE_ATTITUDE',
        content: 'x',
      },
    },
  );
  expect(mismatch.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'CUSTOMER_MISMATCH',
  });

  const id = { id: c.id };
  let v = await step(
    `($id: ID!) { classifyComplaint(input: { complaintId: $id }) { complaint {`,
    id,
    CR,
    'cr-1',
  );
  expect(v.status).toBe('CLASSIFIED');
  // The person the complaint is about can be neither its handler nor act on it, whatever the role.
  expect(
    await refused(
      `($id: ID!, $h: ID!) { assignComplaint(input: { complaintId: $id, handlerId: $h }) { complaint {`,
      { ...id, h: technician },
      CR,
      'cr-1',
    ),
  ).toMatchObject({ code: 'FORBIDDEN', reason: 'SELF_HANDLING' });
  v = await step(
    `($id: ID!, $h: ID!) { assignComplaint(input: { complaintId: $id, handlerId: $h }) { complaint {`,
    { ...id, h: handler },
    CR,
    'cr-1',
  );
  expect(v).toMatchObject({ status: 'ASSIGNED', department: 'service', handlerId: handler });
  expect(v.deadlines.solutionDueAt).not.toBeNull();

  // The assigned handler (a technician by role) investigates.
  v = await step(
    `($id: ID!, $r: ComplaintInvestigationInput!) { submitComplaintInvestigation(input: { complaintId: $id, report: $r }) { complaint {`,
    {
      ...id,
      r: {
        cause: 'technician lost his temper',
        course: 'argument about the call-out fee',
        responsibleStaffIds: [technician],
        conclusion: 'complaint founded',
        countermeasure: 'retraining on customer contact',
        serviceCaused: true,
      },
    },
    ['technician'],
    handler,
  );
  expect(v.status).toBe('INVESTIGATED');
  v = await step(
    `($id: ID!) { proposeComplaintSolution(input: { complaintId: $id, solution: "apology and refund of the fee", compensationFen: 100000 }) { complaint {`,
    id,
    ['technician'],
    handler,
  );
  expect(v.status).toBe('SOLUTION_PROPOSED');
  // 1 000 yuan is beyond customer relations' authority (500 yuan): a manager approves.
  expect(
    await refused(
      `($id: ID!) { approveComplaintSolution(input: { complaintId: $id }) { complaint {`,
      id,
      CR,
      'cr-1',
    ),
  ).toMatchObject({ code: 'FORBIDDEN', reason: 'APPROVAL_AUTHORITY' });
  expect(
    await refused(
      `($id: ID!) { approveComplaintSolution(input: { complaintId: $id }) { complaint {`,
      id,
      MANAGER,
      technician,
    ),
  ).toMatchObject({ code: 'FORBIDDEN', reason: 'SELF_HANDLING' });
  // The auditor reads only.
  expect(
    await refused(
      `($id: ID!) { approveComplaintSolution(input: { complaintId: $id }) { complaint {`,
      id,
      ['auditor'],
      'aud-1',
    ),
  ).toMatchObject({ code: 'FORBIDDEN' });
  v = await step(
    `($id: ID!) { approveComplaintSolution(input: { complaintId: $id }) { complaint {`,
    id,
    MANAGER,
    'mgr-1',
  );
  expect(v.status).toBe('APPROVED');
  v = await step(
    `($id: ID!) { notifyComplaintCustomer(input: { complaintId: $id }) { complaint {`,
    id,
    CR,
    'cr-1',
  );
  expect(v.status).toBe('CUSTOMER_NOTIFIED');
  const actionId = uuidv7();
  v = await step(
    `($id: ID!, $a: [ComplaintImprovementActionInput!]) { closeComplaint(input: { complaintId: $id, satisfaction: SATISFIED, improvementActions: $a }) { complaint {`,
    {
      ...id,
      a: [
        {
          id: actionId,
          description: 'customer-contact training',
          ownerId: handler,
          dueDate: '2099-01-31',
        },
      ],
    },
    CR,
    'cr-1',
  );
  expect(v).toMatchObject({ status: 'CLOSED', satisfaction: 'SATISFIED', fullyClosed: false });
  // Improvement actions are tracked to done.
  v = await step(
    `($id: ID!, $a: ID!) { completeComplaintImprovementAction(input: { complaintId: $id, actionId: $a }) { complaint {`,
    { ...id, a: actionId },
    ['technician'],
    handler,
  );
  expect(v.fullyClosed).toBe(true);
  expect(v.history.map((h) => [h.action, h.toStatus, h.actorId])).toEqual([
    ['record', 'RECORDED', 'e2e-user'],
    ['classify', 'CLASSIFIED', 'cr-1'],
    ['assign', 'ASSIGNED', 'cr-1'],
    ['investigate', 'INVESTIGATED', handler],
    ['proposeSolution', 'SOLUTION_PROPOSED', handler],
    ['approveSolution', 'APPROVED', 'mgr-1'],
    ['notifyCustomer', 'CUSTOMER_NOTIFIED', 'cr-1'],
    ['close', 'CLOSED', 'cr-1'],
    ['completeImprovementAction', 'CLOSED', handler],
  ]);

  // The finding proposed a penalty for the responsible technician; the graph joins the services.
  const joined = await sys.gql<{
    workOrder: {
      complaints: {
        nodes: {
          id: string;
          penalties: {
            ruleCode: string;
            status: string;
            points: number;
            staff: { name: string };
          }[];
        }[];
      };
    };
    customer: { complaints: { nodes: { number: string }[] } };
  }>(
    `query($wo: ID!, $c: ID!) {
      workOrder(id: $wo) { complaints { nodes { id penalties { ruleCode status points staff { name } } } } }
      customer(id: $c) { complaints { nodes { number } } }
    }`,
    { wo: workOrderId, c: customerId },
    MANAGER,
    'mgr-1',
  );
  expect(joined.errors).toBeUndefined();
  expect(joined.data!.workOrder.complaints.nodes).toEqual([
    {
      id: c.id,
      penalties: [
        {
          ruleCode: 'COMPLAINT_SUBSTANTIATED',
          status: 'PROPOSED',
          points: -2,
          staff: { name: 'Tech Wu' },
        },
      ],
    },
  ]);
  expect(joined.data!.customer.complaints.nodes).toEqual([{ number: c.number }]);

  const closed = await eventually(
    () => complaintEvents('complaint.closed', c.id),
    (es) => es.length > 0,
  );
  expect(closed).toHaveLength(1);
  expect(complaintClosed.parse(closed[0]!.data)).toMatchObject({
    valid: true,
    satisfaction: 'SATISFIED',
    workOrderId,
  });
});

it('R-CO-2 an invalid complaint is answered with the reason and closed', async () => {
  const { customerId } = await customerWithAsset('Wang Wu', '13812349999', 'CP-3');
  const c = await register({
    complainant: { name: 'Wang Wu', phone: '13812349999' },
    customerId,
    channel: 'WEB',
    category: 'SUGGESTION',
    content: 'the lift should play music',
  });
  const v = await step(
    `($id: ID!) { invalidateComplaint(input: { complaintId: $id, reason: "a wish, not a fault of ours; passed to product management" }) { complaint {`,
    { id: c.id },
    CR,
    'cr-2',
  );
  expect(v).toMatchObject({
    status: 'CLOSED_INVALID',
    invalidReason: 'a wish, not a fault of ours; passed to product management',
    fullyClosed: true,
    allowedActions: [],
  });
  expect(v.closedAt).not.toBeNull();
  // Nothing more can happen to it.
  expect(
    await refused(
      `($id: ID!) { classifyComplaint(input: { complaintId: $id }) { complaint {`,
      { id: c.id },
      CR,
      'cr-2',
    ),
  ).toMatchObject({ reason: 'ILLEGAL_TRANSITION' });
  const closed = await eventually(
    () => complaintEvents('complaint.closed', c.id),
    (es) => es.length > 0,
  );
  expect(complaintClosed.parse(closed[0]!.data)).toMatchObject({
    valid: false,
    satisfaction: null,
  });
});

it('R-CO-3 a major complaint is escalated to management once; an overdue complaint is flagged once', async () => {
  const { customerId } = await customerWithAsset('Media Ma', '13812348888', 'CP-4');
  const major = await register({
    complainant: { name: 'Media Ma', phone: '13812348888' },
    customerId,
    channel: 'MEDIA',
    category: 'PRODUCT_QUALITY',
    content: 'the lift broke twice, the newspaper is on it',
    demands: ['RETURN'],
  });
  expect(major.majorReasons).toEqual(['CHANNEL_MEDIA', 'DEMAND_RETURN']);
  expect(major.deadlines.escalationDueAt).not.toBeNull();
  // Received 8 days ago on another matter and never closed: past its 7 days.
  const { customerId: late } = await customerWithAsset('Late Lu', '13812347777', 'CP-5');
  const overdue = await register({
    complainant: { name: 'Late Lu', phone: '13812347777' },
    customerId: late,
    channel: 'LETTER',
    category: 'TRANSPORT',
    content: 'delivery damaged the door frame',
    receivedAt: new Date(Date.now() - 8 * 86_400_000).toISOString(),
  });
  await eventually(
    () => complaintEvents('complaint.escalated', major.id),
    (es) => es.length > 0,
  );
  await eventually(
    () => complaintEvents('complaint.overdue', overdue.id),
    (es) => es.length > 0,
  );
  // Let the scheduler (every second) run a few more rounds, then count.
  await new Promise((r) => setTimeout(r, 3500));
  const escalated = await complaintEvents('complaint.escalated', major.id);
  expect(escalated).toHaveLength(1);
  expect(complaintEscalated.parse(escalated[0]!.data).majorReasons).toEqual([
    'CHANNEL_MEDIA',
    'DEMAND_RETURN',
  ]);
  const flagged = await complaintEvents('complaint.overdue', overdue.id);
  expect(flagged.map((e) => complaintOverdue.parse(e.data).kind)).toEqual(['CLOSURE']);
  expect(await complaintEvents('complaint.overdue', major.id)).toEqual([]);
  const q = await sys.gql<{ complaint: ComplaintView }>(
    `query($id: ID!) { complaint(id: $id) { ${FIELDS} } }`,
    { id: overdue.id },
    CR,
  );
  expect(q.data!.complaint.deadlines.noticesSent).toEqual(['CLOSURE']);
  const m = await sys.gql<{ complaint: ComplaintView }>(
    `query($id: ID!) { complaint(id: $id) { ${FIELDS} } }`,
    { id: major.id },
    CR,
  );
  expect(m.data!.complaint.escalatedAt).not.toBeNull();
  expect(m.data!.complaint.history.map((h) => h.action)).toEqual(['record', 'escalate']);
});

interface PenaltyView {
  id: string;
  points: number;
  amountFen: number;
  nthViolation: number | null;
  status: string;
  staff: { id: string };
}
const PENALTY = `id points amountFen nthViolation status staff { id }`;

async function propose(input: Record<string, unknown>): Promise<PenaltyView> {
  const r = await sys.gql<{ proposePenalty: { penalty: PenaltyView } }>(
    `mutation($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { ${PENALTY} } } }`,
    { input },
    MANAGER,
    'mgr-1',
  );
  expect(r.errors).toBeUndefined();
  return r.data!.proposePenalty.penalty;
}

it('R-PN-2 the month escalation: 2 points a violation, 5 from the 5th; role doubling; the team lead carries it without a culprit', async () => {
  const month = new Date(Date.now() - 60_000);
  const seen: [number | null, number, number][] = [];
  for (let n = 1; n <= 6; n++) {
    const p = await propose({
      ruleCode: 'VIOLATION',
      staffId: violator,
      occurredAt: new Date(month.getTime() + n).toISOString(),
    });
    seen.push([p.nthViolation, p.points, p.amountFen]);
  }
  // 1 point = 2 yuan = 200 fen.
  expect(seen).toEqual([
    [1, -2, -400],
    [2, -2, -400],
    [3, -2, -400],
    [4, -2, -400],
    [5, -5, -1000],
    [6, -5, -1000],
  ]);
  // Late archive handover, 50 yuan; a sales advisor pays double from the 2nd in the month.
  const first = await propose({
    ruleCode: 'ARCHIVE_HANDOVER_LATE',
    staffId: advisor,
    reference: 'VIN-1',
    sourceRef: 'VIN-1',
  });
  const second = await propose({
    ruleCode: 'ARCHIVE_HANDOVER_LATE',
    staffId: advisor,
    reference: 'VIN-2',
    sourceRef: 'VIN-2',
  });
  expect([first.amountFen, second.amountFen]).toEqual([-5000, -10000]);
  // Proposing the same handover again is harmless.
  expect(
    (await propose({ ruleCode: 'ARCHIVE_HANDOVER_LATE', staffId: advisor, sourceRef: 'VIN-2' })).id,
  ).toBe(second.id);
  // No direct culprit: the technician's team lead carries it.
  const lead = await propose({ ruleCode: 'VIOLATION', staffId: technician, culpritKnown: false });
  expect(lead.staff.id).toBe(teamLead);

  // R-PN-3 lifecycle: a manager confirms, the staff member appeals, another manager decides.
  const [line] = (
    await sys.gql<{ penalties: { nodes: PenaltyView[] } }>(
      `query($s: ID!) { penalties(staffId: $s) { nodes { ${PENALTY} } } }`,
      { s: violator },
      ['technician'],
      violator,
    )
  ).data!.penalties.nodes;
  const decide = (m: string, roles: Role[], user: string) =>
    sys.gql<Record<string, { penalty: PenaltyView }>>(
      `mutation($id: ID!) { ${m} { penalty { status } } }`,
      { id: line!.id },
      roles,
      user,
    );
  expect(
    (await decide('confirmPenalty(input: { penaltyId: $id })', MANAGER, 'mgr-1')).data,
  ).toEqual({
    confirmPenalty: { penalty: { status: 'CONFIRMED' } },
  });
  expect(
    (
      await decide(
        'appealPenalty(input: { penaltyId: $id, reason: "I was on leave" })',
        ['technician'],
        'someone-else',
      )
    ).errors?.[0]?.extensions?.code,
  ).toBe('FORBIDDEN');
  expect(
    (
      await decide(
        'appealPenalty(input: { penaltyId: $id, reason: "I was on leave" })',
        ['technician'],
        violator,
      )
    ).data,
  ).toEqual({ appealPenalty: { penalty: { status: 'APPEALED' } } });
  expect(
    (
      await decide(
        'voidPenalty(input: { penaltyId: $id, reason: "leave confirmed" })',
        MANAGER,
        'mgr-2',
      )
    ).data,
  ).toEqual({ voidPenalty: { penalty: { status: 'VOID' } } });
  // Staff see only their own lines.
  const others = await sys.gql(
    `query($s: ID!) { penalties(staffId: $s) { nodes { id } } }`,
    { s: advisor },
    ['technician'],
    violator,
  );
  expect(others.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

it('R-PN-1 an SLA breach proposes exactly one penalty, even when the event is delivered twice', async () => {
  const { customerId, assetId } = await customerWithAsset('Slow Shi', '13812346666', 'CP-6');
  // Called in three days ago, dispatched only now: answer and arrival are both late.
  const workOrderId = await workOrderFor(
    customerId,
    assetId,
    new Date(Date.now() - 3 * 86_400_000),
  );
  // The real SLA scheduler: a work-order replica with it switched on, sharing the database.
  const replica = await startWorkOrderService(
    loadWorkOrderConfig({
      ...sys.workorderEnv.env,
      MIGRATE_ON_START: 'false',
      SLA_SCHEDULER: 'true',
      SLA_SCAN_INTERVAL_MS: '1000',
    }),
    { overrides: { relayPollIntervalMs: 100 } },
  );
  try {
    const breaches = await eventually(
      async () =>
        (await streamEvents(sys.subjectPrefix, 'workorder')).filter(
          (e) => e.type === 'workorder.sla_breached' && e.subject === workOrderId,
        ),
      (es) => es.length >= 2,
    );
    expect(breaches.map((e) => workOrderSlaBreached.parse(e.data).technicianIds)).toEqual([
      [technician],
      [technician],
    ]);
    const slaPenalties = async () =>
      (
        await sys.gql<{
          penalties: { nodes: (PenaltyView & { source: string; reference: string })[] };
        }>(
          `query($s: ID!) { penalties(staffId: $s) { nodes { ${PENALTY} source reference } } }`,
          { s: technician },
          MANAGER,
          'mgr-1',
        )
      ).data!.penalties.nodes.filter(
        (p) => p.source === 'SLA_BREACH' && p.reference === workOrderId,
      );
    await eventually(slaPenalties, (ps) => ps.length >= 2);
    // Deliver the same breach again: the same envelope under a new message id, and the same fact
    // under a new event id (as a producer retrying after a lost commit would).
    const again = breaches[0]! as unknown as TestEnvelope;
    await publishEnvelope(sys.subjectPrefix, again, uuidv7());
    await publishEnvelope(sys.subjectPrefix, { ...again, id: uuidv7() });
    await new Promise((r) => setTimeout(r, 2500));
    const found = await slaPenalties();
    expect(found).toHaveLength(2);
    expect(found.every((p) => p.status === 'PROPOSED' && p.staff.id === technician)).toBe(true);
  } finally {
    await replica.stop();
  }
});

it('R-PN-2 a founded complaint with nobody named falls on the team lead; a repeated complaint doubles the penalty', async () => {
  const { customerId, assetId } = await customerWithAsset('Again Gao', '13812345555', 'CP-7');
  const workOrderId = await workOrderFor(customerId, assetId);
  const input = {
    complainant: { name: 'Again Gao', phone: '13812345555' },
    customerId,
    workOrderId,
    channel: 'PHONE',
    category: 'REPAIR_QUALITY',
    content: 'the noise is back',
  };
  const investigate = async (id: string, responsibleStaffIds: string[]) => {
    for (const [m, vars] of [
      [`($id: ID!) { classifyComplaint(input: { complaintId: $id }) { complaint {`, {}],
      [
        `($id: ID!, $h: ID!) { assignComplaint(input: { complaintId: $id, handlerId: $h }) { complaint {`,
        { h: handler },
      ],
      [
        `($id: ID!, $r: ComplaintInvestigationInput!) { submitComplaintInvestigation(input: { complaintId: $id, report: $r }) { complaint {`,
        {
          r: {
            cause: 'bearing not replaced',
            course: 'repair skipped a step',
            responsibleStaffIds,
            conclusion: 'founded',
            countermeasure: 'checklist',
            serviceCaused: true,
          },
        },
      ],
    ] as const) {
      await step(m, { id, ...vars }, CR, 'cr-3');
    }
    const r = await sys.gql<{
      complaint: {
        majorReasons: string[];
        penalties: { staff: { id: string }; points: number; explanation: string[] }[];
      };
    }>(
      `query($id: ID!) { complaint(id: $id) { majorReasons penalties { staff { id } points explanation } } }`,
      { id },
      MANAGER,
      'mgr-1',
    );
    expect(r.errors).toBeUndefined();
    return r.data!.complaint;
  };
  const first = await investigate((await register(input)).id, []);
  // Nobody named: the lead technician's team lead carries it.
  expect(first.penalties.map((p) => p.staff.id)).toEqual([teamLead]);
  expect(first.penalties[0]!.explanation).toContain('no direct culprit: the team lead carries it');
  // The same customer on the same matter again: a repeat (major), and the penalty doubles.
  const second = await investigate((await register(input)).id, [technician]);
  expect(second.majorReasons).toEqual(['REPEAT']);
  expect(second.penalties).toHaveLength(1);
  const [doubled] = second.penalties;
  expect(doubled!.staff.id).toBe(technician);
  expect(
    doubled!.explanation.some((l) => l.startsWith('repeated complaint on the same issue')),
  ).toBe(true);
  expect(doubled!.points === -4 || doubled!.points === -10).toBe(true);
});
