import { randomUUID } from 'node:crypto';
import { subgraphData, subgraphRequest, type TestServiceEnv } from '@aftercare/testkit';
import type { WorkOrderCompleted } from '@aftercare/events';
import type { SurveyDeps, startSurveyService } from '../../src';
import { recordFollowUpCall } from '../../src/app/follow-ups';
import { answerByAgent, surveysOfComplaints } from '../../src/app/surveys';
import {
  agent,
  complaintClosedEvent,
  eventually,
  manager,
  publish,
  startFiguresService,
  levels,
  VD,
  D,
  S,
  VS,
} from './support';

let env: TestServiceEnv;
let survey: Awaited<ReturnType<typeof startSurveyService>>;
let deps: SurveyDeps;
const customerId = randomUUID();

let figures: Awaited<ReturnType<typeof startFiguresService>>;

beforeAll(async () => {
  figures = await startFiguresService('survey-kpi');
  ({ env, service: survey, deps } = figures);
});

afterAll(() => figures?.stop());

const order = (over: Partial<WorkOrderCompleted>) => figures.order({ customerId, ...over });

const region = (district: string) => ({ province: 'Zhejiang', city: 'Hangzhou', district });

const RATE = `query($from: Date!, $to: Date!, $district: String, $technicianId: ID, $kind: SurveyKind) {
  satisfactionRate(from: $from, to: $to, district: $district, technicianId: $technicianId, kind: $kind) {
    answers satisfied rate surveys satisfiedSurveys } }`;
const FOLLOW_UP = `query($from: Date!, $to: Date!, $district: String, $technicianId: ID) {
  followUpRate(from: $from, to: $to, district: $district, technicianId: $technicianId) { workOrders followedUp rate } }`;
const NOV = { from: '2026-11-01', to: '2026-11-30' };

