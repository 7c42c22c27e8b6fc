import { type CustomerArchiveLoan, customerArchiveLoan } from '@aftercare/events';
import { type Identity } from '@aftercare/kit';
import { dbQuery, rowCount, subgraphData, subgraphRequest } from '@aftercare/testkit';
import { openArchiveLoanOf, scanOverdueLoans } from '../../src/app/archive-loans';
import { customerForThisFile } from './for-this-file';

// R-CU-4 borrowing paper files on real PostgreSQL: request → approval → lend → return, each step
// a history line and an event in one transaction; refusals write nothing; overdue reported once.
const s = customerForThisFile('customer-archive-loans');

const agent: Identity = { userId: 'agent-1', roles: ['agent'] };
const otherAgent: Identity = { userId: 'agent-2', roles: ['agent'] };
const keeper: Identity = { userId: 'keeper-1', roles: ['customer_relations'] };
const manager: Identity = { userId: 'manager-1', roles: ['manager'] };
const technician: Identity = { userId: 'tech-1', roles: ['technician'] };
const auditor: Identity = { userId: 'aud-1', roles: ['auditor'] };

const url = () => s.env.env.DATABASE_URL!;
const today = () => s.service.config.calendar.localDate(new Date());
const daysAhead = (n: number) =>
  s.service.config.calendar.localDate(new Date(Date.now() + n * 86_400_000));

const LOAN = `id status borrowerId purpose dueOn dueAt decidedBy lentBy lentAt returnedAt returnReceivedBy returnCondition returnNotes overdue returnedLate overdueReportedAt history { step by note }`;

interface Loan {
  id: string;
  status: string;
  borrowerId: string;
  dueOn: string;
  dueAt: string;
  decidedBy: string | null;
  lentBy: string | null;
  lentAt: string | null;
  returnedAt: string | null;
  returnReceivedBy: string | null;
  returnCondition: string | null;
  overdue: boolean;
  returnedLate: boolean;
  overdueReportedAt: string | null;
  history: { step: string; by: string | null; note: string | null }[];
}

const MUTATION = {
  requestArchiveLoan: 'RequestArchiveLoanInput',
  approveArchiveLoan: 'ApproveArchiveLoanInput',
  rejectArchiveLoan: 'ArchiveLoanReasonInput',
  lendArchiveLoan: 'LendArchiveLoanInput',
  returnArchiveLoan: 'ReturnArchiveLoanInput',
  cancelArchiveLoan: 'ArchiveLoanReasonInput',
} as const;

/** One loan mutation as `who`: the loan, or the error's code and reason. */
async function step(name: keyof typeof MUTATION, input: object, who: Identity) {
  const res = await subgraphRequest<Record<string, { loan: Loan }>>(
    s.service.httpPort,
    `mutation($input: ${MUTATION[name]}!) { ${name}(input: $input) { loan { ${LOAN} } } }`,
    { input },
    who,
  );
  const error = res.errors?.[0];
  return {
    loan: res.data?.[name]?.loan ?? null,
    refusal: error ? { code: error.extensions?.code, reason: error.extensions?.reason } : null,
  };
}

async function ok(name: keyof typeof MUTATION, input: object, who: Identity): Promise<Loan> {
  const { loan, refusal } = await step(name, input, who);
  expect(refusal).toBeNull();
  return loan!;
}

async function newCustomer(): Promise<string> {
  const { createCustomer } = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    s.service.httpPort,
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name: 'Loan Customer',
        contacts: [{ name: 'Loan Customer', mobile: '13500003333', primary: true }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' }, primary: true }],
      },
    },
    agent,
  );
  return createCustomer.customer.id;
}

const request = (customerId: string, who: Identity = agent, dueOn = daysAhead(7)) =>
  step('requestArchiveLoan', { customerId, purpose: 'warranty claim review', dueOn }, who);

async function lent(customerId: string): Promise<Loan> {
  const { loan } = await request(customerId);
  await ok('approveArchiveLoan', { loanId: loan!.id }, keeper);
  return ok('lendArchiveLoan', { loanId: loan!.id }, keeper);
}

const eventsOf = async (loanId: string) =>
  (
    await dbQuery<{ type: string; payload: { data: unknown } }>(
      url(),
      "SELECT type, payload FROM outbox WHERE type LIKE 'customer.archive_loan_%' ORDER BY id",
    )
  )
    .map((r) => ({ type: r.type, data: customerArchiveLoan.parse(r.payload.data) }))
    .filter((e: { data: CustomerArchiveLoan }) => e.data.loanId === loanId);

