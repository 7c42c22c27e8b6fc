import { AppError, type Identity, uuidv7 } from '@aftercare/kit';
import { complaintV1 as pb } from '@aftercare/proto';
import {
  rowCounts,
  subgraphRequest,
  testGrpcClient,
  testServiceForThisFile,
} from '@aftercare/testkit';
import { loadComplaintConfig, startComplaintService } from '../../src';

// Issue 11: hostile input reached PostgreSQL or date arithmetic and came back as an internal error.
// The kit's input policy (docs/input-policy.md) refuses it at the edge with the field and a
// reason, and writes nothing.
const manager: Identity = { userId: 'mgr-1', roles: ['manager'] };
const s = testServiceForThisFile(
  'complaint-input',
  (e) => startComplaintService(loadComplaintConfig(e)),
  {
    CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1',
    WORKORDER_GRPC_ADDRESS: '127.0.0.1:1',
    COMPLAINT_SCHEDULER: 'false',
  },
);

const tables = ['complaint', 'penalty_rule', 'penalty', 'outbox'];
const counts = () => rowCounts(s.env.env.DATABASE_URL!, tables);

async function refusal(query: string, variables: object = {}) {
  const before = await counts();
  const body = await subgraphRequest(s.service.httpPort, query, variables, manager);
  expect(await counts()).toEqual(before);
  return body.errors?.[0]?.extensions;
}

it('issue 11: a NUL byte in a text of a mutation is BAD_USER_INPUT TEXT_CONTAINS_NUL, nothing written', async () => {
  const upsert = `mutation ($input: UpsertPenaltyRuleInput!) { upsertPenaltyRule(input: $input) { rule { code } } }`;
  const input = { code: 'X-1', description: 'late\u0000report', points: 1, source: 'INSPECTION' };
  expect(await refusal(upsert, { input })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'TEXT_CONTAINS_NUL',
    field: 'description',
  });
});

it('issue 11: an impossible DateTime in a mutation is BAD_USER_INPUT INVALID_DATE, nothing written', async () => {
  const propose = `mutation ($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { id } } }`;
  const input = { ruleCode: 'X-1', staffId: 'tech-1', occurredAt: '2026-02-30T09:00:00+08:00' };
  expect(await refusal(propose, { input })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_DATE',
    field: 'occurredAt',
  });
});

it('a solution may have 4,000 characters (@limit), the same as the domain allows, not more', async () => {
  const propose = `mutation ($id: ID!, $s: String!) { proposeComplaintSolution(input: { complaintId: $id, solution: $s }) { complaint { id } } }`;
  const long = await refusal(propose, { id: uuidv7(), s: '方案'.repeat(2000) });
  expect(long).toMatchObject({ code: 'NOT_FOUND' });
  expect(await refusal(propose, { id: uuidv7(), s: 'x'.repeat(4001) })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'TOO_LONG',
    field: 'solution',
  });
});

it('issue 11: gRPC refuses a NUL in a string with INVALID_ARGUMENT, the reason and the field', async () => {
  const client = testGrpcClient(pb.ComplaintServiceClient, `127.0.0.1:${s.service.grpcPort}`, {
    identity: manager,
  });
  try {
    const error = await client.getComplaint({ id: `${uuidv7()}\u0000` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'TEXT_CONTAINS_NUL',
      field: 'id',
    });
  } finally {
    client.close();
  }
});
