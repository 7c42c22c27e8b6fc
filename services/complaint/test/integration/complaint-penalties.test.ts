import { uuidv7 } from '@aftercare/kit';
import { dbQuery, subgraphData } from '@aftercare/testkit';
import { complaintGraph, createCustomer, manager, servicesForThisFile, upsertStaff } from './setup';

// R-PN-1 "complaint findings" through the real workflow, work-order roster and database: who
// carries a substantiated complaint when the investigation names no direct culprit (R-PN-2).
const s = servicesForThisFile('cp-findings');
let customerId: string;
beforeAll(async () => {
  customerId = await createCustomer(s, 'Finding Customer', '13800007777');
});

/** An internal job dispatched to `technicianId` (on the roster). */
async function dispatchedWorkOrder(technicianId: string): Promise<string> {
  const { registerWorkOrder } = await subgraphData<{
    registerWorkOrder: { workOrder: { id: string } };
  }>(
    s.workorder.httpPort,
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        contact: { name: 'F', phone: '13800007777' },
        address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
        areaType: 'URBAN',
        distanceKm: 2,
        faultDescription: 'door rattles',
        category: 'MECHANICAL',
        channel: 'PHONE',
        internalKind: 'INSPECTION',
      },
    },
    manager,
  );
  const id = registerWorkOrder.workOrder.id;
  await subgraphData(
    s.workorder.httpPort,
    `mutation($id: ID!, $t: ID!) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: [$t] }) { workOrder { id } } }`,
    { id, t: technicianId },
    manager,
  );
  return id;
}

/** Registered, classified, assigned and investigated as service-caused with nobody named. */
async function investigatedWithoutCulprit(input: object): Promise<string> {
  const {
    registerComplaint: { complaint: registered },
  } = await complaintGraph<{
    registerComplaint: { complaint: { id: string } };
  }>(
    s,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
    {
      input: {
        complainant: { name: 'F', phone: '13800007777' },
        customerId,
        channel: 'PHONE',
        category: 'REPAIR_QUALITY',
        content: 'the door still rattles',
        ...input,
      },
    },
    manager,
  );
  const id = registered.id;
  const step = (mutation: string, vars: object = {}) =>
    complaintGraph(
      s,
      `mutation($id: ID!) { ${mutation} { complaint { id } } }`,
      { id, ...vars },
      manager,
    );
  await step('classifyComplaint(input: { complaintId: $id })');
  await step(`assignComplaint(input: { complaintId: $id, handlerId: "handler-${uuidv7()}" })`);
  await complaintGraph(
    s,
    `mutation($id: ID!, $report: ComplaintInvestigationInput!) { submitComplaintInvestigation(input: { complaintId: $id, report: $report }) { complaint { id } } }`,
    {
      id,
      report: {
        cause: 'loose hinge',
        course: 'fitted without torque check',
        conclusion: 'workmanship',
        countermeasure: 'torque check list',
        serviceCaused: true,
      },
    },
    manager,
  );
  return id;
}

const penaltiesOf = (reference: string) =>
  dbQuery<{ staff_id: string; rule_code: string; points: number }>(
    s.complaintEnv.env.DATABASE_URL!,
    'SELECT staff_id, rule_code, points FROM penalty WHERE reference = $1',
    [reference],
  );

it("R-PN-2 no direct culprit: the team lead of the work order's technician carries the complaint penalty", async () => {
  const lead = `lead-${uuidv7()}`;
  const tech = `tech-${uuidv7()}`;
  await upsertStaff(s, { id: lead, name: 'Lead' });
  await upsertStaff(s, { id: tech, name: 'Tech', teamLeadId: lead });
  const workOrderId = await dispatchedWorkOrder(tech);
  const id = await investigatedWithoutCulprit({ workOrderId });
  expect(await penaltiesOf(id)).toEqual([
    { staff_id: lead, rule_code: 'COMPLAINT_SUBSTANTIATED', points: -2 },
  ]);
});

it('R-PN-2 no direct culprit and no work order: the team lead of the person the complaint is about carries it', async () => {
  const lead = `lead-${uuidv7()}`;
  const advisor = `advisor-${uuidv7()}`;
  await upsertStaff(s, { id: lead, name: 'Lead' });
  await upsertStaff(s, { id: advisor, name: 'Advisor', teamLeadId: lead });
  // Another category, so it does not repeat the first test's complaint (that would double it).
  const id = await investigatedWithoutCulprit({
    aboutStaffIds: [advisor],
    category: 'SERVICE_ATTITUDE',
  });
  expect(await penaltiesOf(id)).toEqual([
    { staff_id: lead, rule_code: 'COMPLAINT_SUBSTANTIATED', points: -2 },
  ]);
});