const written = () =>
  Promise.all(['archive_loan', 'archive_loan_step', 'outbox'].map((t) => rowCount(url(), t)));

it('R-CU-4 a paper file is requested, approved, lent and returned: each step a history line and an event', async () => {
  const customerId = await newCustomer();
  const dueOn = daysAhead(10);
  const { loan: asked } = await request(customerId, agent, dueOn);
  expect(asked).toMatchObject({ status: 'REQUESTED', borrowerId: 'agent-1', dueOn });
  expect(new Date(asked!.dueAt)).toEqual(
    s.service.config.calendar.endOfWorkingDay(
      s.service.config.calendar.fromLocal(`${dueOn}T12:00`),
    ),
  );
  const approved = await ok('approveArchiveLoan', { loanId: asked!.id, note: 'ok' }, keeper);
  expect(approved).toMatchObject({ status: 'APPROVED', decidedBy: 'keeper-1' });
  const out = await ok('lendArchiveLoan', { loanId: asked!.id }, keeper);
  expect(out).toMatchObject({ status: 'LENT', lentBy: 'keeper-1', overdue: false, dueOn });
  expect(out.lentAt).not.toBeNull();
  expect((await openArchiveLoanOf(s.service.orm.em.fork(), customerId))?.id).toBe(asked!.id);

  const back = await ok(
    'returnArchiveLoan',
    { loanId: asked!.id, condition: 'DAMAGED', notes: 'cover torn' },
    keeper,
  );
  expect(back).toMatchObject({
    status: 'RETURNED',
    returnReceivedBy: 'keeper-1',
    returnCondition: 'DAMAGED',
    returnedLate: false,
    overdue: false,
  });
  expect(back.history).toEqual([
    { step: 'REQUESTED', by: 'agent-1', note: 'warranty claim review' },
    { step: 'APPROVED', by: 'keeper-1', note: 'ok' },
    { step: 'LENT', by: 'keeper-1', note: null },
    { step: 'RETURNED', by: 'keeper-1', note: 'cover torn' },
  ]);
  const events = await eventsOf(asked!.id);
  expect(events.map((e) => [e.type, e.data.status, e.data.by])).toEqual([
    ['customer.archive_loan_requested', 'REQUESTED', 'agent-1'],
    ['customer.archive_loan_approved', 'APPROVED', 'keeper-1'],
    ['customer.archive_loan_lent', 'LENT', 'keeper-1'],
    ['customer.archive_loan_returned', 'RETURNED', 'keeper-1'],
  ]);
  expect(events[3]!.data).toMatchObject({ returnCondition: 'DAMAGED', note: 'cover torn' });
  expect(await openArchiveLoanOf(s.service.orm.em.fork(), customerId)).toBeNull();

  // On the customer's file, and a new loan may start.
  const { customer } = await subgraphData<{
    customer: { archiveLoans: { nodes: { id: string; status: string }[] } };
  }>(
    s.service.httpPort,
    `query($id: ID!) { customer(id: $id) { archiveLoans { nodes { id status } } } }`,
    { id: customerId },
    auditor,
  );
  expect(customer.archiveLoans.nodes).toEqual([{ id: asked!.id, status: 'RETURNED' }]);
  expect((await request(customerId, otherAgent)).refusal).toBeNull();
});

