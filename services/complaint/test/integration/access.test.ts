import { type Identity, uuidv7 } from '@aftercare/kit';
import { complaintV1 } from '@aftercare/proto';
import {
  allRootFieldProbes,
  anonymousSubgraphRequest,
  declaredRoleRefusals,
  grpcOutsiderCodes,
  outsiderCodes,
  PROBE_ID,
  rootFieldNames,
  rowCounts,
  subgraphRequest,
} from '@aftercare/testkit';
import { moveComplaint } from '../../src/app/complaints';
import { decidePenalty } from '../../src/app/penalties';
import { SCHEMA_PATH } from '../../src/service';
import { COMPLAINT_GRPC_ROLES } from '../../src/grpc/handlers';
import { complaintGraph, createCustomer, manager, servicesForThisFile } from './setup';

// Every GraphQL operation of the complaint subgraph checks who calls: the auditor reads only, and
// nobody unauthenticated reads or writes anything. The lists are checked against the schema, so a
// new field cannot be added without being listed (and so checked) here.
const s = servicesForThisFile('cp-access');

const ID = uuidv7();
const MUTATIONS: Record<string, string> = {
  registerComplaint: `registerComplaint(input: { complainant: { name: "a" }, customerId: "${ID}", channel: PHONE, category: SUGGESTION, content: "x" }) { complaint { id } }`,
  classifyComplaint: `classifyComplaint(input: { complaintId: "${ID}" }) { complaint { id } }`,
  invalidateComplaint: `invalidateComplaint(input: { complaintId: "${ID}", reason: "r" }) { complaint { id } }`,
  assignComplaint: `assignComplaint(input: { complaintId: "${ID}", handlerId: "h" }) { complaint { id } }`,
  submitComplaintInvestigation: `submitComplaintInvestigation(input: { complaintId: "${ID}", report: { cause: "c", course: "c", conclusion: "c", countermeasure: "c", serviceCaused: true } }) { complaint { id } }`,
  proposeComplaintSolution: `proposeComplaintSolution(input: { complaintId: "${ID}", solution: "s" }) { complaint { id } }`,
  approveComplaintSolution: `approveComplaintSolution(input: { complaintId: "${ID}" }) { complaint { id } }`,
  rejectComplaintSolution: `rejectComplaintSolution(input: { complaintId: "${ID}", reason: "r" }) { complaint { id } }`,
  notifyComplaintCustomer: `notifyComplaintCustomer(input: { complaintId: "${ID}" }) { complaint { id } }`,
  closeComplaint: `closeComplaint(input: { complaintId: "${ID}", satisfaction: SATISFIED }) { complaint { id } }`,
  addComplaintImprovementAction: `addComplaintImprovementAction(input: { complaintId: "${ID}", action: { description: "d", ownerId: "o", dueDate: "2026-12-01" } }) { complaint { id } }`,
  completeComplaintImprovementAction: `completeComplaintImprovementAction(input: { complaintId: "${ID}", actionId: "${ID}" }) { complaint { id } }`,
  updateComplaintPolicy: `updateComplaintPolicy(input: {}) { policy { updatedAt } }`,
  upsertPenaltyRule: `upsertPenaltyRule(input: { code: "X", description: "d", points: 1, source: INSPECTION }) { rule { code } }`,
  proposePenalty: `proposePenalty(input: { ruleCode: "VIOLATION", staffId: "s" }) { penalty { id } }`,
  confirmPenalty: `confirmPenalty(input: { penaltyId: "${ID}" }) { penalty { id } }`,
  appealPenalty: `appealPenalty(input: { penaltyId: "${ID}", reason: "r" }) { penalty { id } }`,
  upholdPenalty: `upholdPenalty(input: { penaltyId: "${ID}" }) { penalty { id } }`,
  voidPenalty: `voidPenalty(input: { penaltyId: "${ID}", reason: "r" }) { penalty { id } }`,
  markPenaltyCorrected: `markPenaltyCorrected(input: { penaltyId: "${ID}" }) { penalty { id } }`,
};
const QUERIES: Record<string, string> = {
  complaint: `complaint(id: "${ID}") { id }`,
  complaints: `complaints { totalCount }`,
  complaintReport: `complaintReport(month: "2026-11") { total }`,
  complaintKpis: `complaintKpis(from: "2026-11-01", to: "2026-11-30") { from }`,
  penalty: `penalty(id: "${ID}") { id }`,
  penalties: `penalties { totalCount }`,
  penaltyRules: `penaltyRules { code }`,
  complaintPolicy: `complaintPolicy { updatedAt }`,
  penaltyPayroll: `penaltyPayroll(month: "2026-11") { netFen }`,
};

const rootFields = (type: 'Query' | 'Mutation') => rootFieldNames(SCHEMA_PATH, type);
const anonymous = (query: string) => anonymousSubgraphRequest(s.complaint.httpPort, query);

const tables = ['complaint', 'complaint_history', 'penalty', 'penalty_rule', 'complaint_policy'];
const counts = () => rowCounts(s.complaintEnv.env.DATABASE_URL!, tables);

