import { AppError, type Identity, uuidv7 } from '@aftercare/kit';
import { surveyV1 as pb } from '@aftercare/proto';
import { type TestServiceEnv, testServiceEnv, testGrpcClient } from '@aftercare/testkit';
import { loadSurveyConfig, startSurveyService } from '../../src';
import { agent, completed, eventually, manager, publish } from './support';

// The survey gRPC API (port 50105 by default), on a real server on loopback.
let env: TestServiceEnv;
let survey: Awaited<ReturnType<typeof startSurveyService>>;

beforeAll(async () => {
  env = await testServiceEnv('survey-grpc', { REMINDER_SCHEDULER: 'false' });
  survey = await startSurveyService(loadSurveyConfig(env.env));
});
afterAll(async () => {
  await survey?.stop();
  await env?.cleanup();
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const client = (identity: Identity) =>
  testGrpcClient(pb.SurveyServiceClient, `127.0.0.1:${survey.grpcPort}`, { identity });

it('R-SV-1 R-SV-5 gets a work order survey, answers it, reads the scores; roles and input are checked', async () => {
  const asAgent = client(agent);
  const asManager = client(manager);
  const asTech = client({ userId: 'tech-7', roles: ['technician'] });
  try {
    const order = completed({
      customerId: uuidv7(),
      technicianIds: ['tech-7'],
      completedAt: '2026-10-10T02:00:00.000Z',
    });
    await publish(env.subjectPrefix, 'workorder.completed', order);
    const { survey: s } = await eventually(
      () =>
        asAgent
          .getWorkOrderSurvey({ workOrderId: order.workOrderId })
          .catch(() => ({ survey: undefined })),
      (r) => Boolean(r.survey),
    );
    expect(s).toMatchObject({
      kind: 'WORK_ORDER',
      status: pb.SurveyStatus.SURVEY_STATUS_OPEN,
      technicianIds: ['tech-7'],
    });

    const L = pb.SatisfactionLevel;
    const bad = await rejection(
      asAgent.answerSurvey({
        surveyId: s!.id,
        answers: [{ item: 'attitude', level: L.SATISFACTION_LEVEL_SATISFIED }],
        suggestions: '',
      }),
    );
    expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'UNANSWERED_ITEMS' });
    const answers = [
      { item: 'attitude', level: L.SATISFACTION_LEVEL_VERY_SATISFIED },
      { item: 'skill', level: L.SATISFACTION_LEVEL_SATISFIED },
      { item: 'arrival_on_time', level: L.SATISFACTION_LEVEL_SATISFIED },
      { item: 'promises_kept', level: L.SATISFACTION_LEVEL_DISSATISFIED },
    ];
    expect(
      (await rejection(asTech.answerSurvey({ surveyId: s!.id, answers, suggestions: '' }))).code,
    ).toBe('PERMISSION_DENIED');
    const res = await asAgent.answerSurvey({ surveyId: s!.id, answers, suggestions: 'ok' });
    expect(res).toMatchObject({
      dissatisfied: true,
      survey: { status: pb.SurveyStatus.SURVEY_STATUS_ANSWERED, suggestions: 'ok' },
    });

    expect(
      await asManager.getSatisfactionRate({
        from: '2026-10-01',
        to: '2026-10-31',
        province: 'Zhejiang',
        city: '',
        district: '',
        stationCode: '',
        technicianId: '',
      }),
    ).toEqual({
      answers: 4,
      satisfied: 3,
      rate: 0.75,
    });
    // SPEC §6 per technician: tech-7's orders only.
    const ofTechnician = (technicianId: string) =>
      asManager.getSatisfactionRate({
        from: '2026-10-01',
        to: '2026-10-31',
        province: '',
        city: '',
        district: '',
        stationCode: '',
        technicianId,
      });
    expect((await ofTechnician('tech-7')).answers).toBe(4);
    expect(await ofTechnician('tech-nobody')).toEqual({ answers: 0, satisfied: 0, rate: 0 });
    // (4 + 3 + 3 + 2) / 4
    expect(
      await asTech.getTechnicianRating({ technicianId: 'tech-7', month: '2026-10' }),
    ).toMatchObject({
      surveys: 1,
      average: 3,
    });
    expect(
      (await rejection(asTech.getTechnicianRating({ technicianId: 'tech-8', month: '2026-10' })))
        .code,
    ).toBe('PERMISSION_DENIED');
    expect(
      await rejection(asManager.getTechnicianRating({ technicianId: 'tech-7', month: '2026-13' })),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'month',
    });
    expect(
      (
        await rejection(
          asAgent.getSatisfactionRate({
            from: '2026-10-01',
            to: '2026-10-31',
            province: '',
            city: '',
            district: '',
            stationCode: '',
            technicianId: '',
          }),
        )
      ).code,
    ).toBe('PERMISSION_DENIED');
    expect(
      await asManager.getFollowUpRate({
        from: '2026-10-01',
        to: '2026-10-31',
        province: '',
        city: '',
        district: '',
        stationCode: '',
        technicianId: '',
      }),
    ).toEqual({
      workOrders: 1,
      followedUp: 0,
      rate: 0,
    });
    expect(
      await rejection(
        asAgent.recordFollowUpCall({
          followUpId: uuidv7(),
          outcome: pb.CallOutcome.CALL_OUTCOME_REACHED,
          summary: '',
          complaint: '',
          idempotencyKey: '',
        }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect((await rejection(asAgent.getSurvey({ id: 'nope' }))).code).toBe('INVALID_ARGUMENT');
  } finally {
    asAgent.close();
    asManager.close();
    asTech.close();
  }
});
