import { type Identity, uuidv7 } from '@aftercare/kit';
import { surveyV1 } from '@aftercare/proto';
import {
  anonymousSubgraphRequest,
  declaredRoleRefusals,
  grpcOutsiderCodes,
  outsiderCodes,
  rootFieldNames,
  rootFieldProbes,
  rowCount,
  subgraphRequest,
  type TestServiceEnv,
  testServiceEnv,
} from '@aftercare/testkit';
import { loadSurveyConfig, startSurveyService } from '../../src';
import { SURVEY_GRPC_ROLES } from '../../src/grpc/handlers';
import { SCHEMA_PATH } from '../../src/service';

// Every GraphQL operation of the survey subgraph checks who calls: the auditor reads only, and
// nobody unauthenticated reads or writes anything — except the two public link fields, where the
// token is the credential (a caller without a valid token gets nothing and writes nothing). The
// lists are checked against the schema, so a new field cannot be added without being listed here.
let env: TestServiceEnv;
let survey: Awaited<ReturnType<typeof startSurveyService>>;

beforeAll(async () => {
  env = await testServiceEnv('survey-access', {
    CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1',
    REMINDER_SCHEDULER: 'false',
  });
  survey = await startSurveyService(loadSurveyConfig(env.env));
});
afterAll(async () => {
  await survey?.stop();
  await env?.cleanup();
});

const ID = uuidv7();
const ANSWERS = `answers: [{ item: "attitude", level: SATISFIED }]`;
const MUTATIONS: Record<string, string> = {
  answerSurvey: `answerSurvey(input: { surveyId: "${ID}", ${ANSWERS} }) { survey { id } }`,
  issueSurveyLink: `issueSurveyLink(input: { surveyId: "${ID}" }) { token }`,
  recordFollowUpCall: `recordFollowUpCall(input: { followUpId: "${ID}", outcome: REACHED }) { followUp { id } }`,
  upsertSurveyTemplate: `upsertSurveyTemplate(input: { code: "X", name: "n", items: [{ key: "k", label: "l" }] }) { template { code } }`,
  createCustomerActivity: `createCustomerActivity(input: { name: "n", date: "2026-12-01" }) { activity { id } }`,
};
/** Public: authorised by the link's token, not by a role. */
const PUBLIC_MUTATIONS: Record<string, string> = {
  answerSurveyByToken: `answerSurveyByToken(input: { token: "not-a-token", ${ANSWERS} }) { recorded }`,
};
const QUERIES: Record<string, string> = {
  survey: `survey(id: "${ID}") { id }`,
  surveyTemplates: `surveyTemplates { code }`,
  followUpCallList: `followUpCallList { totalCount }`,
  reminders: `reminders { totalCount }`,
  satisfactionRate: `satisfactionRate(from: "2026-11-01", to: "2026-11-30") { answers }`,
  followUpRate: `followUpRate(from: "2026-11-01", to: "2026-11-30") { workOrders }`,
  technicianRating: `technicianRating(technicianId: "t", month: "2026-11") { surveys }`,
};
const PUBLIC_QUERIES: Record<string, string> = {
  surveyByToken: `surveyByToken(token: "not-a-token") { kind }`,
};

const rootFields = (type: 'Query' | 'Mutation') => rootFieldNames(SCHEMA_PATH, type);
const anonymous = (query: string) => anonymousSubgraphRequest(survey.httpPort, query);

const tables = [
  'survey_template',
  'survey',
  'follow_up',
  'follow_up_call',
  'activity',
  'reminder',
  'outbox',
];
const counts = () => Promise.all(tables.map((t) => rowCount(env.env.DATABASE_URL!, t)));
const auditor: Identity = { userId: 'aud-1', roles: ['auditor'] };

