import { randomUUID } from 'node:crypto';
import { surveyV1 as pb } from '@aftercare/proto';
import { subgraphData, subgraphRequest, testGrpcClient } from '@aftercare/testkit';
import type { WorkOrderCompleted } from '@aftercare/events';
import type { SurveyDeps, startSurveyService } from '../../src';
import { recordFollowUpCall } from '../../src/app/follow-ups';
import { answerByAgent } from '../../src/app/surveys';
import { agent, manager, startFiguresService, levels, VD, D, S, VS } from './support';

// SPEC §6 satisfaction and follow-up rate per service station: surveys and follow-ups keep the
// station of their `workorder.completed` (real NATS consumer); figures read over GraphQL and gRPC.
let survey: Awaited<ReturnType<typeof startSurveyService>>;
let deps: SurveyDeps;
const customerId = randomUUID();

let figures: Awaited<ReturnType<typeof startFiguresService>>;

beforeAll(async () => {
  figures = await startFiguresService('survey-kpi-station');
  ({ service: survey, deps } = figures);
});

afterAll(() => figures?.stop());

const order = (over: Partial<WorkOrderCompleted>) => figures.order({ customerId, ...over });

const RATE = `query($from: Date!, $to: Date!, $stationCode: String) {
  satisfactionRate(from: $from, to: $to, stationCode: $stationCode) {
    answers satisfied rate surveys satisfiedSurveys } }`;
const FOLLOW_UP = `query($from: Date!, $to: Date!, $stationCode: String) {
  followUpRate(from: $from, to: $to, stationCode: $stationCode) { workOrders followedUp rate } }`;
const NOV = { from: '2026-11-01', to: '2026-11-30' };

it('SPEC §6 satisfaction and follow-up rate per service station, over GraphQL and gRPC', async () => {
  const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`;
  const s1 = await order({ serviceType: 'WARRANTY', stationCode: 'HZ-01', completedAt: at(3) });
  const s2 = await order({ serviceType: 'WARRANTY', stationCode: 'HZ-01', completedAt: at(4) });
  const s3 = await order({ serviceType: 'WARRANTY', stationCode: 'SZ-02', completedAt: at(5) });
  const s4 = await order({ serviceType: 'PAID', stationCode: 'SZ-02', completedAt: at(6) });
  const s5 = await order({ serviceType: 'WARRANTY', stationCode: null, completedAt: at(7) });
  await answerByAgent(deps, agent, s1.surveyId, levels(VS, VS, S, S)); // 4 of 4
  await answerByAgent(deps, agent, s2.surveyId, levels(D, S, S, VD)); // 2 of 4
  await answerByAgent(deps, agent, s3.surveyId, levels(S, S, S, D)); // 3 of 4
  await answerByAgent(deps, agent, s4.surveyId, levels(VD, VD, D, S)); // 1 of 4
  await answerByAgent(deps, agent, s5.surveyId, levels(VS, VS, VS, VS)); // 4 of 4
  await recordFollowUpCall(deps, agent, s1.firstCall, { outcome: 'REACHED' }); // followed up
  await recordFollowUpCall(deps, agent, s2.firstCall, { outcome: 'NO_ANSWER' }); // not
  await recordFollowUpCall(deps, agent, s3.firstCall, { outcome: 'REFUSED' }); // followed up
  await recordFollowUpCall(deps, agent, s4.firstCall, { outcome: 'REACHED' }); // not warranty

  const rate = async (stationCode?: string) =>
    (
      await subgraphData<{ satisfactionRate: unknown }>(
        survey.httpPort,
        RATE,
        { ...NOV, stationCode },
        manager,
      )
    ).satisfactionRate;
  // HZ-01: s1 + s2 = 6 of 8, one survey wholly satisfied; SZ-02: s3 + s4 = 4 of 8, none.
  expect(await rate('HZ-01')).toEqual({
    answers: 8,
    satisfied: 6,
    rate: 0.75,
    surveys: 2,
    satisfiedSurveys: 1,
  });
  expect(await rate('sz-02')).toEqual({
    answers: 8,
    satisfied: 4,
    rate: 0.5,
    surveys: 2,
    satisfiedSurveys: 0,
  });
  // All five (s5 has no station): 4 + 2 + 3 + 1 + 4 = 14 of 20, s1 and s5 wholly satisfied.
  expect(await rate()).toEqual({
    answers: 20,
    satisfied: 14,
    rate: 0.7,
    surveys: 5,
    satisfiedSurveys: 2,
  });
  expect(await rate('GZ-03')).toMatchObject({ answers: 0, rate: null });

  const followUp = async (stationCode?: string) =>
    (
      await subgraphData<{ followUpRate: unknown }>(
        survey.httpPort,
        FOLLOW_UP,
        { ...NOV, stationCode },
        manager,
      )
    ).followUpRate;
  // Warranty orders: HZ-01 s1 (followed up), s2 (not); SZ-02 s3 (followed up); s5 no station.
  expect(await followUp('HZ-01')).toEqual({ workOrders: 2, followedUp: 1, rate: 0.5 });
  expect(await followUp('SZ-02')).toEqual({ workOrders: 1, followedUp: 1, rate: 1 });
  expect(await followUp()).toEqual({ workOrders: 4, followedUp: 2, rate: 0.5 });

  const bad = await subgraphRequest(
    survey.httpPort,
    FOLLOW_UP,
    { ...NOV, stationCode: 'H Z' },
    manager,
  );
  expect(bad.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'stationCode',
    reason: 'INVALID_STATION_CODE',
  });

  // The gRPC equivalents take the same station filter.
  const client = testGrpcClient(pb.SurveyServiceClient, `127.0.0.1:${survey.grpcPort}`, {
    identity: manager,
  });
  try {
    const scope = { ...NOV, province: '', city: '', district: '', technicianId: '' };
    expect(await client.getSatisfactionRate({ ...scope, stationCode: 'hz-01' })).toEqual({
      answers: 8,
      satisfied: 6,
      rate: 0.75,
    });
    expect(await client.getFollowUpRate({ ...scope, stationCode: 'SZ-02' })).toEqual({
      workOrders: 1,
      followedUp: 1,
      rate: 1,
    });
    await expect(client.getFollowUpRate({ ...scope, stationCode: '#' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  } finally {
    client.close();
  }
});