it('R-PN-2 no direct culprit and no team lead on the roster: the investigation is still recorded, the penalty left to a manager', async () => {
  const loner = `tech-${uuidv7()}`;
  await upsertStaff(s, { id: loner, name: 'Loner' });
  const workOrderId = await dispatchedWorkOrder(loner);
  const id = await investigatedWithoutCulprit({ workOrderId });
  const { complaint } = await complaintGraph<{
    complaint: { status: string; history: { action: string; details: string | null }[] };
  }>(
    s,
    `query($id: ID!) { complaint(id: $id) { status history { action details } } }`,
    { id },
    manager,
  );
  expect(complaint.status).toBe('INVESTIGATED');
  const investigated = complaint.history.find((h) => h.action === 'investigate');
  expect(JSON.parse(investigated!.details!)).toMatchObject({
    penaltiesProposed: [],
    penaltyWithoutCarrier: loner,
  });
  expect(await penaltiesOf(id)).toEqual([]);
});

it('R-CO-2 the work queue: complaints filter by open / closed, category and channel, newest first; the handler is a Staff', async () => {
  // This customer's three complaints above are open (investigated); one more is answered as invalid.
  const {
    registerComplaint: { complaint: registered },
  } = await complaintGraph<{
    registerComplaint: { complaint: { id: string } };
  }>(
    s,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
    {
      input: {
        complainant: { name: 'F', phone: '13800007777' },
        customerId,
        channel: 'WEB',
        category: 'SUGGESTION',
        content: 'longer opening hours',
      },
    },
    manager,
  );
  await complaintGraph(
    s,
    `mutation($id: ID!) { invalidateComplaint(input: { complaintId: $id, reason: "a suggestion, passed on" }) { complaint { id } } }`,
    { id: registered.id },
    manager,
  );
  type Page = {
    complaints: {
      totalCount: number;
      nodes: { id: string; category: string; channel: string; handler: { id: string } | null }[];
    };
  };
  const list = async (filter: string) =>
    (
      await complaintGraph<Page>(
        s,
        `query($c: ID!) { complaints(customerId: $c, ${filter}) { totalCount nodes { id category channel handler { id } } } }`,
        { c: customerId },
        manager,
      )
    ).complaints;
  const open = await list('open: true');
  expect(open.totalCount).toBe(3);
  expect(open.nodes.every((c) => c.handler?.id.startsWith('handler-'))).toBe(true);
  expect(await list('open: false')).toEqual({
    totalCount: 1,
    nodes: [{ id: registered.id, category: 'SUGGESTION', channel: 'WEB', handler: null }],
  });
  expect((await list('category: SERVICE_ATTITUDE')).totalCount).toBe(1);
  expect((await list('channel: WEB, open: true')).totalCount).toBe(0);
});

it('lists complaints with every nested field in a fixed number of SQL statements (batched, no N+1)', async () => {
  const QUERY = `query($c: ID!, $first: Int) { complaints(customerId: $c, first: $first) { nodes {
    id allowedActions repeatOf { id } handler { id } owner: improvementActions { owner { id } }
    deadlines { closureDueAt overdueKinds noticesSent } penalties { id rule { code } recountOf { id } }
    history { action } } } }`;
  const connection = s.deps.orm.em.getConnection();
  const statementsFor = async (first: number) => {
    const execute = jest.spyOn(connection, 'execute');
    try {
      const { complaints } = await complaintGraph<{ complaints: { nodes: unknown[] } }>(
        s,
        QUERY,
        { c: customerId, first },
        manager,
      );
      expect(complaints.nodes).toHaveLength(first);
      return execute.mock.calls.length;
    } finally {
      execute.mockRestore();
    }
  };
  // Newest first: the invalid suggestion, the loner's (no penalty), then two with a penalty each,
  // so the first three and all four touch the same kinds of data; one more row, no more statements.
  const three = await statementsFor(3);
  expect(await statementsFor(4)).toBe(three);
  expect(three).toBeLessThanOrEqual(10);
});

it("issue 13: a customer's complaints page on from the batched first page with the same order and cursors as the root list", async () => {
  const ENTITY = `query($r: [_Any!]!, $after: String) { _entities(representations: $r) {
    ... on Customer { complaints(first: 2, after: $after) {
      totalCount nodes { id } pageInfo { hasNextPage endCursor } } } } }`;
  type Entities = {
    _entities: {
      complaints: {
        totalCount: number;
        nodes: { id: string }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    }[];
  };
  const r = [{ __typename: 'Customer', id: customerId }];
  const page = async (after: string | null) =>
    (await complaintGraph<Entities>(s, ENTITY, { r, after }, manager))._entities[0]!.complaints;
  const { complaints: all } = await complaintGraph<{ complaints: { nodes: { id: string }[] } }>(
    s,
    `query($c: ID!) { complaints(customerId: $c, first: 100) { nodes { id } } }`,
    { c: customerId },
    manager,
  );
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const p = await page(after);
    expect(p.totalCount).toBe(all.nodes.length);
    seen.push(...p.nodes.map((c) => c.id));
    if (!p.pageInfo.hasNextPage) break;
    after = p.pageInfo.endCursor;
  }
  expect(all.nodes.length).toBeGreaterThan(2);
  expect(seen).toEqual(all.nodes.map((c) => c.id));
});