it('every mutation is refused to the auditor (read-only) and to an anonymous caller, writing nothing', async () => {
  expect(Object.keys(MUTATIONS).sort()).toEqual(rootFields('Mutation'));
  const before = await counts();
  const auditor: Identity = { userId: 'aud-1', roles: ['auditor'] };
  for (const [name, field] of Object.entries(MUTATIONS)) {
    const asAuditor = await subgraphRequest(
      s.complaint.httpPort,
      `mutation { ${field} }`,
      {},
      auditor,
    );
    expect([name, asAuditor.errors?.[0]?.extensions?.code]).toEqual([name, 'FORBIDDEN']);
    const asNobody = await anonymous(`mutation { ${field} }`);
    expect([name, asNobody.errors?.[0]?.extensions?.code]).toEqual([name, 'UNAUTHENTICATED']);
  }
  expect(await counts()).toEqual(before);
});

it('every query is refused to an anonymous caller; the reports to staff outside their readers', async () => {
  expect(Object.keys(QUERIES).sort()).toEqual(rootFields('Query'));
  for (const [name, field] of Object.entries(QUERIES)) {
    const res = await anonymous(`{ ${field} }`);
    expect([name, res.errors?.[0]?.extensions?.code]).toEqual([name, 'UNAUTHENTICATED']);
  }
  const warehouse: Identity = { userId: 'wh-1', roles: ['warehouse'] };
  for (const name of ['complaintReport', 'complaintKpis', 'penaltyPayroll']) {
    const res = await subgraphRequest(s.complaint.httpPort, `{ ${QUERIES[name]} }`, {}, warehouse);
    expect([name, res.errors?.[0]?.extensions?.code]).toEqual([name, 'FORBIDDEN']);
  }
});

it('every root field refuses a caller holding none of the roles it declares (@access), writing nothing', async () => {
  const before = await counts();
  const codes = await outsiderCodes(s.complaint.httpPort, allRootFieldProbes(SCHEMA_PATH));
  expect(codes).toEqual(codes.map(([field]) => [field, 'FORBIDDEN']));
  expect(await counts()).toEqual(before);
});

it('every role a root field declares gets past the role checks of its use case (docs/access.md promises nothing the code refuses)', async () => {
  // Staff outside the report readers see their own complaint KPIs only, asked for by their id.
  const probes = allRootFieldProbes(SCHEMA_PATH).map((p) =>
    p.field === 'complaintKpis'
      ? { ...p, operation: p.operation.replace('(', `(technicianId: "${PROBE_ID}", `) }
      : p,
  );
  expect(await declaredRoleRefusals(s.complaint.httpPort, probes)).toEqual([]);
});

const technician: Identity = { userId: uuidv7(), roles: ['technician'] };
const warehouse: Identity = { userId: uuidv7(), roles: ['warehouse'] };
const codeOf = async (mutation: string, variables: object, caller: Identity) =>
  (
    await subgraphRequest(
      s.complaint.httpPort,
      `mutation($id: ID!) { ${mutation} }`,
      variables,
      caller,
    )
  ).errors?.[0]?.extensions?.code;

async function complaintIn(step: 'RECORDED' | 'CLASSIFIED' | 'CLOSED_INVALID'): Promise<string> {
  const customerId = await createCustomer(s, 'Access Complainant', '13800005555');
  const {
    registerComplaint: { complaint },
  } = await complaintGraph<{
    registerComplaint: { complaint: { id: string } };
  }>(
    s,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
    {
      input: {
        complainant: { name: 'A', phone: '13800005555' },
        customerId,
        channel: 'PHONE',
        category: 'SERVICE_ATTITUDE',
        content: 'nobody called back',
      },
    },
    manager,
  );
  const id = complaint.id;
  if (step === 'CLASSIFIED')
    await complaintGraph(
      s,
      `mutation($id: ID!) { classifyComplaint(input: { complaintId: $id }) { complaint { id } } }`,
      { id },
      manager,
    );
  if (step === 'CLOSED_INVALID')
    await complaintGraph(
      s,
      `mutation($id: ID!) { invalidateComplaint(input: { complaintId: $id, reason: "not ours" }) { complaint { id } } }`,
      { id },
      manager,
    );
  return id;
}

