import type { Identity } from '@aftercare/kit';
import {
  type IdempotentCreate,
  idempotentCreateChecks,
  rowCount,
  subgraphCreate,
  type TestServiceEnv,
  startTestService,
  stopTestService,
} from '@aftercare/testkit';
import { createWarehouse, upsertPart } from '../../src/app/catalogue';
import { openClaim } from '../../src/app/claims';
import type { InventoryDeps } from '../../src/app/deps';
import { postDocument } from '../../src/app/ledger';
import { upsertTool } from '../../src/app/tools';
import { loadInventoryConfig, startInventoryService } from '../../src';

// Issue 11: every create of the inventory service that needs no other service takes an
// idempotency key (requisitions and old-part receipts: requisitions.test.ts, with the work orders).
const manager: Identity = {
  userId: 'inv-idem-mgr',
  roles: ['manager', 'warehouse', 'tool_keeper', 'agent'],
};
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startInventoryService>>;
let deps: InventoryDeps;
let claimOrderId: string;

beforeAll(async () => {
  ({ env, service } = await startTestService(
    'inv-idem',
    (e) => startInventoryService(loadInventoryConfig(e), { onReady: (d) => (deps = d) }),
    { TOOL_SCHEDULER: 'false' },
  ));
  await createWarehouse(deps, manager, {
    code: 'IDEM-WH',
    name: 'Idempotency station',
    kind: 'STATION',
    region: { province: 'Zhejiang', city: 'Hangzhou' },
  });
  for (const code of ['IDEM-P', 'IDEM-Q'])
    await upsertPart(deps, manager, { code, name: code, unit: 'PCS', priceFen: 10_000 });
  await postDocument(deps, manager, {
    type: 'RECEIPT',
    warehouseCode: 'IDEM-WH',
    lines: [{ partCode: 'IDEM-P', quantity: 10_000 }],
  });
  claimOrderId = (
    await openClaim(deps, manager, {
      customerId: 'idem-customer',
      lines: [{ partCode: 'IDEM-P', quantity: 100, unitPriceFen: 10_000 }],
      depositFen: 1_000_000,
    })
  ).id;
});

afterAll(() => stopTestService({ env, service }));

const rows = (table: string) => () => rowCount(env.env.DATABASE_URL!, table);

/**
 * A GraphQL create on the inventory subgraph; `field` is the mutation, its payload holds what it
 * created under `created`, which has `id`.
 */
const create = (
  field: string,
  created: string,
  input: (v: number) => Promise<object> | object,
  idField = 'id',
): IdempotentCreate['call'] => {
  const inputType = `${field[0]!.toUpperCase()}${field.slice(1)}Input`;
  const call = (resolved: object) =>
    subgraphCreate<Record<string, Record<string, Record<string, string>>>>({
      httpPort: () => service.httpPort,
      caller: manager,
      query: `mutation($input: ${inputType}!) { ${field}(input: $input) { ${created} { ${idField} } } }`,
      variables: (_v, key) => ({ input: { ...resolved, idempotencyKey: key } }),
      id: (d) => d[field]![created]![idField]!,
    });
  return async (v, key) => call(await input(v))(v, key);
};

// Made once per variant, however many calls of that variant run at once.
const once = <T>(make: (v: number) => Promise<T>) => {
  const made = new Map<number, Promise<T>>();
  return (v: number) => {
    if (!made.has(v)) made.set(v, make(v));
    return made.get(v)!;
  };
};

const toolOf = once(async (v) => {
  const code = `IDEM-T${v}`;
  await upsertTool(deps, manager, {
    code,
    name: 'Torque wrench',
    originalPriceFen: 50_000,
    count: 1,
  });
  return code;
});

const issueOf = once(
  async (v) =>
    (
      await postDocument(deps, manager, {
        type: 'ISSUE',
        warehouseCode: 'IDEM-WH',
        lines: [{ partCode: 'IDEM-P', quantity: 1 }],
        reference: `REQ-${v}`,
      })
    ).id,
);

const creates: [string, IdempotentCreate][] = [
  [
    'createWarehouse',
    {
      rows: rows('warehouse'),
      call: create(
        'createWarehouse',
        'warehouse',
        (v) => ({
          code: `IDEM-ST${v}`,
          name: `Station ${v}`,
          kind: 'STATION',
          region: { province: 'Zhejiang', city: 'Ningbo' },
        }),
        'code',
      ),
    },
  ],
  [
    'postStockDocument (a goods receipt)',
    {
      rows: rows('stock_document'),
      call: create('postStockDocument', 'document', (v) => ({
        type: 'RECEIPT',
        warehouseCode: 'IDEM-WH',
        lines: [{ partCode: 'IDEM-Q', quantity: v }],
        reference: `PO-${v}`,
      })),
    },
  ],
  [
    'lendTool',
    {
      rows: rows('tool_loan'),
      call: create('lendTool', 'loan', async (v) => ({
        toolCode: await toolOf(v),
        borrowerId: 'tech-idem',
        signatureRef: `sig-${v}`,
        condition: 'GOOD',
      })),
    },
  ],
  [
    'openClaimOrder',
    {
      rows: rows('claim_order'),
      call: create('openClaimOrder', 'claimOrder', (v) => ({
        customerId: 'idem-customer',
        lines: [{ partCode: 'IDEM-P', quantity: v, unitPriceFen: 10_000 }],
        depositFen: 5_000,
      })),
    },
  ],
  [
    'recordWrongPartCorrection',
    {
      rows: rows('wrong_part_correction'),
      call: create('recordWrongPartCorrection', 'correction', async (v) => ({
        issueId: await issueOf(v),
        wrongPartCode: 'IDEM-P',
        rightPartCode: 'IDEM-Q',
      })),
    },
  ],
  [
    'payClaimDeposit (one payment per key)',
    {
      rows: rows('claim_deposit_payment'),
      call: subgraphCreate<{ payClaimDeposit: { claimOrder: { id: string } } }>({
        httpPort: () => service.httpPort,
        caller: manager,
        query: `mutation($id: ID!, $fen: Int!, $key: String) { payClaimDeposit(input: { claimOrderId: $id, amountFen: $fen, idempotencyKey: $key }) { claimOrder { id } } }`,
        variables: (v, key) => ({ id: claimOrderId, fen: v, key }),
        id: (d) => d.payClaimDeposit.claimOrder.id,
      }),
    },
  ],
];

describe.each(creates)('idempotent %s (GraphQL)', (_name, c) => {
  it.each(idempotentCreateChecks)('%s', (_title, check) => check(c));
});
