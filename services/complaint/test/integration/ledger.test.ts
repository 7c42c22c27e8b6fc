import {
  type InventoryToolLost,
  type WorkOrderCompleted,
  type WorkOrderRepeatRepair,
  inventoryToolLost,
  workOrderCompleted,
  workOrderRepeatRepair,
} from '@aftercare/events';
import { type Identity, uuidv7 } from '@aftercare/kit';
import {
  dbQuery,
  eventually,
  publishEnvelope,
  subgraphRequest,
  testEnvelope,
} from '@aftercare/testkit';
import { scanUncorrectedViolations } from '../../src/app/penalties';
import { uncorrectedRecounts } from '../../src/domain';
import { complaintGraph, createCustomer, manager, servicesForThisFile, upsertStaff } from './setup';

// The penalty ledger on real PostgreSQL and NATS: rules as data, rewards, re-counts of
// uncorrected violations, penalties from work-order and inventory events, and the month's report.
const s = servicesForThisFile('cp-ledger');

interface Line {
  staff_id: string;
  rule_code: string;
  points: number;
  amount_fen: string;
  reference: string | null;
  status: string;
  recount_of_id: string | null;
}
const ledger = () =>
  dbQuery<Line>(s.complaintEnv.env.DATABASE_URL!, 'SELECT * FROM penalty ORDER BY occurred_at, id');

const facts = (workOrderId: string, technicianIds: string[]) => ({
  workOrderId,
  number: 'WO-20261124-0001',
  status: 'RESOLVED_ON_SITE',
  customerId: null,
  assetId: null,
  serviceType: 'PAID' as const,
  category: 'MECHANICAL',
  region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
  technicianIds,
  leadTechnicianId: technicianIds[0] ?? null,
  calledAt: new Date(Date.now() - 3_600_000).toISOString(),
  stationCode: null,
});

it('R-PN-1 rules are data a manager edits; nobody else; bad rules are refused', async () => {
  const technician: Identity = { userId: uuidv7(), roles: ['technician'] };
  const rule = {
    code: 'LATE_REPORT',
    description: 'Service report handed in late',
    points: 1,
    fineFen: 1000,
    source: 'INSPECTION',
  };
  const denied = await subgraphRequest(
    s.complaint.httpPort,
    `mutation($input: UpsertPenaltyRuleInput!) { upsertPenaltyRule(input: $input) { rule { code } } }`,
    { input: rule },
    technician,
  );
  expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const bad = await subgraphRequest(
    s.complaint.httpPort,
    `mutation($input: UpsertPenaltyRuleInput!) { upsertPenaltyRule(input: $input) { rule { code } } }`,
    { input: { ...rule, points: 0, fineFen: 0 } },
    manager,
  );
  expect(bad.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'input.points',
  });
  const {
    upsertPenaltyRule: { rule: upserted },
  } = await complaintGraph<{
    upsertPenaltyRule: { rule: { code: string; points: number; fineFen: number; kind: string } };
  }>(
    s,
    `mutation($input: UpsertPenaltyRuleInput!) { upsertPenaltyRule(input: $input) { rule { code points fineFen kind } } }`,
    { input: rule },
    manager,
  );
  expect(upserted).toEqual({
    code: 'LATE_REPORT',
    points: 1,
    fineFen: 1000,
    kind: 'PENALTY',
  });
  const { penaltyRules } = await complaintGraph<{ penaltyRules: { code: string }[] }>(
    s,
    `{ penaltyRules { code } }`,
    {},
    technician,
  );
  // The seeded defaults plus the new one.
  expect(penaltyRules.map((r) => r.code)).toEqual([
    'ARCHIVE_HANDOVER_LATE',
    'BEST_PERFORMER',
    'COMPLAINT_SUBSTANTIATED',
    'LATE_REPORT',
    'REPEAT_REPAIR',
    'SLA_BREACH',
    'TOOL_LOSS',
    'VIOLATION',
  ]);
});

