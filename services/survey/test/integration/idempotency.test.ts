import { randomUUID } from 'node:crypto';
import type { Identity, PromiseClient } from '@aftercare/kit';
import { surveyV1 as pb } from '@aftercare/proto';
import {
  grpcCreate,
  type IdempotentCreate,
  idempotentCreateChecks,
  rowCount,
  subgraphCreate,
  testGrpcClient,
} from '@aftercare/testkit';
import { agent, startFiguresService } from './support';

// Issue 11: recording a follow-up call (GraphQL and gRPC) and creating a customer activity take
// an idempotency key.
const relations: Identity = { userId: 'cr-idem', roles: ['customer_relations'] };
let figures: Awaited<ReturnType<typeof startFiguresService>>;
let client: PromiseClient<typeof pb.SurveyServiceService>;

beforeAll(async () => {
  figures = await startFiguresService('survey-idem');
  client = testGrpcClient(pb.SurveyServiceClient, `127.0.0.1:${figures.service.grpcPort}`, {
    identity: agent,
    timeoutMs: 20_000,
  });
});

afterAll(async () => {
  client?.close();
  await figures?.stop();
});

const rows = (table: string) => () => rowCount(figures.env.env.DATABASE_URL!, table);
const httpPort = () => figures.service.httpPort;

// A completed work order (and so a follow-up to call) per variant, made once.
const followUps = new Map<number, Promise<string>>();
const followUpOf = (v: number) => {
  if (!followUps.has(v))
    followUps.set(
      v,
      figures.order({ customerId: randomUUID() }).then((o) => o.firstCall),
    );
  return followUps.get(v)!;
};

const creates: [string, IdempotentCreate][] = [
  [
    'recordFollowUpCall (GraphQL)',
    {
      rows: rows('follow_up_call'),
      call: async (v, key) => {
        const followUpId = await followUpOf(v);
        return subgraphCreate<{ recordFollowUpCall: { followUp: { id: string } } }>({
          httpPort,
          caller: agent,
          query: `mutation($input: RecordFollowUpCallInput!) { recordFollowUpCall(input: $input) { followUp { id } } }`,
          variables: () => ({
            input: { followUpId, outcome: 'REACHED', summary: 'all fine', idempotencyKey: key },
          }),
          id: (d) => d.recordFollowUpCall.followUp.id,
        })(v, key);
      },
    },
  ],
  [
    'RecordFollowUpCall (gRPC)',
    {
      rows: rows('follow_up_call'),
      call: async (v, key = '') => {
        const followUpId = await followUpOf(v);
        return grpcCreate(
          client
            .recordFollowUpCall(
              pb.RecordFollowUpCallRequest.create({
                followUpId,
                outcome: pb.CallOutcome.CALL_OUTCOME_NO_ANSWER,
                idempotencyKey: key,
              }),
            )
            .then(({ followUp }) => followUp!.id),
        );
      },
    },
  ],
  [
    'createCustomerActivity (GraphQL)',
    {
      rows: rows('activity'),
      call: subgraphCreate<{ createCustomerActivity: { activity: { id: string } } }>({
        httpPort,
        caller: relations,
        query: `mutation($input: CreateCustomerActivityInput!) { createCustomerActivity(input: $input) { activity { id } } }`,
        variables: (v, key) => ({
          input: { name: `Open day ${v}`, date: '2099-05-01', idempotencyKey: key },
        }),
        id: (d) => d.createCustomerActivity.activity.id,
      }),
    },
  ],
];

describe.each(creates)('idempotent %s', (_name, c) => {
  it.each(idempotentCreateChecks)('%s', (_title, check) => check(c));
});
