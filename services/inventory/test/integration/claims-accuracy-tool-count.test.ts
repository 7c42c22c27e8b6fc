import { AppError, type Identity } from '@aftercare/kit';
import { inventoryClaimOrderClosed, inventoryWrongPartCorrected } from '@aftercare/events';
import {
  type TestServiceEnv,
  startTestService,
  stopTestService,
  dbQuery,
  rowCount,
} from '@aftercare/testkit';
import { createWarehouse, upsertPart } from '../../src/app/catalogue';
import type { InventoryDeps } from '../../src/app/deps';
import { postDocument } from '../../src/app/ledger';
import { accuracyOf, correctWrongPart } from '../../src/app/accuracy';
import {
  cancelClaim,
  forfeitClaim,
  getClaim,
  listClaims,
  openClaim,
  payClaimDeposit,
  placeClaim,
  settleClaim,
} from '../../src/app/claims';
import { countTools, lend, toolCounts, upsertTool } from '../../src/app/tools';
import { loadInventoryConfig, startInventoryService } from '../../src';

// R-IN-4 claim orders with a deposit, R-IN-5 wrong-part corrections and issue accuracy, R-IN-6
// the monthly tool count — persisted in real PostgreSQL, events in the outbox.
const keeper: Identity = { userId: 'wh-1', roles: ['warehouse'] };
const manager: Identity = { userId: 'mgr-1', roles: ['manager'] };
const adviser: Identity = { userId: 'adv-1', roles: ['agent'] };
const lead: Identity = { userId: 'lead-1', roles: ['workshop'] };
const toolKeeper: Identity = { userId: 'tk-1', roles: ['tool_keeper'] };
const tech: Identity = { userId: 'tech-1', roles: ['technician'] };
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startInventoryService>>;
let deps: InventoryDeps;

beforeAll(async () => {
  // A configured threshold below the default: 2 × 200 000 fen needs the director.
  ({ env, service } = await startTestService(
    'inv-kpi',
    (e) => startInventoryService(loadInventoryConfig(e), { onReady: (d) => (deps = d) }),
    { TOOL_SCHEDULER: 'false', CLAIM_LARGE_AMOUNT_FEN: '300000' },
  ));
  for (const code of ['ST-A', 'ST-B']) {
    await createWarehouse(deps, manager, {
      code,
      name: code,
      kind: 'STATION',
      region: { province: 'Zhejiang', city: 'Hangzhou' },
    });
  }
  for (const code of ['CTL-48', 'CTL-60']) {
    await upsertPart(deps, keeper, { code, name: code, unit: 'PCS', priceFen: 50_000 });
  }
});
afterAll(() => stopTestService({ env, service }));

const sql = <T>(text: string, params: unknown[] = []) =>
  dbQuery<T>(env.env.DATABASE_URL!, text, params);
