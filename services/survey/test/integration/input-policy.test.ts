import { AppError, createGrpcClient, type Identity, uuidv7 } from '@aftercare/kit';
import { surveyV1 as pb } from '@aftercare/proto';
import { rowCount, subgraphRequest, type TestServiceEnv, testServiceEnv } from '@aftercare/testkit';
import { loadSurveyConfig, startSurveyService } from '../../src';

// Issue 11: hostile input reached PostgreSQL or date arithmetic and came back as an internal error.
// The kit's input policy (docs/input-policy.md) refuses it at the edge with the field and a
// reason, and writes nothing.
const relations: Identity = { userId: 'cr-1', roles: ['customer_relations'] };
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startSurveyService>>;

beforeAll(async () => {
  env = await testServiceEnv('survey-input', {
    CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1',
    REMINDER_SCHEDULER: 'false',
  });
  service = await startSurveyService(loadSurveyConfig(env.env));
});
afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
});

const tables = ['survey', 'follow_up', 'activity', 'outbox'];
const counts = () => Promise.all(tables.map((t) => rowCount(env.env.DATABASE_URL!, t)));

async function refusal(query: string, variables: object = {}) {
  const before = await counts();
  const body = await subgraphRequest(service.httpPort, query, variables, relations);
  expect(await counts()).toEqual(before);
  return body.errors?.[0]?.extensions;
}

it('issue 11: an impossible Date argument is BAD_USER_INPUT INVALID_DATE naming it', async () => {
  expect(await refusal('{ followUpCallList(date: "2026-02-30") { total } }')).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_DATE',
    field: 'date',
  });
});

it('issue 11: a NUL byte in a text of a mutation is BAD_USER_INPUT TEXT_CONTAINS_NUL, nothing written', async () => {
  const create = `mutation ($input: CustomerActivityInput!) { createCustomerActivity(input: $input) { id } }`;
  const input = { name: 'Free check\u0000day', date: '2026-12-01' };
  expect(await refusal(create, { input })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'TEXT_CONTAINS_NUL',
    field: 'name',
  });
  const farOff = { name: 'Free check day', date: '9999-12-01' };
  expect(await refusal(create, { input: farOff })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'DATE_OUT_OF_RANGE',
    field: 'date',
  });
});

it('issue 11: gRPC refuses a NUL in a string with INVALID_ARGUMENT, the reason and the field, nothing written', async () => {
  const client = createGrpcClient(pb.SurveyServiceClient, `127.0.0.1:${service.grpcPort}`, {
    identity: relations,
  });
  try {
    const before = await counts();
    const error = await client
      .recordFollowUpCall({
        followUpId: uuidv7(),
        outcome: pb.CallOutcome.CALL_OUTCOME_REACHED,
        summary: 'happy\u0000',
        complaint: '',
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(await counts()).toEqual(before);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'TEXT_CONTAINS_NUL',
      field: 'summary',
    });
  } finally {
    client.close();
  }
});