it('KPI satisfaction and follow-up rate over a period, per district and per technician, match hand-computed figures (R-SV-2, R-SV-5)', async () => {
  // Service dates are business dates in Shanghai (UTC+8).
  const o1 = await order({
    serviceType: 'WARRANTY',
    technicianIds: ['tech-a'],
    region: region('Xihu'),
    completedAt: '2026-11-02T02:00:00.000Z',
  });
  const o2 = await order({
    serviceType: 'WARRANTY',
    technicianIds: ['tech-a', 'tech-b'],
    region: region('Binjiang'),
    completedAt: '2026-11-10T02:00:00.000Z',
  });
  // 2026-12-01 01:00 in Shanghai: December, although still November in UTC.
  const o3 = await order({
    serviceType: 'PAID',
    technicianIds: ['tech-b'],
    region: region('Xihu'),
    completedAt: '2026-11-30T17:00:00.000Z',
  });
  // 2026-11-30 23:00 in Shanghai: November; never answered.
  const o4 = await order({
    serviceType: 'WARRANTY',
    technicianIds: ['tech-b'],
    region: region('Xihu'),
    completedAt: '2026-11-30T15:00:00.000Z',
  });
  const o5 = await order({
    serviceType: 'CONTRACT',
    technicianIds: ['tech-c'],
    region: region('Xihu'),
    completedAt: '2026-11-15T02:00:00.000Z',
  });
  await answerByAgent(deps, agent, o1.surveyId, levels(VS, VS, S, S)); // 4 of 4 satisfied
  await answerByAgent(deps, agent, o2.surveyId, levels(D, S, S, VD)); // 2 of 4
  await answerByAgent(deps, agent, o3.surveyId, levels(VD, VD, VD, VD)); // December
  await answerByAgent(deps, agent, o5.surveyId, levels(S, S, S, D)); // 3 of 4

  const rate = async (vars: object) =>
    (await subgraphData<{ satisfactionRate: unknown }>(survey.httpPort, RATE, vars, manager))
      .satisfactionRate;
  // November: 12 answers (o1, o2, o5), 4 + 2 + 3 = 9 satisfied; one survey wholly satisfied.
  expect(await rate(NOV)).toEqual({
    answers: 12,
    satisfied: 9,
    rate: 0.75,
    surveys: 3,
    satisfiedSurveys: 1,
  });
  expect(await rate({ ...NOV, district: 'Xihu' })).toEqual({
    answers: 8,
    satisfied: 7,
    rate: 7 / 8,
    surveys: 2,
    satisfiedSurveys: 1,
  });
  // tech-b: o2 only (o3 is December, o4 unanswered); tech-a: o1 and o2.
  expect(await rate({ ...NOV, technicianId: 'tech-b' })).toMatchObject({
    answers: 4,
    satisfied: 2,
    rate: 0.5,
  });
  expect(await rate({ ...NOV, technicianId: 'tech-a' })).toMatchObject({
    answers: 8,
    satisfied: 6,
  });
  expect(await rate({ from: '2026-12-01', to: '2026-12-31' })).toMatchObject({
    answers: 4,
    satisfied: 0,
    rate: 0,
  });
  expect(await rate({ from: '2026-11-30', to: '2026-11-30' })).toMatchObject({
    answers: 0,
    rate: null,
  });

  // Follow-up rate, warranty orders of November: o1, o2, o4.
  await recordFollowUpCall(deps, agent, o1.firstCall, { outcome: 'NO_ANSWER' });
  await recordFollowUpCall(deps, agent, o1.firstCall, { outcome: 'REACHED' }); // followed up
  await recordFollowUpCall(deps, agent, o2.firstCall, { outcome: 'REFUSED' }); // followed up
  await recordFollowUpCall(deps, agent, o4.firstCall, {
    outcome: 'CALLBACK_REQUESTED',
    callbackAt: new Date(Date.now() + 86_400_000).toISOString(),
  }); // not yet
  await recordFollowUpCall(deps, agent, o5.firstCall, { outcome: 'REACHED' }); // not warranty
  const followUp = async (vars: object) =>
    (await subgraphData<{ followUpRate: unknown }>(survey.httpPort, FOLLOW_UP, vars, manager))
      .followUpRate;
  expect(await followUp(NOV)).toEqual({ workOrders: 3, followedUp: 2, rate: 2 / 3 });
  expect(await followUp({ ...NOV, technicianId: 'tech-b' })).toEqual({
    workOrders: 2,
    followedUp: 1,
    rate: 0.5,
  });
  expect(await followUp({ ...NOV, district: 'Binjiang' })).toEqual({
    workOrders: 1,
    followedUp: 1,
    rate: 1,
  });
  expect(await followUp({ from: '2026-12-01', to: '2026-12-31' })).toEqual({
    workOrders: 0,
    followedUp: 0,
    rate: null,
  });

  // The same figures through the one KPI scope input (docs/rules.md §6); the survey kind stays its
  // own argument, and the two shapes of the scope are not mixed.
  const SCOPED = `query($scope: KpiScopeInput, $kind: SurveyKind, $from: Date) {
    satisfactionRate(scope: $scope, kind: $kind, from: $from) { answers satisfied }
    followUpRate(scope: $scope) { workOrders followedUp } }`;
  const scoped = (vars: object) => subgraphRequest(survey.httpPort, SCOPED, vars, manager);
  expect(
    (await scoped({ scope: { ...NOV, technicianId: 'tech-b' }, kind: 'WORK_ORDER' })).data,
  ).toEqual({
    satisfactionRate: { answers: 4, satisfied: 2 },
    followUpRate: { workOrders: 2, followedUp: 1 },
  });
  expect((await scoped({ scope: { ...NOV, district: 'Binjiang' } })).data?.followUpRate).toEqual({
    workOrders: 1,
    followedUp: 1,
  });
  expect((await scoped({ scope: NOV, from: NOV.from })).errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'SCOPE_TWICE',
    field: 'scope',
  });

  // R-SV-5 monthly ratings: tech-a (4+4+3+3 + 2+3+3+1) / 8; tech-b (2+3+3+1) / 4.
  const RATINGS = `{ _entities(representations: [{ __typename: "Staff", id: "tech-b" }, { __typename: "Staff", id: "tech-a" }]) {
    ... on Staff { id surveyRating(month: "2026-11") { average surveys } } } }`;
  const all = await subgraphData<{ _entities: unknown[] }>(survey.httpPort, RATINGS, {}, manager);
  expect(all._entities).toEqual([
    { id: 'tech-b', surveyRating: { average: 9 / 4, surveys: 1 } },
    { id: 'tech-a', surveyRating: { average: 23 / 8, surveys: 2 } },
  ]);
  // A technician listing staff sees their own rating; only the other one is refused.
  const own = await subgraphRequest<{ _entities: ({ surveyRating: unknown } | null)[] }>(
    survey.httpPort,
    RATINGS,
    {},
    { userId: 'tech-b', roles: ['technician'] },
  );
  expect(own.data?._entities[0]).toEqual({
    id: 'tech-b',
    surveyRating: { average: 9 / 4, surveys: 1 },
  });
  const errors = own.errors as { path?: unknown[]; extensions?: { code?: string } }[];
  expect(errors.map((e) => [e.path?.[1], e.extensions?.code])).toEqual([[1, 'FORBIDDEN']]);
});

it('R-SV-5 complaint-handling answers are rated apart and never count in the work-order satisfaction', async () => {
  const before = (
    await subgraphData<{ satisfactionRate: { answers: number } }>(
      survey.httpPort,
      RATE,
      NOV,
      manager,
    )
  ).satisfactionRate;
  const closed = complaintClosedEvent({ customerId, closedAt: '2026-11-20T02:00:00.000Z' });
  await publish(env.subjectPrefix, 'complaint.closed', closed);
  const s = (await eventually(
    async () => (await surveysOfComplaints(deps.orm.em.fork(), agent, [closed.complaintId]))[0],
    Boolean,
  ))!;
  await answerByAgent(deps, agent, s.id, {
    answers: ['speed', 'solution', 'attitude'].map((item) => ({ item, level: VD })),
  });
  const after = await subgraphData<{ satisfactionRate: unknown }>(
    survey.httpPort,
    RATE,
    NOV,
    manager,
  );
  expect(after.satisfactionRate).toEqual(before);
  const handling = await subgraphData<{ satisfactionRate: unknown }>(
    survey.httpPort,
    RATE,
    { ...NOV, kind: 'COMPLAINT_HANDLING' },
    manager,
  );
  expect(handling.satisfactionRate).toEqual({
    answers: 3,
    satisfied: 0,
    rate: 0,
    surveys: 1,
    satisfiedSurveys: 0,
  });
});
