import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { AppError, type Identity, uuidv7 } from '@aftercare/kit';
import { workorderV1 } from '@aftercare/proto';
import {
  anonymousGrpcCodes,
  anonymousSubgraphRequest,
  declaredRoleRefusals,
  grpcOutsiderCodes,
  outsiderCodes,
  probeCodes,
  rootFieldProbes,
  rowCount,
  subgraphData,
  subgraphRequest,
  type TestServiceEnv,
  testServiceEnv,
} from '@aftercare/testkit';
import { loadWorkOrderConfig, startWorkOrderService, type WorkOrderDeps } from '../../src';
import { WORKORDER_GRPC_ROLES } from '../../src/grpc/handlers';
import * as life from '../../src/app/lifecycle';

// Every GraphQL operation of the work-order subgraph checks who calls: the auditor reads only, and
// nobody unauthenticated reads or writes anything. The fields are read from the schema file, so a
// field added later is covered (and must check roles) without touching this test.
const SCHEMA = join(__dirname, '../../src/graphql/schema.graphql');
const auditor: Identity = { userId: 'aud-1', roles: ['auditor'] };
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startWorkOrderService>>;
let deps: WorkOrderDeps;

beforeAll(async () => {
  env = await testServiceEnv('wo-access', {
    CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1',
    SLA_SCHEDULER: 'false',
  });
  service = await startWorkOrderService(loadWorkOrderConfig(env.env), {
    onReady: (d) => (deps = d),
  });
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

const allProbes = () => [
  ...rootFieldProbes(SCHEMA, 'Query'),
  ...rootFieldProbes(SCHEMA, 'Mutation'),
];

it('every root field refuses a caller holding none of the roles it declares (@access), writing nothing', async () => {
  const before = await counts();
  const codes = await outsiderCodes(service.httpPort, allProbes());
  expect(codes).toEqual(codes.map(([field]) => [field, 'FORBIDDEN']));
  expect(await counts()).toEqual(before);
});

it('every role a root field declares gets past the role checks of its use case (docs/access.md promises nothing the code refuses)', async () => {
  expect(await declaredRoleRefusals(service.httpPort, allProbes())).toEqual([]);
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

const dispatcher: Identity = { userId: 'disp-1', roles: ['dispatcher'] };
const warehouse: Identity = { userId: 'wh-1', roles: ['warehouse'] };
const technician: Identity = { userId: 'tech-1', roles: ['technician'] };
const gql = <T>(query: string, variables: object = {}, caller: Identity = dispatcher) =>
  subgraphData<T>(service.httpPort, query, variables, caller);
/** `[path, code]` of each error (the testkit's response type leaves out the path). */
const located = (errors: unknown) =>
  (errors as { path?: string[]; extensions?: { code?: string } }[] | undefined)?.map((e) => [
    e.path?.join('.'),
    e.extensions?.code,
  ]);
const codesOf = async (query: string, variables: object, caller: Identity) =>
  located((await subgraphRequest(service.httpPort, query, variables, caller)).errors);

/** An internal job (no customer to check) with a site contact, as the dispatch desk takes it. */
async function registerOrder(): Promise<string> {
  const { registerWorkOrder } = await gql<{ registerWorkOrder: { workOrder: { id: string } } }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        internalKind: 'INSPECTION',
        contact: { name: 'Site Lead', phone: '13900001111' },
        faultDescription: 'Yearly inspection of the lift',
        category: 'ELECTRICAL',
        channel: 'PHONE',
      },
    },
  );
  return registerWorkOrder.workOrder.id;
}

it('SPEC §7 (ADR 0014) the warehouse reads work orders but neither the dispatch board nor site contact phones', async () => {
  const id = await registerOrder();
  const board = `{ dispatchBoard { workOrder { id contact { phone } } } }`;
  expect(await codesOf(board, {}, warehouse)).toEqual([['dispatchBoard', 'FORBIDDEN']]);
  const asDispatcher = await gql<{
    dispatchBoard: { workOrder: { id: string; contact: unknown } }[];
  }>(board);
  expect(asDispatcher.dispatchBoard.map((r) => r.workOrder)).toContainEqual({
    id,
    contact: { phone: '13900001111' },
  });
  // The order itself stays readable (parts are issued against it); its contact field alone is refused.
  const order = `query($id: ID!) { workOrder(id: $id) { id contact { name phone } } }`;
  const res = await subgraphRequest<{ workOrder: object }>(
    service.httpPort,
    order,
    { id },
    warehouse,
  );
  expect(res.data?.workOrder).toEqual({ id, contact: null });
  expect(located(res.errors)).toEqual([['workOrder.contact', 'FORBIDDEN']]);
});

it("R-WO-2 a move the caller's role may not make is refused before the order is looked up: FORBIDDEN, never NOT_FOUND or CONFLICT", async () => {
  const cancelled = await registerOrder();
  await gql(
    `mutation($id: ID!) { cancelWorkOrder(input: { workOrderId: $id, reason: "duplicate" }) { workOrder { status } } }`,
    {
      id: cancelled,
    },
  );
  const moves: Record<string, string> = {
    closeWorkOrder: `closeWorkOrder(input: { workOrderId: $id }) { workOrder { id } }`,
    cancelWorkOrder: `cancelWorkOrder(input: { workOrderId: $id, reason: "r" }) { workOrder { id } }`,
    approveDiscount: `approveDiscount(input: { workOrderId: $id }) { workOrder { id } }`,
    changeWorkOrderStation: `changeWorkOrderStation(input: { workOrderId: $id, stationCode: "HZ-01", reason: "r" }) { workOrder { id } }`,
    recordAnswer: `recordAnswer(input: { workOrderId: $id }) { workOrder { id } }`,
  };
  // A technician may move some orders (their own field work), but none of these: an unknown order
  // and a cancelled one (CONFLICT for whoever may move it) get the same answer.
  for (const [name, move] of Object.entries(moves)) {
    for (const id of [uuidv7(), cancelled]) {
      expect([name, await codesOf(`mutation($id: ID!) { ${move} }`, { id }, technician)]).toEqual([
        name,
        [[name, 'FORBIDDEN']],
      ]);
    }
  }
  // The same order of checks in the use cases, for any caller that is not the GraphQL edge.
  const useCases = [
    () => life.closeWorkOrder(deps, technician, uuidv7()),
    () => life.cancelWorkOrder(deps, technician, uuidv7(), 'r'),
    () => life.approveDiscount(deps, technician, uuidv7()),
    () =>
      life.changeWorkOrderStation(deps, technician, uuidv7(), {
        stationCode: 'HZ-01',
        reason: 'r',
      }),
    () => life.recordAnswer(deps, technician, uuidv7()),
    () => life.dispatchWorkOrder(deps, technician, uuidv7(), { technicianIds: ['tech-1'] }),
    () => life.departForSite(deps, warehouse, uuidv7()),
    () => life.receiveInWorkshop(deps, warehouse, uuidv7()),
  ];
  for (const call of useCases) {
    const error = await call().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('PERMISSION_DENIED');
  }
});

it('every gRPC method refuses a caller holding none of its roles before looking at the request (an empty one here)', async () => {
  const codes = await grpcOutsiderCodes(
    workorderV1.WorkOrderServiceClient,
    `127.0.0.1:${service.grpcPort}`,
    WORKORDER_GRPC_ROLES,
  );
  expect(codes.length).toBeGreaterThan(0);
  expect(codes).toEqual(codes.map(([method]) => [method, 'PERMISSION_DENIED']));
});