const outbox = (type: string) =>
  sql<{ payload: { data: unknown } }>('SELECT payload FROM outbox WHERE type = $1 ORDER BY id', [
    type,
  ]);

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('R-IN-4 claim orders (索赔订货) with a deposit', () => {
  const open = (depositFen: number, unitPriceFen = 12_000) =>
    openClaim(deps, adviser, {
      customerId: 'cust-1',
      lines: [{ partCode: 'ctl-48', quantity: 2, unitPriceFen }],
      depositFen,
    });

  it('is ordered only once the deposit is paid, then settled with the deposit refunded', async () => {
    const claim = await open(10_000);
    expect(claim).toMatchObject({ status: 'OPEN', valueFen: 24_000, depositFen: 10_000 });
    expect(await rejection(placeClaim(deps, lead, claim.id))).toMatchObject({
      code: 'FAILED_PRECONDITION',
      reason: 'DEPOSIT_NOT_PAID',
    });
    await payClaimDeposit(deps, adviser, claim.id, 4_000);
    expect(await rejection(payClaimDeposit(deps, adviser, claim.id, 7_000))).toMatchObject({
      reason: 'DEPOSIT_OVERPAID',
    });
    await payClaimDeposit(deps, adviser, claim.id, 6_000);
    expect(await rejection(payClaimDeposit(deps, keeper, claim.id, 1))).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    expect((await placeClaim(deps, lead, claim.id)).status).toBe('ORDERED');
    expect(await rejection(payClaimDeposit(deps, adviser, claim.id, 1))).toMatchObject({
      reason: 'ILLEGAL_TRANSITION',
    });
    const settled = await settleClaim(deps, keeper, claim.id);
    expect(settled).toMatchObject({
      status: 'SETTLED',
      depositPaidFen: 10_000,
      depositRefundedFen: 10_000,
    });

    const stored = await getClaim(deps.orm.em.fork(), manager, claim.id);
    expect(stored).toMatchObject({
      status: 'SETTLED',
      depositRefundedFen: 10_000,
      orderedBy: 'lead-1',
    });
    expect(
      await sql(
        'SELECT amount_fen::int AS amount, received_by FROM claim_deposit_payment WHERE claim_order_id = $1 ORDER BY received_at',
        [claim.id],
      ),
    ).toEqual([
      { amount: 4_000, received_by: 'adv-1' },
      { amount: 6_000, received_by: 'adv-1' },
    ]);
    const events = (await outbox('inventory.claim_order_closed')).map((e) =>
      inventoryClaimOrderClosed.parse(e.payload.data),
    );
    expect(events.filter((e) => e.claimOrderId === claim.id)).toEqual([
      expect.objectContaining({ status: 'SETTLED', refundFen: 10_000, forfeitedFen: 0 }),
    ]);
  });

  it('a customer who never comes forfeits the deposit (manager only); cancelled before ordering refunds', async () => {
    const noShow = await open(5_000);
    await payClaimDeposit(deps, adviser, noShow.id, 5_000);
    await placeClaim(deps, lead, noShow.id);
    expect(await rejection(forfeitClaim(deps, keeper, noShow.id, 'no show'))).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    expect(await forfeitClaim(deps, manager, noShow.id, 'no show after 60 days')).toMatchObject({
      status: 'FORFEITED',
      depositForfeitedFen: 5_000,
      depositRefundedFen: 0,
    });

    const cancelled = await open(5_000);
    await payClaimDeposit(deps, adviser, cancelled.id, 2_000);
    expect(await cancelClaim(deps, adviser, cancelled.id, 'bought elsewhere')).toMatchObject({
      status: 'CANCELLED',
      depositRefundedFen: 2_000,
    });
    const listed = await listClaims(deps.orm.em.fork(), manager, { status: 'FORFEITED' });
    expect(listed.items.map((c) => c.id)).toEqual([noShow.id]);
  });

  it('a large claim is signed by the director (manager); bad input changes nothing', async () => {
    const big = await open(0, 200_000);
    expect(await rejection(placeClaim(deps, lead, big.id))).toMatchObject({
      reason: 'LARGE_CLAIM_NEEDS_MANAGER',
    });
    expect((await placeClaim(deps, manager, big.id)).status).toBe('ORDERED');

    const before = await rowCount(env.env.DATABASE_URL!, 'claim_order');
    expect(await rejection(open(30_000))).toMatchObject({ reason: 'DEPOSIT_EXCEEDS_VALUE' });
    expect(
      await rejection(
        openClaim(deps, adviser, {
          customerId: 'c',
          lines: [{ partCode: 'NOT-IN-CATALOGUE', quantity: 1, unitPriceFen: 100 }],
        }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await rejection(
        openClaim(deps, adviser, { customerId: 'c', workOrderId: 'nope', lines: [] }),
      ),
    ).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'workOrderId' });
    expect(await rejection(openClaim(deps, tech, { customerId: 'c', lines: [] }))).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    expect(await rowCount(env.env.DATABASE_URL!, 'claim_order')).toBe(before);
    expect(
      await rejection(settleClaim(deps, keeper, '0190a0a0-0000-7000-8000-000000000000')),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('R-IN-5 wrong-part corrections and issue accuracy (配件出货正确率)', () => {
  const at = (iso: string) => () => new Date(iso);
  const issueAt = async (warehouseCode: string, iso: string) => {
    deps.now = at(iso);
    return postDocument(deps, keeper, {
      type: 'ISSUE',
      warehouseCode,
      lines: [{ partCode: 'CTL-48', quantity: 1 }],
      reference: `REQ-${iso}`,
    });
  };

  afterAll(() => {
    deps.now = () => new Date();
  });

  it('counts an issue wrong when a correction names it; per warehouse and period', async () => {
    deps.now = at('2026-10-01T01:00:00Z');
    for (const w of ['ST-A', 'ST-B']) {
      await postDocument(deps, keeper, {
        type: 'RECEIPT',
        warehouseCode: w,
        lines: [{ partCode: 'CTL-48', quantity: 20 }],
        reference: 'PO-1',
      });
    }
    const a = [];
    for (const day of ['02', '03', '04', '05'])
      a.push(await issueAt('ST-A', `2026-10-${day}T02:00:00Z`));
    const b = await issueAt('ST-B', '2026-10-06T02:00:00Z');
    await issueAt('ST-A', '2026-11-02T02:00:00Z');

    deps.now = at('2026-11-10T02:00:00Z');
    // Found in November, it still spoils the October issue.
    const correction = await correctWrongPart(deps, keeper, a[1]!.id, {
      wrongPartCode: 'ctl-48',
      rightPartCode: 'CTL-60',
      note: 'customer has the 60 V model',
    });
    expect(correction).toMatchObject({
      issueId: a[1]!.id,
      warehouseCode: 'ST-A',
      wrongPartCode: 'CTL-48',
      rightPartCode: 'CTL-60',
      quantity: 1,
      correctedBy: 'wh-1',
    });
    const events = (await outbox('inventory.wrong_part_corrected')).map((e) =>
      inventoryWrongPartCorrected.parse(e.payload.data),
    );
    expect(events).toEqual([
      expect.objectContaining({ issueId: a[1]!.id, correctionId: correction.id }),
    ]);

    const em = deps.orm.em.fork();
    const october = { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' };
    expect(await accuracyOf(em, manager, { ...october, warehouseCode: 'st-a' })).toMatchObject({
      issues: 4,
      correct: 3,
      wrong: 1,
      accuracy: 0.75,
      target: 0.98,
      meetsTarget: false,
      warehouseCode: 'ST-A',
    });
    expect(await accuracyOf(em, manager, october)).toMatchObject({
      issues: 5,
      wrong: 1,
      accuracy: 0.8,
    });
    expect(await accuracyOf(em, manager, { ...october, warehouseCode: 'ST-B' })).toMatchObject({
      issues: 1,
      accuracy: 1,
      meetsTarget: true,
    });
    expect(
      await accuracyOf(em, manager, { from: '2026-12-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }),
    ).toMatchObject({ issues: 0, accuracy: null, meetsTarget: null });
    expect(b.warehouseCode).toBe('ST-B');
  });

  it('refuses a second record of the same mistake, a part not on the issue, a non-issue and bad periods', async () => {
    deps.now = at('2026-11-12T02:00:00Z');
    const issue = await issueAt('ST-B', '2026-11-12T01:00:00Z');
    deps.now = at('2026-11-12T03:00:00Z');
    await correctWrongPart(deps, keeper, issue.id, {
      wrongPartCode: 'CTL-48',
      rightPartCode: 'CTL-60',
    });
    const before = await rowCount(env.env.DATABASE_URL!, 'wrong_part_correction');
    expect(
      await rejection(
        correctWrongPart(deps, keeper, issue.id, {
          wrongPartCode: 'CTL-48',
          rightPartCode: 'CTL-60',
        }),
      ),
    ).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'CORRECTION_EXISTS' });
    expect(
      await rejection(
        correctWrongPart(deps, keeper, issue.id, {
          wrongPartCode: 'CTL-60',
          rightPartCode: 'CTL-48',
        }),
      ),
    ).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'NOT_ON_ISSUE' });
    const receipt = await postDocument(deps, keeper, {
      type: 'RECEIPT',
      warehouseCode: 'ST-B',
      lines: [{ partCode: 'CTL-60', quantity: 1 }],
      reference: 'PO-2',
    });
    expect(
      await rejection(
        correctWrongPart(deps, keeper, receipt.id, {
          wrongPartCode: 'CTL-60',
          rightPartCode: 'CTL-48',
        }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await rejection(
        correctWrongPart(deps, tech, issue.id, {
          wrongPartCode: 'CTL-48',
          rightPartCode: 'CTL-60',
        }),
      ),
    ).toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await rowCount(env.env.DATABASE_URL!, 'wrong_part_correction')).toBe(before);
    expect(
      await rejection(
        accuracyOf(deps.orm.em.fork(), manager, {
          from: '2026-11-01T00:00:00Z',
          to: '2026-10-01T00:00:00Z',
        }),
      ),
    ).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'INVALID_PERIOD' });
    expect(
      await rejection(
        accuracyOf(deps.orm.em.fork(), tech, {
          from: '2026-10-01T00:00:00Z',
          to: '2026-11-01T00:00:00Z',
        }),
      ),
    ).toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});

describe('R-IN-6 the monthly count of every tool', () => {
  it('compares the shelf with owned − on loan, once a month; a tool left out is refused', async () => {
    deps.now = () => new Date('2026-11-20T02:00:00Z');
    await upsertTool(deps, toolKeeper, {
      code: 'TQ-WRENCH',
      name: 'Torque wrench',
      originalPriceFen: 80_000,
      count: 3,
    });
    await upsertTool(deps, toolKeeper, {
      code: 'PULLER',
      name: 'Bearing puller',
      special: true,
      originalPriceFen: 30_000,
      count: 1,
    });
    await lend(deps, toolKeeper, 'TQ-WRENCH', {
      borrowerId: 'tech-1',
      signatureRef: 'sig-1',
      count: 1,
      condition: 'GOOD',
    });

    expect(
      await rejection(countTools(deps, toolKeeper, [{ toolCode: 'TQ-WRENCH', counted: 2 }])),
    ).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'NOT_COUNTED' });
    expect(
      await rejection(countTools(deps, tech, [{ toolCode: 'TQ-WRENCH', counted: 2 }])),
    ).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    expect(await rowCount(env.env.DATABASE_URL!, 'tool_count')).toBe(0);

    // Two keepers counting at once: the tool rows queue them, one count stands.
    const outcomes = await Promise.allSettled([
      countTools(deps, toolKeeper, [
        { toolCode: 'tq-wrench', counted: 1 },
        { toolCode: 'PULLER', counted: 1 },
      ]),
      countTools(deps, manager, [
        { toolCode: 'TQ-WRENCH', counted: 1 },
        { toolCode: 'PULLER', counted: 1 },
      ]),
    ]);
    const done = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(done).toHaveLength(1);
    expect(refused.map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.objectContaining({ reason: 'ALREADY_COUNTED' }),
    ]);
    const {
      items: [count],
    } = await toolCounts(deps.orm.em.fork(), manager, '2026-11');
    expect(count).toMatchObject({ month: '2026-11', discrepancies: 1 });
    expect(count!.lines).toEqual([
      { toolCode: 'PULLER', owned: 1, onLoan: 0, expected: 1, counted: 1, difference: 0 },
      { toolCode: 'TQ-WRENCH', owned: 3, onLoan: 1, expected: 2, counted: 1, difference: -1 },
    ]);
    // The next business month may be counted again (Asia/Shanghai: 1 December from 16:00 UTC).
    deps.now = () => new Date('2026-11-30T16:30:00Z');
    expect(
      (
        await countTools(deps, toolKeeper, [
          { toolCode: 'TQ-WRENCH', counted: 2 },
          { toolCode: 'PULLER', counted: 1 },
        ])
      ).month,
    ).toBe('2026-12');
    expect(await rejection(toolCounts(deps.orm.em.fork(), manager, '2026-13'))).toMatchObject({
      reason: 'INVALID_MONTH',
    });
    deps.now = () => new Date();
  });
});
