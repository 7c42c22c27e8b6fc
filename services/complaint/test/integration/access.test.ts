import { type Identity, uuidv7 } from '@aftercare/kit';
import {
  anonymousSubgraphRequest,
  rootFieldNames,
  rowCount,
  subgraphRequest,
} from '@aftercare/testkit';
import { SCHEMA_PATH } from '../../src/service';
import { type Services, startServices } from './setup';

// Every GraphQL operation of the complaint subgraph checks who calls: the auditor reads only, and
// nobody unauthenticated reads or writes anything. The lists are checked against the schema, so a
// new field cannot be added without being listed (and so checked) here.
let s: Services;
beforeAll(async () => {
  s = await startServices('cp-access');
});
afterAll(async () => {
  await s?.stop();
});

const ID = uuidv7();
const MUTATIONS: Record<string, string> = {
  registerComplaint: `registerComplaint(input: { complainant: { name: "a" }, customerId: "${ID}", channel: PHONE, category: SUGGESTION, content: "x" }) { id }`,
  classifyComplaint: `classifyComplaint(id: "${ID}") { id }`,
  invalidateComplaint: `invalidateComplaint(id: "${ID}", reason: "r") { id }`,
  assignComplaint: `assignComplaint(id: "${ID}", handlerId: "h") { id }`,
  submitComplaintInvestigation: `submitComplaintInvestigation(id: "${ID}", report: { cause: "c", course: "c", conclusion: "c", countermeasure: "c", serviceCaused: true }) { id }`,
  proposeComplaintSolution: `proposeComplaintSolution(id: "${ID}", solution: "s") { id }`,
  approveComplaintSolution: `approveComplaintSolution(id: "${ID}") { id }`,
  rejectComplaintSolution: `rejectComplaintSolution(id: "${ID}", reason: "r") { id }`,
  notifyComplaintCustomer: `notifyComplaintCustomer(id: "${ID}") { id }`,
  closeComplaint: `closeComplaint(id: "${ID}", satisfaction: SATISFIED) { id }`,
  addComplaintImprovementAction: `addComplaintImprovementAction(id: "${ID}", action: { description: "d", ownerId: "o", dueDate: "2026-12-01" }) { id }`,
  completeComplaintImprovementAction: `completeComplaintImprovementAction(id: "${ID}", actionId: "${ID}") { id }`,
  updateComplaintPolicy: `updateComplaintPolicy(input: {}) { updatedAt }`,
  upsertPenaltyRule: `upsertPenaltyRule(input: { code: "X", description: "d", points: 1, source: INSPECTION }) { code }`,
  proposePenalty: `proposePenalty(input: { ruleCode: "VIOLATION", staffId: "s" }) { id }`,
  confirmPenalty: `confirmPenalty(id: "${ID}") { id }`,
  appealPenalty: `appealPenalty(id: "${ID}", reason: "r") { id }`,
  upholdPenalty: `upholdPenalty(id: "${ID}") { id }`,
  voidPenalty: `voidPenalty(id: "${ID}", reason: "r") { id }`,
  markPenaltyCorrected: `markPenaltyCorrected(id: "${ID}") { id }`,
};
const QUERIES: Record<string, string> = {
  complaint: `complaint(id: "${ID}") { id }`,
  complaints: `complaints { total }`,
  complaintReport: `complaintReport(month: "2026-11") { total }`,
  complaintKpis: `complaintKpis(from: "2026-11-01", to: "2026-11-30") { from }`,
  penalty: `penalty(id: "${ID}") { id }`,
  penalties: `penalties { total }`,
  penaltyRules: `penaltyRules { code }`,
  complaintPolicy: `complaintPolicy { updatedAt }`,
  penaltyPayroll: `penaltyPayroll(month: "2026-11") { netFen }`,
};

const rootFields = (type: 'Query' | 'Mutation') => rootFieldNames(SCHEMA_PATH, type);
const anonymous = (query: string) => anonymousSubgraphRequest(s.complaint.httpPort, query);

const tables = ['complaint', 'complaint_history', 'penalty', 'penalty_rule', 'complaint_policy'];
const counts = () => Promise.all(tables.map((t) => rowCount(s.complaintEnv.env.DATABASE_URL!, t)));

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