it('R-PN-2 a reward has a positive sign; an uncorrected violation counts again each working day, once per day across replicas', async () => {
  const staffId = uuidv7();
  await upsertStaff(s, { id: staffId, name: 'Six S' });
  const {
    proposePenalty: { penalty: reward },
  } = await complaintGraph<{
    proposePenalty: { penalty: { points: number; amountFen: number; kind: string } };
  }>(
    s,
    `mutation($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { points amountFen kind } } }`,
    { input: { ruleCode: 'BEST_PERFORMER', staffId } },
    manager,
  );
  expect(reward).toEqual({ points: 0, amountFen: 10000, kind: 'REWARD' });

  // Noted 4 calendar days ago (a working-day count of at least 1) and never corrected.
  const notedAt = new Date(Date.now() - 4 * 86_400_000);
  const {
    proposePenalty: { penalty: v },
  } = await complaintGraph<{ proposePenalty: { penalty: { id: string } } }>(
    s,
    `mutation($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { id } } }`,
    {
      input: {
        ruleCode: 'VIOLATION',
        staffId,
        occurredAt: notedAt.toISOString(),
        correctionRequired: true,
      },
    },
    manager,
  );
  await Promise.all([1, 2, 3].map(() => scanUncorrectedViolations(s.deps)));
  const recounts = (await ledger()).filter((l) => l.recount_of_id === v.id);
  const expected = uncorrectedRecounts(notedAt, null, new Date(), s.deps.calendar).length;
  expect(expected).toBeGreaterThanOrEqual(1);
  expect(recounts).toHaveLength(expected);
  expect(recounts.every((l) => l.rule_code === 'VIOLATION' && l.status === 'PROPOSED')).toBe(true);
  const { penalties } = await complaintGraph<{
    penalties: { nodes: { recountOf: { id: string } | null; correctionRequired: boolean }[] };
  }>(
    s,
    `query($s: ID!) { penalties(staffId: $s) { nodes { recountOf { id } correctionRequired } } }`,
    { s: staffId },
    { userId: staffId, roles: ['technician'] },
  );
  expect(penalties.nodes.filter((p) => p.recountOf?.id === v.id)).toHaveLength(expected);
  // Corrected: no more re-counts, however often the scheduler runs.
  await complaintGraph(
    s,
    `mutation($id: ID!) { markPenaltyCorrected(input: { penaltyId: $id }) { penalty { id } } }`,
    { id: v.id },
    manager,
  );
  const later = { ...s.deps, now: () => new Date(Date.now() + 10 * 86_400_000) };
  await scanUncorrectedViolations(later);
  expect((await ledger()).filter((l) => l.recount_of_id === v.id)).toHaveLength(expected);
});

it('R-PN-2 a reward is never "uncorrected": proposing one that needs correcting is refused and writes nothing', async () => {
  const staffId = uuidv7();
  await upsertStaff(s, { id: staffId, name: 'Best One' });
  const refused = await subgraphRequest(
    s.complaint.httpPort,
    `mutation($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { id } } }`,
    {
      input: {
        ruleCode: 'BEST_PERFORMER',
        staffId,
        occurredAt: new Date(Date.now() - 4 * 86_400_000).toISOString(),
        correctionRequired: true,
      },
    },
    manager,
  );
  expect(refused.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'correctionRequired',
    reason: 'NOT_A_VIOLATION',
  });
  await scanUncorrectedViolations(s.deps);
  expect((await ledger()).filter((l) => l.staff_id === staffId)).toEqual([]);
});

it('R-PN-2 the re-count scan reaches every uncorrected violation, however many are open', async () => {
  const staff = [uuidv7(), uuidv7(), uuidv7()];
  const notedAt = new Date(Date.now() - 4 * 86_400_000);
  const ids: string[] = [];
  for (const staffId of staff) {
    await upsertStaff(s, { id: staffId, name: 'Untidy' });
    const {
      proposePenalty: { penalty },
    } = await complaintGraph<{
      proposePenalty: { penalty: { id: string } };
    }>(
      s,
      `mutation($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { id } } }`,
      {
        input: {
          ruleCode: 'VIOLATION',
          staffId,
          occurredAt: notedAt.toISOString(),
          correctionRequired: true,
        },
      },
      manager,
    );
    ids.push(penalty.id);
  }
  // A batch of one: the scan must page on instead of re-reading the oldest open violation.
  await scanUncorrectedViolations(s.deps, 1);
  const expected = uncorrectedRecounts(notedAt, null, new Date(), s.deps.calendar).length;
  const lines = await ledger();
  for (const id of ids) expect(lines.filter((l) => l.recount_of_id === id)).toHaveLength(expected);
});

