import type { Role } from '@aftercare/kit';
import { startSystem, type System } from './harness';

// R-CU-4 through the gateway: a customer file untouched for more than 10 years is listed past
// retention, proposed by the archive keeper, refused to the keeper's own approval, approved by a
// manager, and then reads as a tombstone that takes no changes.
let sys: System;
const AGENT: Role[] = ['agent'];
const KEEPER: Role[] = ['customer_relations'];
const MANAGER: Role[] = ['manager'];
const AUDITOR: Role[] = ['auditor'];

beforeAll(async () => {
  sys = await startSystem('e2e-retention', { SLA_SCHEDULER: 'false' });
});
afterAll(() => sys?.stop());

it('R-CU-4 a file past retention is listed, destroyed after a manager approves, and reads as a tombstone', async () => {
  // The file was written 13 years ago: the customer service's clock is moved back meanwhile.
  const realNow = sys.customerDeps.now;
  sys.customerDeps.now = () => new Date('2013-09-02T03:00:00Z');
  const created = await sys.gql<{ createCustomer: { customer: { id: string; code: string } } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id code } } }`,
    {
      input: {
        kind: 'PERSON',
        name: 'Old Customer Zhao',
        contacts: [{ name: 'Old Customer Zhao', mobile: '13700007777' }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Ningbo' }, line: '1 Old Lane' }],
      },
    },
    AGENT,
  );
  sys.customerDeps.now = realNow;
  expect(created.errors).toBeUndefined();
  const { id: customerId, code } = created.data!.createCustomer.customer;

  const listed = await sys.gql<{
    customerFilesPastRetention: {
      nodes: { id: string; code: string; lastActivityAt: string; retentionEndsOn: string }[];
    };
  }>(
    `{ customerFilesPastRetention(first: 100) { nodes { id code lastActivityAt retentionEndsOn } } }`,
    {},
    AUDITOR,
  );
  expect(listed.errors).toBeUndefined();
  expect(listed.data!.customerFilesPastRetention.nodes).toContainEqual({
    id: customerId,
    code,
    lastActivityAt: '2013-09-02T03:00:00.000Z',
    retentionEndsOn: '2023-09-02',
  });

  const requested = await sys.gql<{ requestArchiveDestruction: { destruction: { id: string } } }>(
    `mutation($input: RequestArchiveDestructionInput!) { requestArchiveDestruction(input: $input) { destruction { id } } }`,
    { input: { customerId, reason: 'retention over' } },
    KEEPER,
    'keeper-zhou',
  );
  expect(requested.errors).toBeUndefined();
  const destructionId = requested.data!.requestArchiveDestruction.destruction.id;
  const APPROVE = `mutation($id: ID!) { approveArchiveDestruction(input: { destructionId: $id }) {
    destruction { status requestedBy decidedBy destroyedRecords { kind count } customer { status name } } } }`;

  const own = await sys.gql(APPROVE, { id: destructionId }, MANAGER, 'keeper-zhou');
  expect(own.errors?.[0]?.extensions).toMatchObject({
    code: 'CONFLICT',
    reason: 'APPROVER_IS_REQUESTER',
  });
  const keeperApproves = await sys.gql(APPROVE, { id: destructionId }, KEEPER, 'keeper-wu');
  expect(keeperApproves.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  const approved = await sys.gql<{ approveArchiveDestruction: { destruction: unknown } }>(
    APPROVE,
    { id: destructionId },
    MANAGER,
    'manager-li',
  );
  expect(approved.errors).toBeUndefined();
  expect(approved.data!.approveArchiveDestruction.destruction).toEqual({
    status: 'DESTROYED',
    requestedBy: 'keeper-zhou',
    decidedBy: 'manager-li',
    destroyedRecords: [
      { kind: 'CUSTOMER', count: 1 },
      { kind: 'CUSTOMER_CHANGE', count: 0 },
      { kind: 'ASSET', count: 0 },
      { kind: 'ASSET_CHANGE', count: 0 },
      { kind: 'CONTACT_LOG', count: 0 },
      { kind: 'ARCHIVE_DOCUMENT', count: 0 },
    ],
    customer: { status: 'DESTROYED', name: '' },
  });

  const tombstone = await sys.gql<{ customer: unknown }>(
    `query($id: ID!) { customer(id: $id) { code status name contacts { name } addresses { line } } }`,
    { id: customerId },
    AGENT,
  );
  expect(tombstone.data!.customer).toEqual({
    code,
    status: 'DESTROYED',
    name: '',
    contacts: [],
    addresses: [],
  });
  const write = await sys.gql(
    `mutation($id: ID!) { updateCustomer(input: { id: $id, name: "Back Again" }) { customer { id } } }`,
    { id: customerId },
    AGENT,
  );
  expect(write.errors?.[0]?.extensions).toMatchObject({
    code: 'CONFLICT',
    reason: 'FILE_DESTROYED',
  });
  const after = await sys.gql<{ customerFilesPastRetention: { nodes: { id: string }[] } }>(
    `{ customerFilesPastRetention(first: 100) { nodes { id } } }`,
    {},
    KEEPER,
  );
  expect(after.data!.customerFilesPastRetention.nodes.map((n) => n.id)).not.toContain(customerId);
});
