import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, type Identity, streamName, uuidv7 } from '@aftercare/kit';
import { surveyV1 as pb } from '@aftercare/proto';
import {
  publishEnvelope,
  rowCount,
  subgraphRequest,
  TEST_NATS_URL,
  testEnvelope,
  type TestServiceEnv,
  testServiceEnv,
  testGrpcClient,
} from '@aftercare/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
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
  expect(await refusal('{ followUpCallList(date: "2026-02-30") { totalCount } }')).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_DATE',
    field: 'date',
  });
});

it('issue 11: a NUL byte in a text of a mutation is BAD_USER_INPUT TEXT_CONTAINS_NUL, nothing written', async () => {
  const create = `mutation ($input: CreateCustomerActivityInput!) { createCustomerActivity(input: $input) { activity { id } } }`;
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
  const client = testGrpcClient(pb.SurveyServiceClient, `127.0.0.1:${service.grpcPort}`, {
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
        idempotencyKey: '',
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

it('R-EV-9 a customer event breaking its contract, or holding a NUL, is parked at once, not retried', async () => {
  const customerId = uuidv7();
  // The declared `customer.created` (@aftercare/events), as the customer service publishes it.
  const created = (name: string) => ({
    customerId,
    code: 'CUS-000001',
    kind: 'PERSON',
    name,
    grade: 'C',
    status: 'ACTIVE',
    region: { province: 'Hubei', city: 'Wuhan', district: null },
    responsibleStaffId: null,
    version: 1,
  });
  const events = [
    testEnvelope('customer.asset_registered', customerId, {
      assetId: uuidv7(),
      customerId,
      maintenanceCycleDays: 'often',
    }),
    testEnvelope('customer.created', customerId, created('Li\u0000')),
    testEnvelope('customer.created', customerId, created('Li')),
  ];
  for (const e of events) await publishEnvelope(env.subjectPrefix, e);
  const files = () => rowCount(env.env.DATABASE_URL!, 'customer_file');
  for (let i = 0; (await files()) === 0 && i < 50; i += 1) await sleep(100);
  expect(await files()).toBe(1);
  // A retried event comes back after its first back-off (1 s); a parked one never does.
  await sleep(2500);
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.consumers.info(
      streamName(env.subjectPrefix, 'customer'),
      'survey-on-customer',
    );
    expect(info.delivered.consumer_seq).toBe(3);
    expect(info.num_redelivered).toBe(0);
  } finally {
    await nc.close();
  }
});