it('R-CU-4 refusals carry a reason and write nothing', async () => {
  const customerId = await newCustomer();
  const before = await written();
  const refused = async (
    result: Promise<{ refusal: unknown }>,
    code: string,
    reason: string,
  ): Promise<void> => {
    expect((await result).refusal).toEqual({ code, reason });
    expect(await written()).toEqual(before);
  };
  // Bad due days: passed, or beyond ARCHIVE_LOAN_MAX_DAYS (14).
  await refused(request(customerId, agent, daysAhead(-1)), 'BAD_USER_INPUT', 'INVALID_DUE_DATE');
  await refused(request(customerId, agent, daysAhead(15)), 'BAD_USER_INPUT', 'INVALID_DUE_DATE');
  await refused(
    step('requestArchiveLoan', { customerId, purpose: ' ', dueOn: today() }, agent),
    'BAD_USER_INPUT',
    'REQUIRED',
  );
  await refused(request('01900000-0000-7000-8000-000000000000'), 'NOT_FOUND', 'CUSTOMER_NOT_FOUND');

  // A keeper's own request goes to a manager; the keeper cannot decide it.
  const { loan } = await request(customerId, keeper);
  const after = await written();
  const unchanged = async (result: Promise<{ refusal: unknown }>, code: string, reason: string) => {
    expect((await result).refusal).toEqual({ code, reason });
    expect(await written()).toEqual(after);
  };
  await unchanged(
    step('approveArchiveLoan', { loanId: loan!.id }, keeper),
    'FORBIDDEN',
    'OWN_REQUEST',
  );
  await unchanged(
    step('rejectArchiveLoan', { loanId: loan!.id, reason: 'no' }, keeper),
    'FORBIDDEN',
    'OWN_REQUEST',
  );
  await unchanged(
    step('lendArchiveLoan', { loanId: loan!.id }, keeper),
    'CONFLICT',
    'LOAN_NOT_APPROVED',
  );
  await unchanged(
    step('returnArchiveLoan', { loanId: loan!.id, condition: 'INTACT' }, keeper),
    'CONFLICT',
    'LOAN_NOT_LENT',
  );
  await unchanged(request(customerId, otherAgent), 'CONFLICT', 'LOAN_PENDING');
  await unchanged(
    step('cancelArchiveLoan', { loanId: loan!.id, reason: 'mine now' }, otherAgent),
    'FORBIDDEN',
    'NOT_YOUR_LOAN',
  );
  await unchanged(
    step('rejectArchiveLoan', { loanId: loan!.id, reason: '' }, manager),
    'BAD_USER_INPUT',
    'REQUIRED',
  );
  await unchanged(
    step('approveArchiveLoan', { loanId: loan!.id }, agent),
    'FORBIDDEN',
    'FORBIDDEN',
  );
  await unchanged(
    step('approveArchiveLoan', { loanId: '01900000-0000-7000-8000-000000000000' }, manager),
    'NOT_FOUND',
    'ARCHIVE_LOAN_NOT_FOUND',
  );

  await ok('approveArchiveLoan', { loanId: loan!.id }, manager);
  const twice = await written();
  expect((await step('approveArchiveLoan', { loanId: loan!.id }, manager)).refusal).toEqual({
    code: 'CONFLICT',
    reason: 'LOAN_NOT_PENDING',
  });
  await ok('lendArchiveLoan', { loanId: loan!.id, dueOn: daysAhead(3) }, keeper);
  expect((await request(customerId, otherAgent)).refusal).toEqual({
    code: 'CONFLICT',
    reason: 'ALREADY_LENT',
  });
  expect((await step('lendArchiveLoan', { loanId: loan!.id }, keeper)).refusal).toEqual({
    code: 'CONFLICT',
    reason: 'ALREADY_LENT',
  });
  expect(
    (await step('cancelArchiveLoan', { loanId: loan!.id, reason: 'late' }, keeper)).refusal,
  ).toEqual({ code: 'CONFLICT', reason: 'ALREADY_LENT' });
  // Only the successful lending wrote: one change, one history line, one event.
  const [loans, steps, outbox] = await written();
  expect([loans, steps, outbox]).toEqual([twice[0], twice[1]! + 1, twice[2]! + 1]);
});

it('R-CU-4 a rejected or withdrawn request frees the file; the rejection says why', async () => {
  const customerId = await newCustomer();
  const { loan } = await request(customerId);
  const rejected = await ok(
    'rejectArchiveLoan',
    { loanId: loan!.id, reason: 'file under audit' },
    keeper,
  );
  expect(rejected).toMatchObject({ status: 'REJECTED', decidedBy: 'keeper-1' });
  expect(rejected.history.at(-1)).toEqual({
    step: 'REJECTED',
    by: 'keeper-1',
    note: 'file under audit',
  });
  const { loan: again } = await request(customerId);
  await ok('approveArchiveLoan', { loanId: again!.id }, keeper);
  const withdrawn = await ok(
    'cancelArchiveLoan',
    { loanId: again!.id, reason: 'no longer needed' },
    agent,
  );
  expect(withdrawn.status).toBe('CANCELLED');
  expect((await eventsOf(again!.id)).map((e) => e.type)).toEqual([
    'customer.archive_loan_requested',
    'customer.archive_loan_approved',
    'customer.archive_loan_cancelled',
  ]);
  expect(await openArchiveLoanOf(s.service.orm.em.fork(), customerId)).toBeNull();
});