it('R-PN-3 the ledger list is paged, newest first, and a staff member pages through their own lines only', async () => {
  const staffId = uuidv7();
  await upsertStaff(s, { id: staffId, name: 'Paged' });
  const ids: string[] = [];
  for (const ref of ['A', 'B', 'C']) {
    const {
      proposePenalty: { penalty },
    } = await complaintGraph<{
      proposePenalty: { penalty: { id: string } };
    }>(
      s,
      `mutation($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { id } } }`,
      { input: { ruleCode: 'VIOLATION', staffId, sourceRef: ref } },
      manager,
    );
    ids.push(penalty.id);
  }
  const self: Identity = { userId: staffId, roles: ['technician'] };
  const PAGE = `query($first: Int, $after: String) { penalties(first: $first, after: $after) {
    nodes { id } totalCount pageInfo { hasNextPage endCursor } } }`;
  type Page = {
    penalties: {
      nodes: { id: string }[];
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
  const one = (await complaintGraph<Page>(s, PAGE, { first: 2 }, self)).penalties;
  expect(one).toEqual({
    nodes: [{ id: ids[2] }, { id: ids[1] }],
    totalCount: 3,
    pageInfo: { hasNextPage: true, endCursor: ids[1] },
  });
  const two = (
    await complaintGraph<Page>(s, PAGE, { first: 2, after: one.pageInfo.endCursor }, self)
  ).penalties;
  expect(two).toEqual({
    nodes: [{ id: ids[0] }],
    totalCount: 3,
    pageInfo: { hasNextPage: false, endCursor: ids[0] },
  });
  const bad = await subgraphRequest(s.complaint.httpPort, PAGE, { after: 'nope' }, self);
  expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
});

it('R-PN-2 a sales advisor archive fine doubles from their 2nd archive violation of the month, not their 2nd violation of any kind', async () => {
  const advisor = uuidv7();
  await upsertStaff(s, { id: advisor, name: 'Sales Su', position: 'sales_advisor' });
  const propose = async (ruleCode: string, sourceRef: string) =>
    (
      await complaintGraph<{
        proposePenalty: { penalty: { amountFen: number; nthViolation: number } };
      }>(
        s,
        `mutation($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { amountFen nthViolation } } }`,
        { input: { ruleCode, staffId: advisor, sourceRef } },
        manager,
      )
    ).proposePenalty.penalty;
  expect(await propose('SLA_BREACH', 'late-1')).toEqual({ amountFen: -400, nthViolation: 1 });
  // Violation no. 2 of the month, but the first archive one: 50 yuan.
  expect(await propose('ARCHIVE_HANDOVER_LATE', 'VIN-1')).toEqual({
    amountFen: -5000,
    nthViolation: 2,
  });
  // The second archive one: doubled.
  expect(await propose('ARCHIVE_HANDOVER_LATE', 'VIN-2')).toEqual({
    amountFen: -10000,
    nthViolation: 3,
  });
});

it('R-PN-1 repeat repairs and lost tools from their events propose penalties once; R-CO-4 completed work orders feed the complaint rate', async () => {
  const previousTech = uuidv7();
  const borrower = uuidv7();
  const repeatOrder = uuidv7();
  const repeat = {
    ...facts(repeatOrder, [uuidv7()]),
    repeatOfWorkOrderId: uuidv7(),
    previousCompletedAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
    windowDays: 30,
    previousTechnicianIds: [previousTech],
  } satisfies WorkOrderRepeatRepair;
  expect(workOrderRepeatRepair.safeParse(repeat).success).toBe(true);
  const loanId = uuidv7();
  const lost = {
    loanId,
    toolCode: 'TORQUE-1',
    toolName: 'Torque wrench',
    borrowerId: borrower,
    lostCount: 1,
    damagedCount: 0,
    originalPriceFen: 35000,
    damagedSharePercent: 50,
    amountFen: 35000,
    at: new Date().toISOString(),
  } satisfies InventoryToolLost;
  expect(inventoryToolLost.safeParse(lost).success).toBe(true);
  const repeatEnvelope = testEnvelope('workorder.repeat_repair', repeatOrder, repeat);
  const lostEnvelope = testEnvelope('inventory.tool_lost', loanId, lost);
  for (const e of [repeatEnvelope, lostEnvelope]) {
    await publishEnvelope(s.subjectPrefix, e);
    await publishEnvelope(s.subjectPrefix, e, uuidv7());
  }
  const completed: WorkOrderCompleted[] = [1, 2, 3, 4].map(() => ({
    ...facts(uuidv7(), []),
    completedAt: new Date().toISOString(),
    resolution: 'ON_SITE',
    partsReplaced: [],
    oldPartsCollected: false,
    oldParts: [],
    responsibility: null,
    repeatOfWorkOrderId: null,
  }));
  for (const c of completed) {
    expect(workOrderCompleted.safeParse(c).success).toBe(true);
    await publishEnvelope(s.subjectPrefix, testEnvelope('workorder.completed', c.workOrderId, c));
  }

  const lines = await eventually(ledger, (ls) =>
    [previousTech, borrower].every((id) => ls.some((l) => l.staff_id === id)),
  );
  await new Promise((r) => setTimeout(r, 1000));
  const mine = (await ledger()).filter((l) => [previousTech, borrower].includes(l.staff_id));
  expect(lines.length).toBeGreaterThan(0);
  expect(
    mine.map((l) => [l.staff_id, l.rule_code, l.points, Number(l.amount_fen), l.reference]),
  ).toEqual(
    expect.arrayContaining([
      [previousTech, 'REPEAT_REPAIR', -2, -400, repeatOrder],
      // 2 points (400 fen) plus the tool's charge (350 yuan) as restitution.
      [borrower, 'TOOL_LOSS', -2, -35400, loanId],
    ]),
  );
  expect(mine).toHaveLength(2);

  // One service-caused complaint this month against the completed work orders.
  const customerId = await createCustomer(s, 'Rate Customer', '13500005555');
  await complaintGraph(
    s,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
    {
      input: {
        complainant: { name: 'R', phone: '13500005555' },
        customerId,
        channel: 'CALL_CENTRE',
        category: 'REPAIR_QUALITY',
        content: 'still leaking',
      },
    },
    manager,
  );
  const month = s.deps.calendar.localDate(new Date()).slice(0, 7);
  const report = async () =>
    (
      await complaintGraph<{
        complaintReport: {
          total: number;
          completedWorkOrders: number;
          serviceCaused: number;
          complaintRate: number;
          meetsTarget: boolean;
          byChannel: { key: string; count: number }[];
        };
      }>(
        s,
        `query($m: String!) { complaintReport(month: $m) { total completedWorkOrders serviceCaused complaintRate meetsTarget byChannel { key count } } }`,
        { m: month },
        manager,
      )
    ).complaintReport;
  const r = await eventually(report, (x) => x.completedWorkOrders >= 4);
  expect(r).toMatchObject({
    total: 1,
    completedWorkOrders: 4,
    serviceCaused: 1,
    complaintRate: 0.25,
    meetsTarget: false,
  });
  expect(r.byChannel.find((l) => l.key === 'CALL_CENTRE')).toEqual({
    key: 'CALL_CENTRE',
    count: 1,
  });
  const badMonth = await subgraphRequest(
    s.complaint.httpPort,
    `{ complaintReport(month: "2026-1") { total } }`,
    {},
    manager,
  );
  expect(badMonth.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_MONTH',
  });
});