it('R-CO-2 a step the caller may not take is refused before the complaint is looked up: FORBIDDEN in any state, never CONFLICT', async () => {
  const recorded = await complaintIn('RECORDED');
  const classified = await complaintIn('CLASSIFIED');
  const invalid = await complaintIn('CLOSED_INVALID');
  const action = `action: { description: "d", ownerId: "o", dueDate: "2026-12-01" }`;
  // Each in a state where the step is illegal (CONFLICT to customer relations); a technician only
  // ever steers nothing, so the state must not show through.
  const steps: [string, string][] = [
    ['classifyComplaint(input: { complaintId: $id }) { complaint { id } }', classified],
    [
      'invalidateComplaint(input: { complaintId: $id, reason: "r" }) { complaint { id } }',
      classified,
    ],
    ['assignComplaint(input: { complaintId: $id, handlerId: "h" }) { complaint { id } }', invalid],
    ['notifyComplaintCustomer(input: { complaintId: $id }) { complaint { id } }', recorded],
    [
      'closeComplaint(input: { complaintId: $id, satisfaction: SATISFIED }) { complaint { id } }',
      recorded,
    ],
    [
      `addComplaintImprovementAction(input: { complaintId: $id, ${action} }) { complaint { id } }`,
      recorded,
    ],
  ];
  for (const [step, id] of steps) {
    expect([step, await codeOf(step, { id }, manager)]).toEqual([step, 'CONFLICT']);
    expect([step, await codeOf(step, { id }, technician)]).toEqual([step, 'FORBIDDEN']);
    expect([step, await codeOf(step, { id: uuidv7() }, technician)]).toEqual([step, 'FORBIDDEN']);
  }
  // The same order in the use case, for callers other than the GraphQL edge.
  await expect(
    moveComplaint(s.deps, technician, classified, { type: 'classify' }),
  ).rejects.toMatchObject({
    code: 'PERMISSION_DENIED',
  });
});

it('R-CO-2 handler steps on a complaint the caller may not read are NOT_FOUND, as for an unknown one, never CONFLICT', async () => {
  const classified = await complaintIn('CLASSIFIED');
  // Anyone may be the assigned handler, so the role passes; the warehouse clerk is not this one's.
  const steps = [
    'submitComplaintInvestigation(input: { complaintId: $id, report: { cause: "c", course: "c", conclusion: "c", countermeasure: "c", serviceCaused: true } }) { complaint { id } }',
    'proposeComplaintSolution(input: { complaintId: $id, solution: "s" }) { complaint { id } }',
    'approveComplaintSolution(input: { complaintId: $id }) { complaint { id } }',
    'rejectComplaintSolution(input: { complaintId: $id, reason: "r" }) { complaint { id } }',
    `completeComplaintImprovementAction(input: { complaintId: $id, actionId: "${uuidv7()}" }) { complaint { id } }`,
  ];
  for (const step of steps) {
    expect([step, await codeOf(step, { id: classified }, manager)]).toEqual([step, 'CONFLICT']);
    expect([step, await codeOf(step, { id: classified }, warehouse)]).toEqual([step, 'NOT_FOUND']);
    expect([step, await codeOf(step, { id: uuidv7() }, warehouse)]).toEqual([step, 'NOT_FOUND']);
  }
});

it('R-PN-3 a ledger decision is refused before the line is looked up, and staff are refused any line but their own alike, whatever its state', async () => {
  const staffId = uuidv7();
  const {
    proposePenalty: { penalty },
  } = await complaintGraph<{
    proposePenalty: { penalty: { id: string } };
  }>(
    s,
    `mutation($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { id } } }`,
    { input: { ruleCode: 'VIOLATION', staffId } },
    manager,
  );
  const id = penalty.id;
  // PROPOSED: upholding is illegal and appealing too early (CONFLICT to those who may).
  expect(
    await codeOf('upholdPenalty(input: { penaltyId: $id }) { penalty { id } }', { id }, manager),
  ).toBe('CONFLICT');
  const owner: Identity = { userId: staffId, roles: ['technician'] };
  expect(
    await codeOf(
      'appealPenalty(input: { penaltyId: $id, reason: "r" }) { penalty { id } }',
      { id },
      owner,
    ),
  ).toBe('CONFLICT');
  for (const target of [id, uuidv7()]) {
    for (const step of [
      'confirmPenalty(input: { penaltyId: $id }) { penalty { id } }',
      'upholdPenalty(input: { penaltyId: $id }) { penalty { id } }',
      'voidPenalty(input: { penaltyId: $id, reason: "r" }) { penalty { id } }',
    ]) {
      expect([step, await codeOf(step, { id: target }, technician)]).toEqual([step, 'FORBIDDEN']);
    }
    const appeal = 'appealPenalty(input: { penaltyId: $id, reason: "r" }) { penalty { id } }';
    expect([appeal, await codeOf(appeal, { id: target }, technician)]).toEqual([
      appeal,
      'FORBIDDEN',
    ]);
  }
  await expect(decidePenalty(s.deps, technician, id, { type: 'uphold' })).rejects.toMatchObject({
    code: 'PERMISSION_DENIED',
  });
  await expect(
    decidePenalty(s.deps, technician, id, { type: 'appeal', reason: 'r' }),
  ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
});

it('every gRPC method refuses a caller holding none of its roles before looking at the request (an empty one here)', async () => {
  const codes = await grpcOutsiderCodes(
    complaintV1.ComplaintServiceClient,
    `127.0.0.1:${s.complaint.grpcPort}`,
    COMPLAINT_GRPC_ROLES,
  );
  expect(codes.length).toBeGreaterThan(0);
  expect(codes).toEqual(codes.map(([method]) => [method, 'PERMISSION_DENIED']));
});
