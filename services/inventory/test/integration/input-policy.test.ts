import { AppError, type Identity } from '@aftercare/kit';
import { inventoryV1 as pb } from '@aftercare/proto';
import {
  rowCounts,
  startTestService,
  stopTestService,
  subgraphRequest,
  type TestServiceEnv,
  testGrpcClient,
} from '@aftercare/testkit';
import { loadInventoryConfig, startInventoryService } from '../../src';

// Issue 11: hostile input reached PostgreSQL or date arithmetic and came back as an internal error.
// The kit's input policy (docs/input-policy.md) refuses it at the edge with the field and a
// reason, and writes nothing.
const manager: Identity = { userId: 'mgr-1', roles: ['manager'] };
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startInventoryService>>;

beforeAll(async () => {
  ({ env, service } = await startTestService('inv-input', (e) =>
    startInventoryService(loadInventoryConfig(e)),
  ));
});
afterAll(() => stopTestService({ env, service }));

const tables = ['part', 'warehouse', 'stock_document', 'outbox'];
const counts = () => rowCounts(env.env.DATABASE_URL!, tables);

async function refusal(query: string, variables: object = {}) {
  const before = await counts();
  const body = await subgraphRequest(service.httpPort, query, variables, manager);
  expect(await counts()).toEqual(before);
  return body.errors?.[0]?.extensions;
}

it('issue 11: an impossible DateTime argument is BAD_USER_INPUT INVALID_DATE naming it', async () => {
  const query = `{ partsIssueAccuracy(from: "2026-02-30T00:00:00+08:00", to: "2026-03-31T00:00:00+08:00") { issues } }`;
  expect(await refusal(query)).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_DATE',
    field: 'from',
  });
});

it('issue 11: a NUL byte in a text of a mutation is BAD_USER_INPUT TEXT_CONTAINS_NUL, nothing written', async () => {
  const upsert = `mutation ($input: UpsertPartInput!) { upsertPart(input: $input) { part { code } } }`;
  const input = { code: 'P-NUL', name: 'Brake\u0000pad', unit: 'PCS', priceFen: 1200 };
  expect(await refusal(upsert, { input })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'TEXT_CONTAINS_NUL',
    field: 'name',
  });
});

it('issue 11: gRPC refuses a NUL in a string with INVALID_ARGUMENT, the reason and the field', async () => {
  const client = testGrpcClient(pb.InventoryServiceClient, `127.0.0.1:${service.grpcPort}`, {
    identity: manager,
  });
  try {
    const error = await client.batchGetParts({ codes: ['P-1', 'P\u0000'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'TEXT_CONTAINS_NUL',
      field: 'codes.1',
    });
  } finally {
    client.close();
  }
});
