import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import type { Identity } from '@aftercare/kit';
import { inventoryV1 } from '@aftercare/proto';
import {
  allRootFieldProbes,
  anonymousGrpcCodes,
  anonymousSubgraphRequest,
  declaredRoleRefusals,
  grpcOutsiderCodes,
  outsiderCodes,
  probeCodes,
  rootFieldProbes,
  rowCounts,
  startTestService,
  stopTestService,
  subgraphData,
  subgraphRequest,
  type TestServiceEnv,
} from '@aftercare/testkit';
import { loadInventoryConfig, startInventoryService } from '../../src';
import { INVENTORY_GRPC_ROLES } from '../../src/grpc/handlers';
import type { InventoryDeps } from '../../src/app/deps';
import { listClaims } from '../../src/app/claims';

// Every GraphQL operation of the inventory subgraph checks who calls: the auditor reads only, and
// nobody unauthenticated reads or writes anything. The fields are read from the schema file, so a
// field added later is covered (and must check roles) without touching this test.
const SCHEMA = join(__dirname, '../../src/graphql/schema.graphql');
const auditor: Identity = { userId: 'aud-1', roles: ['auditor'] };
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startInventoryService>>;
let deps: InventoryDeps;

beforeAll(async () => {
  ({ env, service } = await startTestService('inv-access', (e) =>
    startInventoryService(loadInventoryConfig(e), { onReady: (d) => (deps = d) }),
  ));
});
afterAll(() => stopTestService({ env, service }));

const tables = [
  'warehouse',
  'part',
  'stock_level',
  'stock_move',
  'stock_document',
  'requisition',
  'old_part_receipt',
  'claim_order',
  'claim_deposit_payment',
  'wrong_part_correction',
  'tool',
  'tool_loan',
  'tool_count',
];
const counts = () => rowCounts(env.env.DATABASE_URL!, tables);

it('every mutation is refused to the auditor (read-only) and to an anonymous caller, writing nothing', async () => {
  const mutations = rootFieldProbes(SCHEMA, 'Mutation');
  expect(mutations.length).toBeGreaterThan(0);
  const before = await counts();
  expect(await probeCodes(service.httpPort, mutations, auditor)).toEqual(
    mutations.map(({ field }) => [field, 'FORBIDDEN']),
  );
  expect(await probeCodes(service.httpPort, mutations, null)).toEqual(
    mutations.map(({ field }) => [field, 'UNAUTHENTICATED']),
  );
  expect(await counts()).toEqual(before);
});

it('every query is refused to an anonymous caller', async () => {
  const queries = rootFieldProbes(SCHEMA, 'Query');
  expect(queries.length).toBeGreaterThan(0);
  expect(await probeCodes(service.httpPort, queries, null)).toEqual(
    queries.map(({ field }) => [field, 'UNAUTHENTICATED']),
  );
});

it('every gRPC method is refused to a caller without identity', async () => {
  const codes = await anonymousGrpcCodes(
    `127.0.0.1:${service.grpcPort}`,
    inventoryV1.InventoryServiceService,
  );
  expect(codes.length).toBeGreaterThan(0);
  expect(codes).toEqual(codes.map(([method]) => [method, status.UNAUTHENTICATED]));
});

it('entity references (how the gateway enters this subgraph from another one) refuse an anonymous caller', async () => {
  const res = await anonymousSubgraphRequest(
    service.httpPort,
    `{ _entities(representations: [
    { __typename: "Part", code: "P-1" }
    { __typename: "Warehouse", code: "W-1" }
    { __typename: "Tool", code: "T-1" }
  ]) { __typename } }`,
  );
  expect(res.errors?.length).toBe(3);
  expect(res.errors!.map((e) => e.extensions?.code)).toEqual(
    res.errors!.map(() => 'UNAUTHENTICATED'),
  );
});

it('every root field refuses a caller holding none of the roles it declares (@access), writing nothing', async () => {
  const before = await counts();
  const codes = await outsiderCodes(service.httpPort, allRootFieldProbes(SCHEMA));
  expect(codes).toEqual(codes.map(([field]) => [field, 'FORBIDDEN']));
  expect(await counts()).toEqual(before);
});

it('every role a root field declares gets past the role checks of its use case (docs/access.md promises nothing the code refuses)', async () => {
  expect(await declaredRoleRefusals(service.httpPort, allRootFieldProbes(SCHEMA))).toEqual([]);
});

it('R-IN-4 (ADR 0014) claim orders are read by who handles them, not by technicians, tool keepers or dispatchers', async () => {
  const as = (role: Identity['roles'][number]): Identity => ({
    userId: `${role}-1`,
    roles: [role],
  });
  await subgraphData(
    service.httpPort,
    `mutation { upsertPart(input: { code: "CLM-1", name: "Controller", unit: PCS, priceFen: 9000 }) { part { code } } }`,
    {},
    as('warehouse'),
  );
  const {
    openClaimOrder: { claimOrder: opened },
  } = await subgraphData<{ openClaimOrder: { claimOrder: { id: string } } }>(
    service.httpPort,
    `mutation { openClaimOrder(input: { customerId: "c-1", lines: [{ partCode: "CLM-1", quantity: 1, unitPriceFen: 9000 }], depositFen: 3000 }) { claimOrder { id } } }`,
    {},
    as('agent'),
  );
  const read = `query($id: ID!) { claimOrder(id: $id) { id depositFen } claimOrders { nodes { id } } }`;
  for (const role of ['technician', 'tool_keeper', 'dispatcher'] as const) {
    const res = await subgraphRequest(service.httpPort, read, { id: opened.id }, as(role));
    expect([role, res.errors?.map((e) => e.extensions?.code)]).toEqual([
      role,
      ['FORBIDDEN', 'FORBIDDEN'],
    ]);
    await expect(listClaims(deps.orm.em.fork(), as(role))).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  }
  for (const role of ['agent', 'workshop', 'warehouse', 'customer_relations', 'auditor'] as const) {
    const data = await subgraphData<{ claimOrder: { id: string } }>(
      service.httpPort,
      read,
      { id: opened.id },
      as(role),
    );
    expect([role, data.claimOrder.id]).toEqual([role, opened.id]);
  }
});

it('every gRPC method refuses a caller holding none of its roles before looking at the request (an empty one here)', async () => {
  const codes = await grpcOutsiderCodes(
    inventoryV1.InventoryServiceClient,
    `127.0.0.1:${service.grpcPort}`,
    INVENTORY_GRPC_ROLES,
  );
  expect(codes.length).toBeGreaterThan(0);
  expect(codes).toEqual(codes.map(([method]) => [method, 'PERMISSION_DENIED']));
});