it('every mutation is refused to the auditor (read-only) and to an anonymous caller, writing nothing', async () => {
  expect(Object.keys({ ...MUTATIONS, ...PUBLIC_MUTATIONS }).sort()).toEqual(rootFields('Mutation'));
  const before = await counts();
  for (const [name, field] of Object.entries(MUTATIONS)) {
    const asAuditor = await subgraphRequest(survey.httpPort, `mutation { ${field} }`, {}, auditor);
    expect([name, asAuditor.errors?.[0]?.extensions?.code]).toEqual([name, 'FORBIDDEN']);
    const asNobody = await anonymous(`mutation { ${field} }`);
    expect([name, asNobody.errors?.[0]?.extensions?.code]).toEqual([name, 'UNAUTHENTICATED']);
  }
  // The public link: without a valid token nobody (anonymous or auditor) records anything.
  for (const [name, field] of Object.entries(PUBLIC_MUTATIONS)) {
    const asNobody = await anonymous(`mutation { ${field} }`);
    expect([name, asNobody.errors?.[0]?.extensions?.code]).not.toEqual([name, undefined]);
    const asAuditor = await subgraphRequest(survey.httpPort, `mutation { ${field} }`, {}, auditor);
    expect([name, asAuditor.errors?.[0]?.extensions?.code]).not.toEqual([name, undefined]);
  }
  expect(await counts()).toEqual(before);
});

it('every query is refused to an anonymous caller; the public form only with a valid token', async () => {
  expect(Object.keys({ ...QUERIES, ...PUBLIC_QUERIES }).sort()).toEqual(rootFields('Query'));
  for (const [name, field] of Object.entries(QUERIES)) {
    const res = await anonymous(`{ ${field} }`);
    expect([name, res.errors?.[0]?.extensions?.code]).toEqual([name, 'UNAUTHENTICATED']);
  }
  for (const [name, field] of Object.entries(PUBLIC_QUERIES)) {
    const res = await anonymous(`{ ${field} }`);
    expect([name, res.errors?.[0]?.extensions?.code]).not.toEqual([name, undefined]);
  }
  // Entities other subgraphs resolve here, and the fields this one adds to theirs.
  const ENTITIES: Record<string, string> = {
    Survey: '__typename',
    FollowUp: '__typename',
    Reminder: '__typename',
    WorkOrder: '... on WorkOrder { survey { id } followUps { id } }',
    Complaint: '... on Complaint { handlingSurvey { id } }',
    Customer: '... on Customer { surveys { nodes { id } } reminders { nodes { id } } }',
    Staff: '... on Staff { surveyRating(month: "2026-11") { surveys } }',
  };
  for (const [typename, selection] of Object.entries(ENTITIES)) {
    const res = await anonymous(
      `{ _entities(representations: [{ __typename: "${typename}", id: "${ID}" }]) { ${selection} } }`,
    );
    expect([typename, res.errors?.[0]?.extensions?.code]).toEqual([typename, 'UNAUTHENTICATED']);
  }
});

const allProbes = () => [
  ...rootFieldProbes(SCHEMA_PATH, 'Query'),
  ...rootFieldProbes(SCHEMA_PATH, 'Mutation'),
];

it('every root field refuses a caller holding none of the roles it declares (@access), writing nothing', async () => {
  const before = await counts();
  const codes = await outsiderCodes(survey.httpPort, allProbes());
  expect(codes).toEqual(codes.map(([field]) => [field, 'FORBIDDEN']));
  expect(await counts()).toEqual(before);
});

it('every role a root field declares gets past the role checks of its use case (docs/access.md promises nothing the code refuses)', async () => {
  expect(await declaredRoleRefusals(survey.httpPort, allProbes())).toEqual([]);
});

it('every gRPC method refuses a caller holding none of its roles before looking at the request (an empty one here)', async () => {
  const codes = await grpcOutsiderCodes(
    surveyV1.SurveyServiceClient,
    `127.0.0.1:${survey.grpcPort}`,
    SURVEY_GRPC_ROLES,
  );
  expect(codes.length).toBeGreaterThan(0);
  expect(codes).toEqual(codes.map(([method]) => [method, 'PERMISSION_DENIED']));
});
