import type { Role } from '@aftercare/kit';
import { scanOverdueLoans } from '@aftercare/customer-service';
import { startSystem, type System } from './harness';

// R-CU-4 through the gateway: an advisor asks for a customer's paper file, the archive keeper
// cannot approve her own request but a manager can; the keeper hands it out, the file stays out
// past its due day (the scan run four days ahead) and is reported once, then comes back
// incomplete; every step is on the loan.
let sys: System;
const AGENT: Role[] = ['agent'];
const KEEPER: Role[] = ['customer_relations'];
const MANAGER: Role[] = ['manager'];

beforeAll(async () => {
  sys = await startSystem('e2e-archive-loans', { SLA_SCHEDULER: 'false' });
});
afterAll(() => sys?.stop());

const LOAN = `id status borrowerId dueOn overdue returnedLate overdueReportedAt returnCondition history { step by note }`;

interface Loan {
  id: string;
  status: string;
  borrowerId: string;
  dueOn: string;
  overdue: boolean;
  returnedLate: boolean;
  overdueReportedAt: string | null;
  returnCondition: string | null;
  history: { step: string; by: string | null; note: string | null }[];
}

const move = (name: string, type: string, input: object, roles: Role[], user: string) =>
  sys.gql<Record<string, { loan: Loan }>>(
    `mutation($input: ${type}!) { ${name}(input: $input) { loan { ${LOAN} } } }`,
    { input },
    roles,
    user,
  );

it('R-CU-4 a paper file through the whole borrowing cycle: request, approval, lending, overdue once, return', async () => {
  const c = await sys.gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name: 'Borrowed File Wu',
        contacts: [{ name: 'Borrowed File Wu', mobile: '13600007777' }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
      },
    },
    AGENT,
  );
  expect(c.errors).toBeUndefined();
  const customerId = c.data!.createCustomer.customer.id;
  const calendar = sys.customer.config.calendar;
  const dueOn = calendar.localDate(new Date(Date.now() + 3 * 86_400_000));

  // The keeper herself needs the file: her request waits for a manager.
  const asked = await move(
    'requestArchiveLoan',
    'RequestArchiveLoanInput',
    { customerId, purpose: 'customer disputes a repair', dueOn, idempotencyKey: 'loan-e2e-1' },
    KEEPER,
    'keeper-wang',
  );
  expect(asked.errors).toBeUndefined();
  const loan = asked.data!.requestArchiveLoan!.loan;
  expect(loan).toMatchObject({ status: 'REQUESTED', borrowerId: 'keeper-wang', dueOn });
  const retried = await move(
    'requestArchiveLoan',
    'RequestArchiveLoanInput',
    { customerId, purpose: 'customer disputes a repair', dueOn, idempotencyKey: 'loan-e2e-1' },
    KEEPER,
    'keeper-wang',
  );
  expect(retried.data!.requestArchiveLoan!.loan.id).toBe(loan.id);

  const own = await move(
    'approveArchiveLoan',
    'ApproveArchiveLoanInput',
    { loanId: loan.id },
    KEEPER,
    'keeper-wang',
  );
  expect(own.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OWN_REQUEST' });
  const second = await move(
    'requestArchiveLoan',
    'RequestArchiveLoanInput',
    { customerId, purpose: 'follow-up call', dueOn },
    AGENT,
    'agent-li',
  );
  expect(second.errors?.[0]?.extensions).toMatchObject({
    code: 'CONFLICT',
    reason: 'LOAN_PENDING',
  });

  const approved = await move(
    'approveArchiveLoan',
    'ApproveArchiveLoanInput',
    { loanId: loan.id },
    MANAGER,
    'manager-zhou',
  );
  expect(approved.errors).toBeUndefined();
  const out = await move(
    'lendArchiveLoan',
    'LendArchiveLoanInput',
    { loanId: loan.id },
    KEEPER,
    'keeper-chen',
  );
  expect(out.data!.lendArchiveLoan!.loan).toMatchObject({ status: 'LENT', overdue: false });

  // Four days on, the file is still out: two replicas' scans report it once.
  const later = { ...sys.customerDeps, now: () => new Date(Date.now() + 4 * 86_400_000) };
  const [a, b] = await Promise.all([scanOverdueLoans(later), scanOverdueLoans(later)]);
  expect(a + b).toBe(1);
  expect(await scanOverdueLoans(later)).toBe(0);

  const back = await move(
    'returnArchiveLoan',
    'ReturnArchiveLoanInput',
    { loanId: loan.id, condition: 'INCOMPLETE', notes: 'settlement copy missing' },
    KEEPER,
    'keeper-chen',
  );
  expect(back.errors).toBeUndefined();
  expect(back.data!.returnArchiveLoan!.loan).toMatchObject({
    status: 'RETURNED',
    returnCondition: 'INCOMPLETE',
    overdue: false,
  });
  expect(back.data!.returnArchiveLoan!.loan.overdueReportedAt).not.toBeNull();

  const file = await sys.gql<{ customer: { archiveLoans: { nodes: Loan[] } } }>(
    `query($id: ID!) { customer(id: $id) { archiveLoans { nodes { ${LOAN} } } } }`,
    { id: customerId },
    ['auditor'],
  );
  expect(file.errors).toBeUndefined();
  expect(file.data!.customer.archiveLoans.nodes).toHaveLength(1);
  expect(file.data!.customer.archiveLoans.nodes[0]!.history).toEqual([
    { step: 'REQUESTED', by: 'keeper-wang', note: 'customer disputes a repair' },
    { step: 'APPROVED', by: 'manager-zhou', note: null },
    { step: 'LENT', by: 'keeper-chen', note: null },
    { step: 'OVERDUE', by: null, note: null },
    { step: 'RETURNED', by: 'keeper-chen', note: 'settlement copy missing' },
  ]);

  // Technicians do not see archives, loans included.
  const technician = await sys.gql(
    `query($id: ID!) { archiveLoan(id: $id) { id } }`,
    { id: loan.id },
    ['technician'],
  );
  expect(technician.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
