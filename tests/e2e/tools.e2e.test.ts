import { streamEvents } from './support/events';
import { startSystem, type System } from './harness';

// R-IN-6 tool lending through the gateway.
let sys: System;
beforeAll(async () => {
  sys = await startSystem('e2e-tools');
});
afterAll(() => sys?.stop());

const keeper = ['tool_keeper'] as const;
const LEND = `mutation($input: LendToolInput!) { lendTool(input: $input) { loan { id lentAt } } }`;
const RETURN = `mutation($input: ReturnToolInput!) { returnTool(input: $input) { loan { id returnedAt conditionAtReturn } } }`;

async function tool(code: string, special: boolean, priceFen: number, count = 2) {
  const r = await sys.gql(
    `mutation($input: UpsertToolInput!) { upsertTool(input: $input) { tool { code } } }`,
    { input: { code, name: code, special, originalPriceFen: priceFen, count } },
    [...keeper],
  );
  expect(r.errors).toBeUndefined();
}

const inventoryEvents = () => streamEvents(sys.subjectPrefix, 'inventory');

it('R-IN-6 a special tool not back by the end of the working day shows overdue and emits one event', async () => {
  await tool('SPECIAL-PULLER', true, 150000, 1);
  // Lent three days ago: whatever today is, that working day has ended.
  const lentAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
  const loan = await sys.gql<{ lendTool: { loan: { id: string } } }>(
    LEND,
    {
      input: {
        toolCode: 'SPECIAL-PULLER',
        borrowerId: 'tech-x',
        signatureRef: 'sig://tech-x/1',
        condition: 'GOOD',
        lentAt,
      },
    },
    [...keeper],
  );
  expect(loan.errors).toBeUndefined();
  const loanId = loan.data!.lendTool.loan.id;
  // The scheduler runs every second in this system; give it a few rounds.
  await new Promise((r) => setTimeout(r, 3500));
  const tools = await sys.gql<{
    tools: {
      nodes: {
        code: string;
        loans: { nodes: { id: string; overdueNotifiedAt: string | null }[] };
      }[];
    };
  }>(`query { tools { nodes { code loans { nodes { id overdueNotifiedAt } } } } }`, {}, [
    ...keeper,
  ]);
  expect(
    tools.data!.tools.nodes.find((t) => t.code === 'SPECIAL-PULLER')!.loans.nodes[0],
  ).toMatchObject({
    id: loanId,
    overdueNotifiedAt: expect.any(String),
  });
  const overdue = (await inventoryEvents()).filter(
    (e) => e.type === 'inventory.tool_overdue' && e.subject === loanId,
  );
  expect(overdue).toHaveLength(1);
  expect(overdue[0]!.data).toMatchObject({ toolCode: 'SPECIAL-PULLER', borrowerId: 'tech-x' });

  // Who borrows returns.
  const byOther = await sys.gql(
    RETURN,
    { input: { loanId, returnedBy: 'tech-y', condition: 'GOOD' } },
    [...keeper],
  );
  expect(byOther.errors?.[0]?.extensions).toMatchObject({
    code: 'CONFLICT',
    reason: 'NOT_THE_BORROWER',
  });
  const back = await sys.gql(
    RETURN,
    { input: { loanId, returnedBy: 'tech-x', condition: 'GOOD' } },
    [...keeper],
  );
  expect(back.errors).toBeUndefined();
});

it('R-IN-6 a lost tool is charged to the borrower at original price (inventory.tool_lost)', async () => {
  await tool('TORQUE-WRENCH', false, 32000, 2);
  const loan = await sys.gql<{ lendTool: { loan: { id: string } } }>(
    LEND,
    {
      input: {
        toolCode: 'TORQUE-WRENCH',
        borrowerId: 'tech-z',
        signatureRef: 'sig://tech-z/1',
        condition: 'GOOD',
        count: 2,
      },
    },
    [...keeper],
  );
  const loanId = loan.data!.lendTool.loan.id;
  const lost = await sys.gql(
    RETURN,
    { input: { loanId, returnedBy: 'tech-z', condition: 'LOST' } },
    [...keeper],
  );
  expect(lost.errors).toBeUndefined();
  let charge;
  for (let i = 0; i < 30 && !charge; i++) {
    charge = (await inventoryEvents()).find(
      (e) => e.type === 'inventory.tool_lost' && e.subject === loanId,
    );
    if (!charge) await new Promise((r) => setTimeout(r, 200));
  }
  expect(charge?.data).toMatchObject({
    borrowerId: 'tech-z',
    toolCode: 'TORQUE-WRENCH',
    lostCount: 2,
    amountFen: 64000,
  });
  const asTech = await sys.gql(
    LEND,
    {
      input: {
        toolCode: 'TORQUE-WRENCH',
        borrowerId: 'tech-z',
        signatureRef: 's',
        condition: 'GOOD',
      },
    },
    ['technician'],
  );
  expect(asTech.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
