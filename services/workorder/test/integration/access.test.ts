import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import type { Identity } from '@aftercare/kit';
import { workorderV1 } from '@aftercare/proto';
import {
  anonymousGrpcCodes,
  anonymousSubgraphRequest,
  probeCodes,
  rootFieldProbes,
  rowCount,
  type TestServiceEnv,
  testServiceEnv,
} from '@aftercare/testkit';
import { loadWorkOrderConfig, startWorkOrderService } from '../../src';

// Every GraphQL operation of the work-order subgraph checks who calls: the auditor reads only, and
// nobody unauthenticated reads or writes anything. The fields are read from the schema file, so a
// field added later is covered (and must check roles) without touching this test.
const SCHEMA = join(__dirname, '../../src/graphql/schema.graphql');
const auditor: Identity = { userId: 'aud-1', roles: ['auditor'] };
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startWorkOrderService>>;

beforeAll(async () => {
  env = await testServiceEnv('wo-access', {
    CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1',
    SLA_SCHEDULER: 'false',
  });
  service = await startWorkOrderService(loadWorkOrderConfig(env.env));
});
afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
});

const tables = ['work_order', 'work_order_history', 'staff', 'sla_policy', 'sla_breach'];
const counts = () => Promise.all(tables.map((t) => rowCount(env.env.DATABASE_URL!, t)));

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
    workorderV1.WorkOrderServiceService,
  );
  expect(codes.length).toBeGreaterThan(0);
  expect(codes).toEqual(codes.map(([method]) => [method, status.UNAUTHENTICATED]));
});

it('entity references (how the gateway enters this subgraph from another one) refuse an anonymous caller', async () => {
  const res = await anonymousSubgraphRequest(
    service.httpPort,
    `{ _entities(representations: [
    { __typename: "WorkOrder", id: "01900000-0000-7000-8000-000000000000" }
    { __typename: "Staff", id: "s-1" }
  ]) { __typename } }`,
  );
  expect(res.errors?.length).toBe(2);
  expect(res.errors!.map((e) => e.extensions?.code)).toEqual(
    res.errors!.map(() => 'UNAUTHENTICATED'),
  );
});
