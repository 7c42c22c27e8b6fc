import type { Identity } from '@aftercare/kit';
import {
  type TestServiceEnv,
  subgraphData,
  subgraphRequest,
  startTestService,
  stopTestService,
} from '@aftercare/testkit';
import { createWarehouse, upsertPart } from '../../src/app/catalogue';
import type { InventoryDeps } from '../../src/app/deps';
import { postDocument } from '../../src/app/ledger';
import { loadInventoryConfig, startInventoryService } from '../../src';

// Issue 13 (ADR 0017): every growing list is a Relay connection paged with first/after; the
// catalogue lists page by code in the database, a warehouse's stock per warehouse.

const manager: Identity = { userId: 'mgr-1', roles: ['manager'] };
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startInventoryService>>;
let deps: InventoryDeps;

beforeAll(async () => {
  ({ env, service } = await startTestService('inv-connections', (e) =>
    startInventoryService(loadInventoryConfig(e), { onReady: (d) => (deps = d) }),
  ));
  for (const code of ['ST-A', 'ST-B', 'ST-C'])
    await createWarehouse(deps, manager, {
      code,
      name: code,
      kind: 'STATION',
      region: { province: 'Zhejiang', city: 'Hangzhou' },
    });
  for (const code of ['P-1', 'P-2', 'P-3'])
    await upsertPart(deps, manager, { code, name: code, unit: 'PCS', priceFen: 100 });
  await postDocument(deps, manager, {
    type: 'RECEIPT',
    warehouseCode: 'ST-A',
    lines: ['P-3', 'P-1', 'P-2'].map((partCode) => ({ partCode, quantity: 5 })),
    reference: 'PO-1',
  });
});
afterAll(() => stopTestService({ env, service }));

type Page<T> = {
  nodes: T[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
};
const graph = <T>(query: string, variables: object = {}) =>
  subgraphData<T>(service.httpPort, query, variables, manager);

it('pages the catalogue by code: first, then after the endCursor, counting every part', async () => {
  const PARTS = `query($after: String) { parts(first: 2, after: $after) {
    nodes { code } totalCount pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
  const one = (await graph<{ parts: Page<{ code: string }> }>(PARTS)).parts;
  expect(one).toMatchObject({
    nodes: [{ code: 'P-1' }, { code: 'P-2' }],
    totalCount: 3,
    pageInfo: { hasNextPage: true, hasPreviousPage: false },
  });
  const two = (
    await graph<{ parts: Page<{ code: string }> }>(PARTS, { after: one.pageInfo.endCursor })
  ).parts;
  expect(two).toMatchObject({
    nodes: [{ code: 'P-3' }],
    totalCount: 3,
    pageInfo: { hasNextPage: false },
  });
  const edges = await graph<{ parts: { edges: { cursor: string; node: { code: string } }[] } }>(
    `{ parts(first: 3) { edges { cursor node { code } } } }`,
  );
  expect(edges.parts.edges.map((e) => e.node.code)).toEqual(['P-1', 'P-2', 'P-3']);
  expect(edges.parts.edges[1]!.cursor).toBe(one.pageInfo.endCursor);
});

it("pages a warehouse's stock by part code inside a page of warehouses", async () => {
  const { warehouses } = await graph<{
    warehouses: Page<{ code: string; stock: Page<{ part: { code: string }; onHand: number }> }>;
  }>(
    `{ warehouses(first: 1) { totalCount nodes { code stock(first: 2) {
      totalCount nodes { part { code } onHand } pageInfo { hasNextPage endCursor } } } } }`,
  );
  expect(warehouses.totalCount).toBe(3);
  expect(warehouses.nodes).toEqual([
    {
      code: 'ST-A',
      stock: {
        totalCount: 3,
        nodes: [
          { part: { code: 'P-1' }, onHand: 5 },
          { part: { code: 'P-2' }, onHand: 5 },
        ],
        pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
      },
    },
  ]);
});

it('refuses a page size outside 1..100 and a cursor that is not ours as BAD_USER_INPUT', async () => {
  const refusal = async (query: string) =>
    (await subgraphRequest(service.httpPort, query, {}, manager)).errors?.[0]?.extensions;
  expect(await refusal('{ parts(first: 101) { totalCount } }')).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'first',
    reason: 'INVALID_PAGE_SIZE',
  });
  expect(await refusal('{ tools(after: "nope") { totalCount } }')).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'after',
    reason: 'INVALID_CURSOR',
  });
  expect(await refusal('{ missingOldParts(after: "nope") { totalCount } }')).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'after',
    reason: 'INVALID_CURSOR',
  });
  expect(
    await refusal(
      'mutation { rejectRequisition(input: { requisitionId: "nope", reason: "r" }) { requisition { id } } }',
    ),
  ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'requisitionId' });
});
