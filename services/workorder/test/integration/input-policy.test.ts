import { AppError, type Identity, uuidv7 } from '@aftercare/kit';
import { workorderV1 as pb } from '@aftercare/proto';
import {
  rowCounts,
  subgraphRequest,
  testGrpcClient,
  testServiceForThisFile,
} from '@aftercare/testkit';
import { loadWorkOrderConfig, startWorkOrderService } from '../../src';

// Issue 11: hostile input reached PostgreSQL or date arithmetic and came back as an internal error.
// The kit's input policy (docs/input-policy.md) refuses it at the edge with the field and a
// reason, and writes nothing.
const manager: Identity = { userId: 'mgr-1', roles: ['manager'] };
const s = testServiceForThisFile('wo-input', (e) => startWorkOrderService(loadWorkOrderConfig(e)), {
  CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1',
  SLA_SCHEDULER: 'false',
});

const tables = ['work_order', 'work_order_history', 'staff', 'outbox'];
const counts = () => rowCounts(s.env.env.DATABASE_URL!, tables);

async function refusal(query: string, variables: object = {}) {
  const before = await counts();
  const body = await subgraphRequest(s.service.httpPort, query, variables, manager);
  expect(await counts()).toEqual(before);
  return body.errors?.[0]?.extensions;
}

it('issue 11: dailyReport(date: "2026-12-32") is BAD_USER_INPUT INVALID_DATE naming the argument', async () => {
  expect(await refusal('{ dailyReport(date: "2026-12-32") { date } }')).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_DATE',
    field: 'date',
  });
  expect(
    await refusal('query ($d: Date!) { dailyReport(date: $d) { date } }', { d: '2026-02-29' }),
  ).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_DATE', field: 'date' });
});

it('issue 11: a NUL byte in a text of a mutation is BAD_USER_INPUT TEXT_CONTAINS_NUL, nothing written', async () => {
  const upsert = `mutation ($input: UpsertStaffInput!) { upsertStaff(input: $input) { staff { id } } }`;
  expect(
    await refusal(upsert, { input: { id: 'tech-9', name: 'Li\u0000Lei', skills: ['EV'] } }),
  ).toEqual({ code: 'BAD_USER_INPUT', reason: 'TEXT_CONTAINS_NUL', field: 'name' });
});

it('issue 11: gRPC refuses a NUL in a string with INVALID_ARGUMENT, the reason and the field', async () => {
  const client = testGrpcClient(pb.WorkOrderServiceClient, `127.0.0.1:${s.service.grpcPort}`, {
    identity: manager,
  });
  try {
    const error = await client.batchGetStaff({ ids: ['tech-1', 'tech\u00002'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'TEXT_CONTAINS_NUL',
      field: 'ids.1',
    });
  } finally {
    client.close();
  }
});

it('a service report may say what was done in 4,000 characters (@limit), the same as the domain allows, not more', async () => {
  const resolve = `mutation ($input: ResolveOnSiteInput!) { resolveOnSite(input: $input) { workOrder { id } } }`;
  const input = (workDone: string) => ({
    workOrderId: uuidv7(),
    report: { cause: 'worn pad', responsibility: 'PRODUCT', workDone },
  });
  expect(await refusal(resolve, { input: input('换刹车片'.repeat(1000)) })).toMatchObject({
    code: 'NOT_FOUND',
  });
  expect(await refusal(resolve, { input: input('x'.repeat(4001)) })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'TOO_LONG',
    field: 'report.workDone',
  });
});