it('R-CU-4 two requests for one file at once: one is taken, the other refused LOAN_PENDING', async () => {
  const customerId = await newCustomer();
  const results = await Promise.all(
    [agent, otherAgent, manager, keeper].map((who) => request(customerId, who)),
  );
  expect(results.filter((r) => r.refusal === null)).toHaveLength(1);
  expect(results.filter((r) => r.refusal !== null).map((r) => r.refusal)).toEqual(
    Array(3).fill({ code: 'CONFLICT', reason: 'LOAN_PENDING' }),
  );
  expect(
    await dbQuery(url(), 'SELECT id FROM archive_loan WHERE customer_id = $1', [customerId]),
  ).toHaveLength(1);
});

it('R-CU-4 a file not back by the close of its due day is reported overdue once across two concurrent scans', async () => {
  const customerId = await newCustomer();
  const loan = await lent(customerId);
  expect(await scanOverdueLoans(s.deps)).toBe(0);
  // The due day passed: its close of business was yesterday.
  await dbQuery(url(), "UPDATE archive_loan SET due_at = now() - interval '1 day' WHERE id = $1", [
    loan.id,
  ]);
  const [a, b] = await Promise.all([scanOverdueLoans(s.deps), scanOverdueLoans(s.deps)]);
  expect(a + b).toBe(1);
  expect(await scanOverdueLoans(s.deps)).toBe(0);
  const overdue = (await eventsOf(loan.id)).filter(
    (e) => e.type === 'customer.archive_loan_overdue',
  );
  expect(overdue).toHaveLength(1);
  expect(overdue[0]!.data).toMatchObject({ status: 'LENT', by: null, borrowerId: 'agent-1' });

  const { archiveLoans } = await subgraphData<{
    archiveLoans: { nodes: Loan[] };
  }>(
    s.service.httpPort,
    `query($f: ArchiveLoanFilter) { archiveLoans(filter: $f) { nodes { ${LOAN} } } }`,
    { f: { overdueOnly: true, borrowerId: 'agent-1', customerId } },
    keeper,
  );
  expect(archiveLoans.nodes.map((l) => l.id)).toEqual([loan.id]);
  expect(archiveLoans.nodes[0]).toMatchObject({ overdue: true });
  expect(archiveLoans.nodes[0]!.overdueReportedAt).not.toBeNull();
  expect(archiveLoans.nodes[0]!.history.at(-1)).toEqual({ step: 'OVERDUE', by: null, note: null });

  const back = await ok('returnArchiveLoan', { loanId: loan.id, condition: 'INTACT' }, keeper);
  expect(back).toMatchObject({ overdue: false, returnedLate: true });
  expect(await scanOverdueLoans(s.deps)).toBe(0);
});

it('R-CU-4 loans are confidential: read with an archive role, listed by status and borrower', async () => {
  const customerId = await newCustomer();
  const { loan } = await request(customerId, otherAgent);
  for (const who of [technician, { userId: 'disp-1', roles: ['dispatcher'] } as Identity]) {
    const res = await subgraphRequest(
      s.service.httpPort,
      `query($id: ID!, $c: ID!) { archiveLoan(id: $id) { id } customer(id: $c) { archiveLoans { totalCount } } }`,
      { id: loan!.id, c: customerId },
      who,
    );
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  }
  const { archiveLoan, archiveLoans } = await subgraphData<{
    archiveLoan: { id: string; customer: { id: string } };
    archiveLoans: { totalCount: number; nodes: { id: string }[] };
  }>(
    s.service.httpPort,
    `query($id: ID!) {
      archiveLoan(id: $id) { id customer { id } }
      archiveLoans(filter: { status: REQUESTED, borrowerId: "agent-2" }) { totalCount nodes { id } }
    }`,
    { id: loan!.id },
    auditor,
  );
  expect(archiveLoan).toEqual({ id: loan!.id, customer: { id: customerId } });
  expect(archiveLoans.nodes.map((l) => l.id)).toContain(loan!.id);
  const bad = await subgraphRequest(
    s.service.httpPort,
    `{ archiveLoans(filter: { customerId: "nope" }) { totalCount } }`,
    {},
    auditor,
  );
  expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
});
